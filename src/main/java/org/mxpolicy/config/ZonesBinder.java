package org.mxpolicy.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Binds {@code zones}: each zone's TTL and name servers, and how it is published ({@code update} or {@code sign}). */
final class ZonesBinder extends SectionBinder {

    static final String DUPLICATE_ZONE = "config.duplicate-zone";
    static final String PUBLISH_TWICE = "config.publish-twice";

    private static final List<String> ZONE_KEYS = List.of("ttl", "nameservers", "update", "sign", "dnssec");
    private static final List<String> UPDATE_KEYS = List.of("server", "key", "key_name");
    private static final List<String> SIGN_KEYS = List.of("zone_file", "output", "keys", "nsec3", "reload");

    ZonesBinder(SectionBinder config) {
        super(config);
    }

    Map<String, ZoneSettings> zones(YamlNode.Entry entry) {
        return zones(entry, List.of());
    }

    /** @param included the {@code zones} entries of included files, bound after the config's own */
    Map<String, ZoneSettings> zones(YamlNode.Entry entry, List<YamlNode.Entry> included) {
        Map<String, ZoneSettings> zones = new LinkedHashMap<>();
        if (entry != null) {
            zonesOf(entry, zones, true);
        }
        included.forEach(e -> zonesOf(e, zones, false));
        return zones;
    }

    private void zonesOf(YamlNode.Entry entry, Map<String, ZoneSettings> zones, boolean mustHaveOne) {
        YamlNode.Mapping map = map(entry.value(), "'zones'", "a map from zone name to settings", false);
        if (map == null) {
            return;
        }
        if (mustHaveOne && map.entries().isEmpty()) {
            error(EMPTY, entry.keyPosition(), "'zones' is empty; list the DNS zones mxpolicy writes into");
        }
        for (YamlNode.Entry zone : map.entries()) {
            String name = DnsNames.normalise(zone.key());
            Optional<String> problem = DnsNames.problem(name, 1);
            if (problem.isPresent()) {
                error(
                        DNS_NAME,
                        zone.keyPosition(),
                        "zone " + Quoting.quote(zone.key()) + " is not a valid DNS name: " + problem.get());
                continue;
            }
            ZoneSettings first = zones.get(name);
            if (first != null) {
                error(
                        DUPLICATE_ZONE,
                        zone.keyPosition(),
                        "zone " + Quoting.quote(name) + " is listed twice (first at "
                                + (first.position()
                                                .source()
                                                .equals(zone.keyPosition().source())
                                        ? "line " + first.position().line()
                                        : first.position().source() + ":"
                                                + first.position().line())
                                + "); remove one of them");
                continue;
            }
            long ttl = ZoneSettings.DEFAULT_TTL;
            List<ServerAddress> nameservers = List.of();
            Optional<UpdateTarget> update = Optional.empty();
            Optional<ZoneFileSigning> signing = Optional.empty();
            YamlNode.Mapping settings = map(
                    zone.value(), "the settings of zone " + Quoting.quote(name), "a map such as { ttl: 3600 }", true);
            if (settings != null) {
                Keys keys = new Keys(settings, zone.keyPosition(), "under zone " + Quoting.quote(name), ZONE_KEYS);
                ttl = optional(keys.get("ttl"), this::ttl, ttl);
                nameservers = optional(keys.get("nameservers"), e -> servers(e, "a name server"), nameservers);
                update = Optional.ofNullable(optional(keys.get("update"), e -> update(e, name), null));
                signing = Optional.ofNullable(optional(keys.get("sign"), e -> signing(e, name), null));
                signing = withKeyPolicy(keys.get("dnssec"), signing, name);
                if (update.isPresent() && signing.isPresent()) {
                    error(
                            PUBLISH_TWICE,
                            keys.get("sign").keyPosition(),
                            "zone " + Quoting.quote(name) + " has both 'update' and"
                                    + " 'sign'; a zone is either signed by its DNS server (update) or by mxpolicy (sign)");
                }
            }
            zones.put(name, new ZoneSettings(name, ttl, nameservers, update, signing, zone.keyPosition()));
        }
    }

    private UpdateTarget update(YamlNode.Entry entry, String zone) {
        YamlNode.Mapping map = map(
                entry.value(),
                "'update' of zone " + Quoting.quote(zone),
                "a map such as { server: 192.0.2.53, key: example.com.tsig }",
                false);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'update' of zone " + Quoting.quote(zone), UPDATE_KEYS);
        int before = errorCount();
        YamlNode.Entry serverEntry = keys.required(
                "server",
                "'update' of zone " + Quoting.quote(zone),
                "give the primary server's address, as in 'server: 192.0.2.53'");
        ServerAddress server = serverEntry == null ? null : server(serverEntry.value(), "the primary server");
        YamlNode.Entry keyEntry = keys.required(
                "key",
                "'update' of zone " + Quoting.quote(zone),
                "give the TSIG key file (BIND 'key { }' syntax, as written by tsig-keygen)");
        FileReference key = keyEntry == null ? null : file(keyEntry.value(), "'key'");
        String keyName = optional(keys.get("key_name"), e -> dnsName(e.value(), "TSIG key name", 1, ""), null);
        if (errorCount() != before || server == null || key == null) {
            return null;
        }
        return new UpdateTarget(server, key, Optional.ofNullable(keyName), entry.keyPosition());
    }

    private ZoneFileSigning signing(YamlNode.Entry entry, String zone) {
        YamlNode.Mapping map = map(
                entry.value(),
                "'sign' of zone " + Quoting.quote(zone),
                "a map such as { zone_file: example.com.zone, output: example.com.zone.signed, keys: keys/ }",
                false);
        if (map == null) {
            return null;
        }
        String where = "'sign' of zone " + Quoting.quote(zone);
        Keys keys = new Keys(map, entry.keyPosition(), "under " + where, SIGN_KEYS);
        int before = errorCount();
        YamlNode.Entry zoneFile = keys.required("zone_file", where, "give the unsigned zone file to merge into");
        YamlNode.Entry output = keys.required("output", where, "give the signed zone file the DNS server loads");
        YamlNode.Entry keyDir = keys.required("keys", where, "give the directory with the zone's key files");
        boolean nsec3 = optional(keys.get("nsec3"), this::bool, false);
        String reload = optional(keys.get("reload"), e -> string(e.value(), "'reload'"), null);
        if (reload != null && reload.isBlank()) {
            error(
                    TYPE,
                    keys.get("reload").value().position(),
                    "'reload' is empty; give the command that makes the"
                            + " DNS server load the signed zone, or leave the key out");
        }
        FileReference base = zoneFile == null ? null : file(zoneFile.value(), "'zone_file'");
        FileReference out = output == null ? null : file(output.value(), "'output'");
        FileReference dir = keyDir == null ? null : file(keyDir.value(), "'keys'");
        if (errorCount() != before || base == null || out == null || dir == null) {
            return null;
        }
        return new ZoneFileSigning(base, out, dir, nsec3, Optional.ofNullable(reload), entry.keyPosition());
    }

    /** The key policy goes with 'sign': keys are rolled only in zones mxpolicy signs. */
    private Optional<ZoneFileSigning> withKeyPolicy(
            YamlNode.Entry entry, Optional<ZoneFileSigning> signing, String zone) {
        if (entry == null) {
            return signing;
        }
        KeyPolicy policy = new KeyPolicyBinder(this).policy(entry, zone);
        if (policy == null || signing.isEmpty()) {
            if (policy != null) {
                error(
                        MISSING_KEY,
                        entry.keyPosition(),
                        "zone " + Quoting.quote(zone) + " has 'dnssec' but no 'sign': mxpolicy rolls the keys of"
                                + " zones it signs itself; add 'sign' or leave 'dnssec' out");
            }
            return signing;
        }
        return Optional.of(signing.get().withKeyPolicy(policy));
    }
}
