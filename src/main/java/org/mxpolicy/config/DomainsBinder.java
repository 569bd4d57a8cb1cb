package org.mxpolicy.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.finding.SourcePosition;

/**
 * Binds {@code domains}: each mail domain with its MX hosts and their {@code tlsa} settings, and
 * its {@code mta_sts}, {@code tls_rpt} and {@code client_services}, each by the binder of that name.
 * For a hosting provider, MX hosts may be defined once under {@code mx_hosts} and named from the
 * domains, and a domain may take its settings from one of the {@code profiles}.
 */
final class DomainsBinder extends SectionBinder {

    static final String DUPLICATE_DOMAIN = "config.duplicate-domain";
    static final String DUPLICATE_MX = "config.duplicate-mx";
    static final String MX_CONFLICT = "config.mx-conflict";
    static final String TLSA_SELECTOR = "tlsa.selector";
    static final String TLSA_MATCHING = "tlsa.matching";
    static final String UNKNOWN_MX_HOST = "config.unknown-mx-host";
    static final String UNKNOWN_PROFILE = "config.unknown-profile";
    static final String UNUSED_PROFILE = "config.unused-profile";
    static final String UNUSED_MX_HOST = "config.unused-mx-host";
    /** What a profile gives a domain that does not set it itself. */
    private static final List<String> PROFILE_KEYS = List.of("mx", "mta_sts", "tls_rpt", "client_services");

    private static final List<String> DOMAIN_KEYS =
            List.of("name", "profile", "mx", "mta_sts", "tls_rpt", "client_services");
    /** Stands for the domain's name in a profile's paths, as in {@code /etc/letsencrypt/live/mta-sts.{domain}/}. */
    static final String DOMAIN_PLACEHOLDER = "{domain}";
    /** The longest owner-name prefix below a mail domain (the SRV owner of submissions). */
    private static final String LONGEST_DOMAIN_PREFIX = "_submissions._tcp.";

    private static final List<String> MX_KEYS = List.of("host", "port", "cert", "next_key", "tlsa");
    private static final List<String> TLSA_KEYS = List.of("ttl", "issuer", "extra_issuers", "selector", "matching");
    /** The longest owner-name prefix below an MX host (a TLSA owner with a five-digit port). */
    private static final String LONGEST_HOST_PREFIX = "_65535._tcp.";

    /** MX hosts without any problem in their entry: only these are compared across domains. */
    private final Set<MxHost> cleanMxHosts = Collections.newSetFromMap(new IdentityHashMap<>());
    /** MX entries already bound; an alias shares the node, and it is bound (and reported) once. */
    private final IdentityHashMap<YamlNode, MxHost> boundMxNodes = new IdentityHashMap<>();

    /** {@code mx_hosts}, by host name: each bound once, however many domains name it. */
    private final Map<String, MxHost> namedMxHosts = new LinkedHashMap<>();
    /** {@code profiles}, by name, and whether a domain used it. */
    private final Map<String, YamlNode.Mapping> profiles = new LinkedHashMap<>();

    private final Map<String, SourcePosition> profilePositions = new LinkedHashMap<>();
    private final Set<String> usedProfiles = new java.util.HashSet<>();
    private final Set<String> usedMxHosts = new java.util.HashSet<>();

    DomainsBinder(SectionBinder config) {
        super(config);
    }

    /** {@code mx_hosts}: MX hosts defined once, for domains to name in their {@code mx} lists. */
    void mxHosts(YamlNode.Entry entry) {
        if (entry == null) {
            return;
        }
        YamlNode.Sequence list = list(entry.value(), "'mx_hosts'", "a list of MX hosts with 'host' and 'cert'");
        if (list == null) {
            return;
        }
        for (YamlNode item : list.items()) {
            MxHost host = mxHost(item);
            if (host == null) {
                continue;
            }
            MxHost first = namedMxHosts.putIfAbsent(host.host(), host);
            if (first != null) {
                error(
                        DUPLICATE_MX,
                        host.position(),
                        "mx host " + Quoting.quote(host.host()) + " is defined twice under 'mx_hosts' (first at "
                                + first.position().line() + "); remove one of them");
            }
        }
    }

    /** {@code profiles}: named sets of domain settings, so that a hosted domain is one line. */
    void profiles(YamlNode.Entry entry) {
        if (entry == null) {
            return;
        }
        YamlNode.Mapping map = map(entry.value(), "'profiles'", "a map of profile names to domain settings", false);
        if (map == null) {
            return;
        }
        for (YamlNode.Entry profile : map.entries()) {
            YamlNode.Mapping settings = map(
                    profile.value(),
                    "profile " + Quoting.quote(profile.key()),
                    "a map with any of " + String.join(", ", PROFILE_KEYS),
                    false);
            if (settings == null) {
                continue;
            }
            // unknown keys are reported here, once, not once per domain that uses the profile
            new Keys(settings, profile.keyPosition(), "under profile " + Quoting.quote(profile.key()), PROFILE_KEYS);
            Map<String, YamlNode.Entry> known = new LinkedHashMap<>();
            settings.entries().stream()
                    .filter(e -> PROFILE_KEYS.contains(e.key()))
                    .forEach(e -> known.put(e.key(), e));
            profiles.put(profile.key(), new YamlNode.Mapping(List.copyOf(known.values()), settings.position()));
            profilePositions.put(profile.key(), profile.keyPosition());
        }
    }

    /**
     * {@code domains}, then the domains of the included files in their order.
     *
     * @param included the {@code domains} entries of included files
     */
    List<MailDomain> domains(YamlNode.Entry entry, List<YamlNode.Entry> included) {
        List<MailDomain> domains = new ArrayList<>();
        List<YamlNode> items = new ArrayList<>();
        boolean listed = false;
        for (YamlNode.Entry e : concat(entry, included)) {
            YamlNode.Sequence list = list(e.value(), "'domains'", "a list of mail domains");
            if (list != null) {
                items.addAll(list.items());
                listed = true;
            }
        }
        if (entry != null && listed && items.isEmpty()) {
            error(EMPTY, entry.keyPosition(), "'domains' is empty; add at least one mail domain");
        }
        Map<String, MailDomain> byName = new LinkedHashMap<>();
        for (YamlNode item : items) {
            MailDomain domain = domain(item);
            if (domain == null) {
                continue;
            }
            MailDomain first = byName.get(domain.name());
            if (first != null) {
                error(
                        DUPLICATE_DOMAIN,
                        domain.position(),
                        "domain " + Quoting.quote(domain.name()) + " is listed twice (first at line "
                                + first.position().line() + "); merge the two entries");
                continue;
            }
            byName.put(domain.name(), domain);
            domains.add(domain);
        }
        namedMxHosts.forEach((name, mx) -> {
            if (!usedMxHosts.contains(name)) {
                warning(
                        UNUSED_MX_HOST,
                        mx.position(),
                        "mx host " + Quoting.quote(name) + " under 'mx_hosts' is not named by any domain, so no"
                                + " records are written for it");
            }
        });
        profilePositions.forEach((name, position) -> {
            if (!usedProfiles.contains(name)) {
                warning(UNUSED_PROFILE, position, "profile " + Quoting.quote(name) + " is not used by any domain");
            }
        });
        return domains;
    }

    private static List<YamlNode.Entry> concat(YamlNode.Entry first, List<YamlNode.Entry> rest) {
        List<YamlNode.Entry> all = new ArrayList<>();
        if (first != null) {
            all.add(first);
        }
        all.addAll(rest);
        return all;
    }

    /** The domain's own settings, and for each it leaves out, its profile's. */
    private YamlNode.Mapping withProfile(YamlNode.Mapping domain) {
        YamlNode.Entry named = domain.entries().stream()
                .filter(e -> e.key().equals("profile"))
                .findFirst()
                .orElse(null);
        if (named == null) {
            return domain;
        }
        String name = string(named.value(), "'profile'");
        if (name == null) {
            return domain;
        }
        YamlNode.Mapping profile = profiles.get(name);
        if (profile == null) {
            error(
                    UNKNOWN_PROFILE,
                    named.value().position(),
                    "no profile " + Quoting.quote(name) + " under 'profiles'" + didYouMean(name, profiles.keySet()));
            return domain;
        }
        usedProfiles.add(name);
        List<YamlNode.Entry> merged = new ArrayList<>(domain.entries());
        for (YamlNode.Entry e : profile.entries()) {
            if (domain.entries().stream().noneMatch(own -> own.key().equals(e.key()))) {
                merged.add(e);
            }
        }
        return new YamlNode.Mapping(merged, domain.position());
    }

    private MailDomain domain(YamlNode node) {
        YamlNode.Mapping map = map(node, "a domain", "a map with 'name' and 'mx'", false);
        if (map == null) {
            return null;
        }
        int before = errorCount();
        map = withProfile(map);
        // a domain whose profile is in error already has its finding; no second one for what the profile would give
        boolean profileInError = errorCount() > before;
        Keys keys = new Keys(map, map.position(), "under domain", DOMAIN_KEYS);
        YamlNode.Entry nameEntry =
                keys.required("name", "the domain", "give the mail domain, as in 'name: example.com'");
        String name = nameEntry == null ? null : dnsName(nameEntry.value(), "domain name", 2, LONGEST_DOMAIN_PREFIX);

        List<MxHost> mx = new ArrayList<>();
        YamlNode.Entry mxEntry = profileInError
                ? keys.get("mx")
                : keys.required("mx", "the domain", "list its MX hosts with their certificates");
        if (mxEntry != null) {
            YamlNode.Sequence hosts = list(mxEntry.value(), "'mx'", "a list of MX hosts");
            if (hosts != null && hosts.items().isEmpty()) {
                error(EMPTY, mxEntry.keyPosition(), "'mx' is empty; add at least one MX host");
            }
            Map<String, MxHost> seen = new LinkedHashMap<>();
            for (YamlNode item : hosts == null ? List.<YamlNode>of() : hosts.items()) {
                MxHost host = item instanceof YamlNode.Scalar named ? namedMxHost(named) : mxHost(item);
                if (host == null) {
                    continue;
                }
                String key = host.host() + ":" + host.port();
                MxHost first = seen.putIfAbsent(key, host);
                if (first != null) {
                    error(
                            DUPLICATE_MX,
                            host.position(),
                            "mx host " + Quoting.quote(host.host()) + " is listed twice for this domain"
                                    + " (first at line " + first.position().line() + "); remove one of them");
                    continue;
                }
                mx.add(host);
            }
        }
        Optional<MtaStsSettings> mtaSts =
                Optional.ofNullable(keys.get("mta_sts")).map(e -> new MtaStsBinder(this).mtaSts(e, name));
        Optional<TlsRptSettings> tlsRpt =
                Optional.ofNullable(keys.get("tls_rpt")).map(new TlsRptBinder(this)::tlsRpt);
        Optional<ClientServices> services =
                Optional.ofNullable(keys.get("client_services")).map(new ClientServicesBinder(this)::clientServices);
        if (name == null) {
            return null;
        }
        return new MailDomain(
                name, mx, mtaSts, tlsRpt, services, nameEntry.value().position());
    }

    /** An {@code mx} item that names one of the {@code mx_hosts}. */
    private MxHost namedMxHost(YamlNode.Scalar node) {
        String host = string(node, "an mx host");
        if (host == null) {
            return null;
        }
        MxHost mx = namedMxHosts.get(DnsNames.normalise(host));
        if (mx != null) {
            usedMxHosts.add(mx.host());
        } else {
            error(
                    UNKNOWN_MX_HOST,
                    node.position(),
                    "mx host " + Quoting.quote(host) + " is not defined under 'mx_hosts'"
                            + didYouMean(host, namedMxHosts.keySet())
                            + "; define it there or give it as a map with 'host' and 'cert'");
        }
        return mx;
    }

    private MxHost mxHost(YamlNode node) {
        MxHost already = boundMxNodes.get(node);
        if (already != null) {
            return already;
        }
        YamlNode.Mapping map = map(node, "an mx host", "a map with 'host' and 'cert'", false);
        if (map == null) {
            return null;
        }
        int before = errorCount();
        Keys keys = new Keys(map, map.position(), "under mx host", MX_KEYS);
        YamlNode.Entry hostEntry = keys.required("host", "the mx host", "give its name, as in 'host: mx1.example.com'");
        String host = hostEntry == null ? null : dnsName(hostEntry.value(), "host name", 2, LONGEST_HOST_PREFIX);
        int port = optional(keys.get("port"), this::port, (long) MxHost.DEFAULT_PORT)
                .intValue();
        YamlNode.Entry certEntry = keys.required(
                "cert",
                "the mx host",
                "give the certificate chain file it presents, as in 'cert: /etc/letsencrypt/live/mx1.example.com/fullchain.pem'");
        FileReference cert = certEntry == null ? null : file(certEntry.value(), "'cert'");
        List<FileReference> nextKeys = Optional.ofNullable(keys.get("next_key"))
                .map(e -> files(e.value(), "'next_key'"))
                .orElse(List.of());
        SourcePosition position =
                hostEntry == null ? map.position() : hostEntry.value().position();
        TlsaSettings tlsa =
                Optional.ofNullable(keys.get("tlsa")).map(this::tlsa).orElse(TlsaSettings.defaults(position));
        if (host == null || cert == null) {
            return null;
        }
        MxHost mx = new MxHost(host, port, cert, nextKeys, tlsa, position);
        boundMxNodes.put(node, mx);
        if (errorCount() == before) {
            cleanMxHosts.add(mx);
        }
        return mx;
    }

    private TlsaSettings tlsa(YamlNode.Entry entry) {
        TlsaSettings defaults = TlsaSettings.defaults(entry.keyPosition());
        YamlNode.Mapping map = map(entry.value(), "'tlsa'", "a map such as { ttl: 600, issuer: true }", true);
        if (map == null) {
            return defaults;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under tlsa", TLSA_KEYS);
        long ttl = optional(keys.get("ttl"), this::ttl, defaults.ttl());
        boolean issuer = optional(keys.get("issuer"), this::bool, defaults.issuer());
        List<FileReference> extra = Optional.ofNullable(keys.get("extra_issuers"))
                .map(e -> files(e.value(), "'extra_issuers'"))
                .orElse(List.of());
        int selector = optional(
                        keys.get("selector"),
                        e -> choice(e, TLSA_SELECTOR, List.of(0L, 1L), "0 (full certificate) or 1 (public key)"),
                        (long) defaults.selector())
                .intValue();
        int matching = optional(
                        keys.get("matching"),
                        e -> choice(e, TLSA_MATCHING, List.of(0L, 1L, 2L), "0 (full data), 1 (SHA-256) or 2 (SHA-512)"),
                        (long) defaults.matching())
                .intValue();
        return new TlsaSettings(ttl, issuer, extra, selector, matching, entry.keyPosition());
    }

    private Long choice(YamlNode.Entry entry, String id, List<Long> allowed, String words) {
        Long value = integer(entry, id, Long.MIN_VALUE, Long.MAX_VALUE, words);
        if (value != null && !allowed.contains(value)) {
            error(
                    id,
                    entry.value().position(),
                    Quoting.quote(entry.key()) + " must be " + words + ", found " + Quoting.shorten(value.toString()));
            return null;
        }
        return value;
    }

    /**
     * One MX host has one set of TLSA records, however many domains it serves, so every domain
     * that lists it must describe it the same way.
     */
    @SuppressWarnings("ReferenceEquality") // an alias yields the same MxHost: one entry, not compared with itself
    void checkSharedMxHosts(List<MailDomain> domains) {
        Map<String, MxHost> first = new LinkedHashMap<>();
        Map<String, String> firstDomain = new LinkedHashMap<>();
        for (MailDomain domain : domains) {
            for (MxHost mx : domain.mx()) {
                if (!cleanMxHosts.contains(mx)) {
                    continue;
                }
                String key = mx.host() + ":" + mx.port();
                MxHost earlier = first.putIfAbsent(key, mx);
                if (earlier == null || earlier == mx) {
                    firstDomain.putIfAbsent(key, domain.name());
                    continue;
                }
                List<String> differences = new ArrayList<>();
                if (!paths(List.of(earlier.cert())).equals(paths(List.of(mx.cert())))) {
                    differences.add("cert");
                }
                if (!paths(earlier.nextKeys()).equals(paths(mx.nextKeys()))) {
                    differences.add("next_key");
                }
                if (!sameTlsa(earlier.tlsa(), mx.tlsa())) {
                    differences.add("tlsa");
                }
                if (!differences.isEmpty()) {
                    error(
                            MX_CONFLICT,
                            mx.position(),
                            "mx host " + Quoting.quote(mx.host()) + " differs in "
                                    + inWords(differences) + " from its entry under domain '" + firstDomain.get(key)
                                    + "' (line " + earlier.position().line() + "); a host has one set of TLSA records,"
                                    + " so give it the same cert, next_key and tlsa everywhere");
                }
            }
        }
    }

    private static String inWords(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    private static boolean sameTlsa(TlsaSettings a, TlsaSettings b) {
        return a.ttl() == b.ttl()
                && a.issuer() == b.issuer()
                && a.selector() == b.selector()
                && a.matching() == b.matching()
                && paths(a.extraIssuers()).equals(paths(b.extraIssuers()));
    }

    private static List<String> paths(List<FileReference> files) {
        return files.stream().map(FileReference::path).toList();
    }
}
