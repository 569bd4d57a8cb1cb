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
 */
final class DomainsBinder extends SectionBinder {

    static final String DUPLICATE_DOMAIN = "config.duplicate-domain";
    static final String DUPLICATE_MX = "config.duplicate-mx";
    static final String MX_CONFLICT = "config.mx-conflict";
    static final String TLSA_SELECTOR = "tlsa.selector";
    static final String TLSA_MATCHING = "tlsa.matching";
    private static final List<String> DOMAIN_KEYS = List.of("name", "mx", "mta_sts", "tls_rpt", "client_services");
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

    DomainsBinder(SectionBinder config) {
        super(config);
    }

    List<MailDomain> domains(YamlNode.Entry entry) {
        List<MailDomain> domains = new ArrayList<>();
        if (entry == null) {
            return domains;
        }
        YamlNode.Sequence list = list(entry.value(), "'domains'", "a list of mail domains");
        if (list == null) {
            return domains;
        }
        if (list.items().isEmpty()) {
            error(EMPTY, entry.keyPosition(), "'domains' is empty; add at least one mail domain");
        }
        Map<String, MailDomain> byName = new LinkedHashMap<>();
        for (YamlNode item : list.items()) {
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
        return domains;
    }

    private MailDomain domain(YamlNode node) {
        YamlNode.Mapping map = map(node, "a domain", "a map with 'name' and 'mx'", false);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, map.position(), "under domain", DOMAIN_KEYS);
        YamlNode.Entry nameEntry =
                keys.required("name", "the domain", "give the mail domain, as in 'name: example.com'");
        String name = nameEntry == null ? null : dnsName(nameEntry.value(), "domain name", 2, LONGEST_DOMAIN_PREFIX);

        List<MxHost> mx = new ArrayList<>();
        YamlNode.Entry mxEntry = keys.required("mx", "the domain", "list its MX hosts with their certificates");
        if (mxEntry != null) {
            YamlNode.Sequence hosts = list(mxEntry.value(), "'mx'", "a list of MX hosts");
            if (hosts != null && hosts.items().isEmpty()) {
                error(EMPTY, mxEntry.keyPosition(), "'mx' is empty; add at least one MX host");
            }
            Map<String, MxHost> seen = new LinkedHashMap<>();
            for (YamlNode item : hosts == null ? List.<YamlNode>of() : hosts.items()) {
                MxHost host = mxHost(item);
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
                Optional.ofNullable(keys.get("mta_sts")).map(new MtaStsBinder(this)::mtaSts);
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
