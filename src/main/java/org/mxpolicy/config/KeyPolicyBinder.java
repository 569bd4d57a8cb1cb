package org.mxpolicy.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mxpolicy.dnssec.DnssecAlgorithm;

/** Binds {@code zones.<zone>.dnssec}, the key policy {@code keys run} carries out. */
final class KeyPolicyBinder extends SectionBinder {

    static final String KEYS = "config.dnssec-keys";
    static final String ALGORITHM = "config.dnssec-algorithm";
    static final String DURATION_RANGE = "config.dnssec-duration";

    private static final List<String> POLICY_KEYS = List.of(
            "algorithm",
            "keys",
            "zsk_lifetime",
            "ksk_lifetime",
            "dnskey_ttl",
            "max_zone_ttl",
            "propagation_delay",
            "parent",
            "parent_nameservers",
            "ds_ttl",
            "parent_propagation_delay",
            "cds_warning",
            "signature_validity",
            "signature_refresh");

    KeyPolicyBinder(SectionBinder config) {
        super(config);
    }

    /** The policy, or null after reporting what is wrong with it. */
    KeyPolicy policy(YamlNode.Entry entry, String zone) {
        String where = "'dnssec' of zone " + Quoting.quote(zone);
        YamlNode.Mapping map = map(
                entry.value(),
                where,
                "a map such as { algorithm: ECDSAP256SHA256, keys: csk, zsk_lifetime: 90d }",
                true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under " + where, POLICY_KEYS);
        int before = errorCount();
        DnssecAlgorithm algorithm = optional(keys.get("algorithm"), this::algorithm, KeyPolicy.DEFAULT_ALGORITHM);
        boolean csk = optional(keys.get("keys"), this::csk, true);
        Duration zsk = optional(keys.get("zsk_lifetime"), this::positive, KeyPolicy.DEFAULT_ZSK_LIFETIME);
        Optional<Duration> ksk = Optional.ofNullable(optional(keys.get("ksk_lifetime"), this::lifetimeOrNever, null))
                .filter(d -> !d.isZero());
        long dnskeyTtl = optional(keys.get("dnskey_ttl"), this::ttl, KeyPolicy.DEFAULT_DNSKEY_TTL);
        Duration maxZoneTtl = optional(keys.get("max_zone_ttl"), this::duration, KeyPolicy.DEFAULT_MAX_ZONE_TTL);
        Duration propagation =
                optional(keys.get("propagation_delay"), this::duration, KeyPolicy.DEFAULT_PROPAGATION_DELAY);
        String parent = optional(keys.get("parent"), e -> dnsName(e.value(), "'parent'", 1, ""), defaultParent(zone));
        List<ServerAddress> parentServers =
                optional(keys.get("parent_nameservers"), e -> servers(e, "a server of the parent"), List.of());
        Duration dsTtl = optional(keys.get("ds_ttl"), this::duration, KeyPolicy.DEFAULT_DS_TTL);
        Duration parentPropagation = optional(
                keys.get("parent_propagation_delay"), this::duration, KeyPolicy.DEFAULT_PARENT_PROPAGATION_DELAY);
        Duration cdsWarning = optional(keys.get("cds_warning"), this::positive, KeyPolicy.DEFAULT_CDS_WARNING);
        Duration validity =
                optional(keys.get("signature_validity"), this::positive, KeyPolicy.DEFAULT_SIGNATURE_VALIDITY);
        Duration refresh = optional(keys.get("signature_refresh"), this::duration, KeyPolicy.DEFAULT_SIGNATURE_REFRESH);
        if (errorCount() != before) {
            return null;
        }
        if (parent == null) {
            error(
                    MISSING_KEY,
                    entry.keyPosition(),
                    where
                            + " needs 'parent': the zone that holds its DS records (the root zone cannot roll by itself)");
            return null;
        }
        if (refresh.compareTo(validity) >= 0) {
            error(
                    DURATION_RANGE,
                    keys.get("signature_refresh") != null
                            ? keys.get("signature_refresh").value().position()
                            : entry.keyPosition(),
                    "'signature_refresh' (" + shown(refresh) + ") must be shorter than 'signature_validity' ("
                            + shown(validity) + "): every signature would be made anew on every run");
            return null;
        }
        return new KeyPolicy(
                algorithm,
                csk,
                zsk,
                ksk,
                dnskeyTtl,
                maxZoneTtl,
                propagation,
                parent,
                parentServers,
                dsTtl,
                parentPropagation,
                cdsWarning,
                validity,
                refresh,
                entry.keyPosition());
    }

    /** A duration as the config writes it: {@code 7d}, {@code 90m}, {@code 45s}. */
    private static String shown(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** The zone one label up; the root has none. */
    private static String defaultParent(String zone) {
        int dot = zone.indexOf('.');
        return dot < 0 ? "." : zone.substring(dot + 1);
    }

    private DnssecAlgorithm algorithm(YamlNode.Entry entry) {
        String text = string(entry.value(), "'algorithm'");
        if (text == null) {
            return null;
        }
        Optional<DnssecAlgorithm> algorithm = DnssecAlgorithm.parse(text);
        if (algorithm.isEmpty()) {
            error(
                    ALGORITHM,
                    entry.value().position(),
                    "'algorithm' " + Quoting.quote(text) + " is not supported; use ECDSAP256SHA256 (13), ED25519 (15)"
                            + " or RSASHA256 (8)");
            return null;
        }
        return algorithm.get();
    }

    private Boolean csk(YamlNode.Entry entry) {
        String text = string(entry.value(), "'keys'");
        if (text == null) {
            return null;
        }
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "csk" -> true;
            case "ksk+zsk" -> false;
            default -> {
                error(
                        KEYS,
                        entry.value().position(),
                        "'keys' must be csk (one combined signing key) or ksk+zsk (a key-signing and a zone-signing"
                                + " key), found " + Quoting.quote(text)
                                + didYouMean(text.toLowerCase(Locale.ROOT), List.of("csk", "ksk+zsk")));
                yield null;
            }
        };
    }

    private Duration positive(YamlNode.Entry entry) {
        Duration d = duration(entry);
        if (d != null && d.isZero()) {
            error(DURATION_RANGE, entry.value().position(), Quoting.quote(entry.key()) + " must be longer than 0");
            return null;
        }
        return d;
    }

    /** A lifetime, or {@code never} (also 0): the key is rolled only by hand. */
    private Duration lifetimeOrNever(YamlNode.Entry entry) {
        if (entry.value() instanceof YamlNode.Scalar s && s.text().strip().equalsIgnoreCase("never")) {
            return Duration.ZERO;
        }
        return duration(entry);
    }
}
