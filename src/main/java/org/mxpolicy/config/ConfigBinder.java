package org.mxpolicy.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.finding.SourcePosition;

/**
 * Binds a {@link YamlNode} tree to the config model by hand, so that every problem becomes a
 * finding at its position and binding goes on after it. A value that fails its check is left
 * out (null) and everything depending on it is skipped, so one mistake gives one finding.
 *
 * <p>The two large sections have their own binders, {@link ZonesBinder} and {@link DomainsBinder};
 * this one binds the top level and the small sections with defaults ({@code dns},
 * {@code rollover}, {@code serve}), and checks that every record lands in a configured zone.
 */
final class ConfigBinder extends SectionBinder {

    static final String NO_ZONE = "config.no-zone";
    static final String TLS_PROFILE = "serve.tls-profile";

    private static final List<String> TOP_KEYS = List.of(
            "zones", "mx_hosts", "profiles", "domains", "include", "dns", "rollover", "serve", "reports", "ownership");
    private static final List<String> DNS_KEYS = List.of("resolvers", "trust_anchors", "trust_anchor_file");
    private static final List<String> ROLLOVER_KEYS = List.of("state_dir", "margin", "on_unknown_key", "mta_reload");
    private static final List<String> SERVE_KEYS = List.of(
            "tls_profile",
            "status_check",
            "status_stale_after",
            "status_audit",
            "admin_tls_certificate",
            "admin_tls_key",
            "admin_password_file");
    private static final List<String> TLS_PROFILES = Arrays.stream(ServeSettings.TlsProfileChoice.values())
            .map(ServeSettings.TlsProfileChoice::keyword)
            .toList();

    private final String source;

    ConfigBinder(String source) {
        super(new ArrayList<>());
        this.source = source;
    }

    /** The config, or null when the root is unusable (already reported). */
    ProviderConfig bind(YamlNode root) {
        return bind(root, List.of());
    }

    /**
     * @param included the files {@code include} names (read by the loader), each a map of
     *     {@code zones} and {@code domains}, bound after the config's own
     */
    ProviderConfig bind(YamlNode root, List<YamlNode.Mapping> included) {
        if (root == null) {
            error(EMPTY, SourcePosition.file(source), "the config is empty; it needs 'zones' and 'domains'");
            return null;
        }
        YamlNode.Mapping top = map(root, "the config", "a map with the keys 'zones' and 'domains'", false);
        if (top == null) {
            return null;
        }
        Keys keys = new Keys(top, top.position(), "at the top level", TOP_KEYS);
        int before = errorCount();
        List<YamlNode.Entry> includedZones = entries(included, "zones");
        List<YamlNode.Entry> includedDomains = entries(included, "domains");
        YamlNode.Entry zonesEntry = includedZones.isEmpty()
                ? keys.required(
                        "zones",
                        "the config",
                        "list the DNS zones mxpolicy writes into, as in 'zones: { example.com: {} }'")
                : keys.get("zones");
        Map<String, ZoneSettings> zones = new ZonesBinder(this).zones(zonesEntry, includedZones);
        boolean zonesComplete = (zonesEntry != null || !includedZones.isEmpty()) && errorCount() == before;
        DomainsBinder domainsBinder = new DomainsBinder(this);
        domainsBinder.mxHosts(keys.get("mx_hosts"));
        domainsBinder.profiles(keys.get("profiles"));
        YamlNode.Entry ownDomains = includedDomains.isEmpty()
                ? keys.required("domains", "the config", "list the mail domains")
                : keys.get("domains");
        List<MailDomain> domains = domainsBinder.domains(ownDomains, includedDomains);
        DnsSettings dns = optional(keys.get("dns"), this::dns, DnsSettings.defaults());
        RolloverSettings rollover = optional(keys.get("rollover"), this::rollover, RolloverSettings.defaults());
        ServeSettings serve = optional(keys.get("serve"), this::serve, ServeSettings.defaults());
        ReportsSettings reports =
                optional(keys.get("reports"), new ReportsBinder(this)::reports, ReportsSettings.defaults());
        OwnershipSettings ownership =
                optional(keys.get("ownership"), new OwnershipBinder(this)::ownership, OwnershipSettings.defaults());
        ProviderConfig config = new ProviderConfig(source, zones, domains, dns, rollover, serve, reports, ownership);
        if (zonesComplete) {
            // with a broken zone list every domain would be "outside every zone": say it once
            checkZones(config);
        }
        domainsBinder.checkSharedMxHosts(domains);
        return config;
    }

    private static List<YamlNode.Entry> entries(List<YamlNode.Mapping> files, String key) {
        return files.stream()
                .flatMap(file -> file.entries().stream())
                .filter(e -> e.key().equals(key))
                .toList();
    }

    private DnsSettings dns(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'dns'", "a map such as { resolvers: [127.0.0.1] }", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'dns'", DNS_KEYS);
        List<ServerAddress> resolvers = optional(keys.get("resolvers"), e -> servers(e, "a resolver"), List.of());
        List<String> anchors = new ArrayList<>();
        YamlNode.Entry anchorEntry = keys.get("trust_anchors");
        if (anchorEntry != null) {
            for (YamlNode.Scalar item : stringOrList(anchorEntry.value(), "'trust_anchors'")) {
                anchors.add(item.text().strip());
            }
        }
        FileReference anchorFile =
                optional(keys.get("trust_anchor_file"), e -> file(e.value(), "'trust_anchor_file'"), null);
        return new DnsSettings(resolvers, anchors, Optional.ofNullable(anchorFile), entry.keyPosition());
    }

    private RolloverSettings rollover(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'rollover'", "a map such as { state_dir: /var/lib/mxpolicy }", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'rollover'", ROLLOVER_KEYS);
        RolloverSettings defaults = RolloverSettings.defaults();
        FileReference stateDir =
                optional(keys.get("state_dir"), e -> file(e.value(), "'state_dir'"), defaults.stateDir());
        Duration margin = optional(keys.get("margin"), this::duration, defaults.margin());
        RolloverSettings.UnknownKeyAction action = optional(
                keys.get("on_unknown_key"),
                e -> {
                    String text = string(e.value(), "'on_unknown_key'");
                    for (RolloverSettings.UnknownKeyAction a : RolloverSettings.UnknownKeyAction.values()) {
                        if (a.keyword().equals(text)) {
                            return a;
                        }
                    }
                    if (text != null) {
                        error(
                                TYPE,
                                e.value().position(),
                                "'on_unknown_key' must be restore, publish or refuse, found " + Quoting.quote(text));
                    }
                    return null;
                },
                defaults.onUnknownKey());
        String reload = optional(keys.get("mta_reload"), e -> string(e.value(), "'mta_reload'"), null);
        return new RolloverSettings(
                stateDir, margin, action, Optional.ofNullable(reload).filter(r -> !r.isBlank()), entry.keyPosition());
    }

    private ServeSettings serve(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'serve'", "a map such as { tls_profile: bsi }", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'serve'", SERVE_KEYS);
        ServeSettings.TlsProfileChoice profile = optional(
                keys.get("tls_profile"),
                this::tlsProfile,
                ServeSettings.defaults().tlsProfile());
        FileReference check = optional(keys.get("status_check"), e -> file(e.value(), "'status_check'"), null);
        Duration stale = optional(keys.get("status_stale_after"), this::duration, ServeSettings.DEFAULT_STALE_AFTER);
        FileReference audit = optional(keys.get("status_audit"), e -> file(e.value(), "'status_audit'"), null);
        FileReference cert =
                optional(keys.get("admin_tls_certificate"), e -> file(e.value(), "'admin_tls_certificate'"), null);
        FileReference key = optional(keys.get("admin_tls_key"), e -> file(e.value(), "'admin_tls_key'"), null);
        FileReference passwords =
                optional(keys.get("admin_password_file"), e -> file(e.value(), "'admin_password_file'"), null);
        if ((cert == null) != (key == null)) {
            error(TYPE, entry.keyPosition(), "'serve' needs both admin_tls_certificate and admin_tls_key, or neither");
        }
        return new ServeSettings(
                profile,
                Optional.ofNullable(check),
                stale == null ? ServeSettings.DEFAULT_STALE_AFTER : stale,
                Optional.ofNullable(audit),
                Optional.ofNullable(cert),
                Optional.ofNullable(key),
                Optional.ofNullable(passwords),
                entry.keyPosition());
    }

    private ServeSettings.TlsProfileChoice tlsProfile(YamlNode.Entry entry) {
        String text = string(entry.value(), "'tls_profile'");
        for (ServeSettings.TlsProfileChoice choice : ServeSettings.TlsProfileChoice.values()) {
            if (choice.keyword().equals(text)) {
                return choice;
            }
        }
        if (text != null) {
            error(
                    TLS_PROFILE,
                    entry.value().position(),
                    "'tls_profile' must be " + String.join(" or ", TLS_PROFILES) + ", found " + Quoting.quote(text)
                            + didYouMean(text, TLS_PROFILES));
        }
        return null;
    }

    /**
     * Every record mxpolicy writes must land in a configured zone: the TLSA (and TLS-RPT)
     * records of each MX host, and the MTA-STS, TLS-RPT and SRV records of each domain that has
     * any of them.
     */
    private void checkZones(ProviderConfig config) {
        Set<String> hostsSeen = new HashSet<>();
        for (MailDomain domain : config.domains()) {
            List<String> records = new ArrayList<>();
            domain.mtaSts().ifPresent(m -> records.add("_mta-sts"));
            domain.tlsRpt().ifPresent(t -> records.add("_smtp._tls"));
            domain.clientServices().ifPresent(c -> records.add("SRV"));
            if (!records.isEmpty() && config.zoneFor(domain.name()).isEmpty()) {
                error(
                        NO_ZONE,
                        domain.position(),
                        "domain " + Quoting.quote(domain.name()) + " is in none of the configured zones,"
                                + " but its " + String.join(", ", records) + " records need one; add '" + domain.name()
                                + "' (or the zone that contains it) under 'zones'");
            }
            for (MxHost mx : domain.mx()) {
                if (hostsSeen.add(mx.host()) && config.zoneFor(mx.host()).isEmpty()) {
                    error(
                            NO_ZONE,
                            mx.position(),
                            "mx host " + Quoting.quote(mx.host()) + " is in none of the configured zones, but its"
                                    + " TLSA records (_" + mx.port() + "._tcp." + mx.host()
                                    + ") need one; add the zone that"
                                    + " contains it, such as " + Quoting.quote(parent(mx.host())) + ", under 'zones'");
                }
            }
        }
    }

    private static String parent(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(dot + 1);
    }
}
