package org.mxpolicy.config;

import org.mxpolicy.record.ClientService;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MxPattern;

/**
 * Binds a {@link YamlNode} tree to the config model by hand, so that every problem becomes a
 * finding at its position and binding goes on after it. A value that fails its check is left
 * out (null) and everything depending on it is skipped, so one mistake gives one finding.
 */
final class ConfigBinder {

    static final String UNKNOWN_KEY = "config.unknown-key";
    static final String TYPE = "config.type";
    static final String MISSING_KEY = "config.missing-key";
    static final String EMPTY = "config.empty";
    static final String DNS_NAME = "config.dns-name";
    static final String DUPLICATE_ZONE = "config.duplicate-zone";
    static final String DUPLICATE_DOMAIN = "config.duplicate-domain";
    static final String DUPLICATE_MX = "config.duplicate-mx";
    static final String NO_ZONE = "config.no-zone";
    static final String MX_CONFLICT = "config.mx-conflict";
    static final String TTL = "config.ttl";
    static final String PORT = "config.port";
    static final String BOOLEAN = "config.boolean";
    static final String PATH = "config.path";
    static final String TLSA_SELECTOR = "tlsa.selector";
    static final String TLSA_MATCHING = "tlsa.matching";
    static final String MTA_STS_MODE = "mta-sts.mode";
    static final String MTA_STS_MAX_AGE = "mta-sts.max-age";
    static final String MTA_STS_MAX_AGE_SHORT = "mta-sts.max-age-short";
    static final String MTA_STS_MX_PATTERN = "mta-sts.mx-pattern";
    static final String MTA_STS_KEY_PAIR = "mta-sts.cert-key";
    static final String TLSRPT_HTTPS = "tlsrpt.https-uri";
    static final String TLSRPT_URI = "tlsrpt.uri";
    static final String TLSRPT_SCHEME = "tlsrpt.uri-scheme";
    static final String SERVICE_ENDPOINT = "client-services.endpoint";
    static final String SERVER_ADDRESS = "config.server-address";
    static final String PUBLISH_TWICE = "config.publish-twice";

    /** RFC 2181 section 8: a TTL is an unsigned 32-bit number with the top bit clear. */
    static final long MAX_TTL = 2147483647L;
    static final int MAX_PORT = 65535;
    /** RFC 8461 section 3.2: max_age is at most 31557600 seconds (about a year). */
    static final long MAX_MAX_AGE = 31557600L;
    /** Below a day a policy hardly outlives an outage; RFC 8461 section 3.2 suggests weeks. */
    static final long SHORT_MAX_AGE = 86400L;

    private static final List<String> TOP_KEYS = List.of("zones", "domains", "dns", "rollover");
    private static final List<String> ROLLOVER_KEYS = List.of("state_dir", "margin", "on_unknown_key", "mta_reload");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})([smhd]?)");
    private static final List<String> ZONE_KEYS = List.of("ttl", "nameservers", "update", "sign");
    private static final List<String> UPDATE_KEYS = List.of("server", "key", "key_name");
    private static final List<String> SIGN_KEYS = List.of("zone_file", "output", "keys", "nsec3", "reload");
    private static final List<String> DNS_KEYS = List.of("resolvers", "trust_anchors", "trust_anchor_file");
    private static final List<String> DOMAIN_KEYS = List.of("name", "mx", "mta_sts", "tls_rpt", "client_services");
    private static final List<String> MX_KEYS = List.of("host", "port", "cert", "next_key", "tlsa");
    private static final List<String> TLSA_KEYS = List.of("ttl", "issuer", "extra_issuers", "selector", "matching");
    private static final List<String> MTA_STS_KEYS = List.of("mode", "max_age", "mx", "cert", "key");
    private static final List<String> MTA_STS_MODES = Arrays.stream(MtaStsMode.values()).map(MtaStsMode::keyword).toList();
    private static final List<String> TLS_RPT_KEYS = List.of("rua", "allow_https");
    private static final String AUTOCONFIG = "autoconfig";
    private static final String AUTODISCOVER = "autodiscover";
    private static final List<String> CLIENT_SERVICES_KEYS = java.util.stream.Stream.concat(
            Arrays.stream(ClientService.values()).map(ClientService::configKey), java.util.stream.Stream.of(AUTOCONFIG,
                    AUTODISCOVER)).toList();
    private static final List<String> SERVER_CERTIFICATE_KEYS = List.of("cert", "key");
    private static final String NONE = "none";
    private static final String MERGE_KEY = "<<";
    /** The longest owner-name prefix below a mail domain (the SRV owner of submissions). */
    private static final String LONGEST_DOMAIN_PREFIX = "_submissions._tcp.";
    /** The longest owner-name prefix below an MX host (a TLSA owner with a five-digit port). */
    private static final String LONGEST_HOST_PREFIX = "_65535._tcp.";

    /** RFC 8460 section 3: these must be percent-encoded inside a report URI. */
    private static final Pattern URI_RESERVED = Pattern.compile("[,;!]");
    /** The local part of a mailbox: RFC 5322 atext and dots, or percent-encoded octets. */
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9.#$%&'*+/=^_`{|}~-]+");
    private static final Pattern PORT_DIGITS = Pattern.compile("[0-9]{1,5}");

    private final String source;
    private final List<Finding> findings = new ArrayList<>();
    /** MX hosts without any problem in their entry: only these are compared across domains. */
    private final Set<MxHost> cleanMxHosts = Collections.newSetFromMap(new IdentityHashMap<>());
    /** MX entries already bound; an alias shares the node, and it is bound (and reported) once. */
    private final Map<YamlNode, MxHost> boundMxNodes = new IdentityHashMap<>();

    ConfigBinder(String source) {
        this.source = source;
    }

    List<Finding> findings() {
        return findings;
    }

    /** The config, or null when the root is unusable (already reported). */
    ProviderConfig bind(YamlNode root) {
        if (root == null) {
            error(EMPTY, SourcePosition.file(source),
                    "the config is empty; it needs 'zones' and 'domains'");
            return null;
        }
        YamlNode.Mapping top = map(root, "the config", "a map with the keys 'zones' and 'domains'", false);
        if (top == null) {
            return null;
        }
        Keys keys = new Keys(top, top.position(), "at the top level", TOP_KEYS);
        int before = errorCount();
        YamlNode.Entry zonesEntry = keys.required("zones", "the config",
                "list the DNS zones mxpolicy writes into, as in 'zones: { example.com: {} }'");
        Map<String, ZoneSettings> zones = zones(zonesEntry);
        boolean zonesComplete = zonesEntry != null && errorCount() == before;
        List<MailDomain> domains = domains(keys.required("domains", "the config", "list the mail domains"));
        DnsSettings dns = optional(keys.get("dns"), this::dns, DnsSettings.defaults());
        RolloverSettings rollover = optional(keys.get("rollover"), this::rollover, RolloverSettings.defaults());
        ProviderConfig config = new ProviderConfig(source, zones, domains, dns, rollover);
        if (zonesComplete) {
            // with a broken zone list every domain would be "outside every zone": say it once
            checkZones(config);
        }
        checkSharedMxHosts(domains);
        return config;
    }

    // ---------------------------------------------------------------- zones

    private Map<String, ZoneSettings> zones(YamlNode.Entry entry) {
        Map<String, ZoneSettings> zones = new LinkedHashMap<>();
        if (entry == null) {
            return zones;
        }
        YamlNode.Mapping map = map(entry.value(), "'zones'", "a map from zone name to settings", false);
        if (map == null) {
            return zones;
        }
        if (map.entries().isEmpty()) {
            error(EMPTY, entry.keyPosition(), "'zones' is empty; list the DNS zones mxpolicy writes into");
        }
        for (YamlNode.Entry zone : map.entries()) {
            String name = DnsNames.normalise(zone.key());
            Optional<String> problem = DnsNames.problem(name, 1);
            if (problem.isPresent()) {
                error(DNS_NAME, zone.keyPosition(), "zone '" + zone.key() + "' is not a valid DNS name: " + problem.get());
                continue;
            }
            ZoneSettings first = zones.get(name);
            if (first != null) {
                error(DUPLICATE_ZONE, zone.keyPosition(), "zone '" + name + "' is listed twice (first at line "
                        + first.position().line() + "); remove one of them");
                continue;
            }
            long ttl = ZoneSettings.DEFAULT_TTL;
            List<ServerAddress> nameservers = List.of();
            Optional<UpdateTarget> update = Optional.empty();
            Optional<ZoneFileSigning> signing = Optional.empty();
            YamlNode.Mapping settings = map(zone.value(), "the settings of zone '" + name + "'", "a map such as { ttl: 3600 }", true);
            if (settings != null) {
                Keys keys = new Keys(settings, zone.keyPosition(), "under zone '" + name + "'", ZONE_KEYS);
                ttl = optional(keys.get("ttl"), this::ttl, ttl);
                nameservers = optional(keys.get("nameservers"), e -> servers(e, "a name server"), nameservers);
                update = Optional.ofNullable(optional(keys.get("update"), e -> update(e, name), null));
                signing = Optional.ofNullable(optional(keys.get("sign"), e -> signing(e, name), null));
                if (update.isPresent() && signing.isPresent()) {
                    error(PUBLISH_TWICE, keys.get("sign").keyPosition(), "zone '" + name + "' has both 'update' and"
                            + " 'sign'; a zone is either signed by its DNS server (update) or by mxpolicy (sign)");
                }
            }
            zones.put(name, new ZoneSettings(name, ttl, nameservers, update, signing, zone.keyPosition()));
        }
        return zones;
    }

    private UpdateTarget update(YamlNode.Entry entry, String zone) {
        YamlNode.Mapping map = map(entry.value(), "'update' of zone '" + zone + "'",
                "a map such as { server: 192.0.2.53, key: example.com.tsig }", false);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'update' of zone '" + zone + "'", UPDATE_KEYS);
        int before = errorCount();
        YamlNode.Entry serverEntry = keys.required("server", "'update' of zone '" + zone + "'",
                "give the primary server's address, as in 'server: 192.0.2.53'");
        ServerAddress server = serverEntry == null ? null : server(serverEntry.value(), "the primary server");
        YamlNode.Entry keyEntry = keys.required("key", "'update' of zone '" + zone + "'",
                "give the TSIG key file (BIND 'key { }' syntax, as written by tsig-keygen)");
        FileReference key = keyEntry == null ? null : file(keyEntry.value(), "'key'");
        String keyName = optional(keys.get("key_name"), e -> dnsName(e.value(), "TSIG key name", 1, ""), null);
        if (errorCount() != before || server == null || key == null) {
            return null;
        }
        return new UpdateTarget(server, key, Optional.ofNullable(keyName), entry.keyPosition());
    }

    private ZoneFileSigning signing(YamlNode.Entry entry, String zone) {
        YamlNode.Mapping map = map(entry.value(), "'sign' of zone '" + zone + "'",
                "a map such as { zone_file: example.com.zone, output: example.com.zone.signed, keys: keys/ }", false);
        if (map == null) {
            return null;
        }
        String where = "'sign' of zone '" + zone + "'";
        Keys keys = new Keys(map, entry.keyPosition(), "under " + where, SIGN_KEYS);
        int before = errorCount();
        YamlNode.Entry zoneFile = keys.required("zone_file", where, "give the unsigned zone file to merge into");
        YamlNode.Entry output = keys.required("output", where, "give the signed zone file the DNS server loads");
        YamlNode.Entry keyDir = keys.required("keys", where, "give the directory with the zone's key files");
        boolean nsec3 = optional(keys.get("nsec3"), this::bool, false);
        String reload = optional(keys.get("reload"), e -> string(e.value(), "'reload'"), null);
        if (reload != null && reload.isBlank()) {
            error(TYPE, keys.get("reload").value().position(), "'reload' is empty; give the command that makes the"
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

    // ---------------------------------------------------------------- rollover

    private RolloverSettings rollover(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'rollover'", "a map such as { state_dir: /var/lib/mxpolicy }", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under 'rollover'", ROLLOVER_KEYS);
        RolloverSettings defaults = RolloverSettings.defaults();
        FileReference stateDir = optional(keys.get("state_dir"), e -> file(e.value(), "'state_dir'"), defaults.stateDir());
        Duration margin = optional(keys.get("margin"), this::duration, defaults.margin());
        RolloverSettings.UnknownKeyAction action = optional(keys.get("on_unknown_key"), e -> {
            String text = string(e.value(), "'on_unknown_key'");
            for (RolloverSettings.UnknownKeyAction a : RolloverSettings.UnknownKeyAction.values()) {
                if (a.keyword().equals(text)) {
                    return a;
                }
            }
            if (text != null) {
                error(TYPE, e.value().position(), "'on_unknown_key' must be restore, publish or refuse, found '" + text + "'");
            }
            return null;
        }, defaults.onUnknownKey());
        String reload = optional(keys.get("mta_reload"), e -> string(e.value(), "'mta_reload'"), null);
        return new RolloverSettings(stateDir, margin, action, Optional.ofNullable(reload).filter(r -> !r.isBlank()),
                entry.keyPosition());
    }

    /** Seconds as an integer, or a number with a unit: {@code 90s}, {@code 30m}, {@code 1h}, {@code 2d}. */
    private Duration duration(YamlNode.Entry entry) {
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
            java.util.regex.Matcher m = DURATION.matcher(scalar.text().strip());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofSeconds(n);
                };
            }
        }
        error(TYPE, value.position(), "'" + entry.key() + "' must be a duration such as 3600, 90s, 30m, 1h or 2d, found "
                + value.describe());
        return null;
    }

    // ---------------------------------------------------------------- dns

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
        FileReference anchorFile = optional(keys.get("trust_anchor_file"), e -> file(e.value(), "'trust_anchor_file'"), null);
        return new DnsSettings(resolvers, anchors, Optional.ofNullable(anchorFile), entry.keyPosition());
    }

    private List<ServerAddress> servers(YamlNode.Entry entry, String what) {
        List<ServerAddress> servers = new ArrayList<>();
        for (YamlNode.Scalar item : stringOrList(entry.value(), "'" + entry.key() + "'")) {
            ServerAddress server = server(item, what);
            if (server != null) {
                servers.add(server);
            }
        }
        return servers;
    }

    /** {@code 192.0.2.1}, {@code 192.0.2.1:5353}, {@code [2001:db8::1]:53}, {@code 2001:db8::1}, {@code ns1.example.com}. */
    private ServerAddress server(YamlNode node, String what) {
        String text = string(node, what);
        if (text == null) {
            return null;
        }
        text = text.strip();
        String host = text;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
                error(SERVER_ADDRESS, node.position(), "'" + text + "' is not " + what + " address; write an IPv6"
                        + " address with a port as [2001:db8::1]:53");
                return null;
            }
            host = text.substring(1, close);
            portText = close + 1 < text.length() ? text.substring(close + 2) : null;
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            portText = text.substring(text.indexOf(':') + 1);
        }
        int port = ServerAddress.DNS_PORT;
        if (portText != null) {
            long value = PORT_DIGITS.matcher(portText).matches() ? Long.parseLong(portText) : -1;
            if (value < 1 || value > MAX_PORT) {
                error(PORT, node.position(), "port '" + portText + "' of '" + text + "' must be a number from 1 to " + MAX_PORT);
                return null;
            }
            port = (int) value;
        }
        boolean literal = host.contains(":") || host.matches("[0-9.]+");
        if (literal && !isIpLiteral(host)) {
            error(SERVER_ADDRESS, node.position(), "'" + host + "' is not a valid IP address");
            return null;
        }
        if (!literal) {
            String name = DnsNames.normalise(host);
            Optional<String> problem = DnsNames.problem(name, 1);
            if (problem.isPresent()) {
                error(SERVER_ADDRESS, node.position(), "'" + text + "' is neither an IP address nor a valid host name: "
                        + problem.get());
                return null;
            }
            host = name;
        }
        return new ServerAddress(host, port, node.position());
    }

    private static boolean isIpLiteral(String host) {
        int family = host.contains(":") ? org.xbill.DNS.Address.IPv6 : org.xbill.DNS.Address.IPv4;
        return org.xbill.DNS.Address.toByteArray(host, family) != null;
    }

    // ---------------------------------------------------------------- domains

    private List<MailDomain> domains(YamlNode.Entry entry) {
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
                error(DUPLICATE_DOMAIN, domain.position(), "domain '" + domain.name() + "' is listed twice (first at line "
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
        YamlNode.Entry nameEntry = keys.required("name", "the domain", "give the mail domain, as in 'name: example.com'");
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
                    error(DUPLICATE_MX, host.position(), "mx host '" + host.host() + "' is listed twice for this domain"
                            + " (first at line " + first.position().line() + "); remove one of them");
                    continue;
                }
                mx.add(host);
            }
        }
        Optional<MtaStsSettings> mtaSts = Optional.ofNullable(keys.get("mta_sts")).map(this::mtaSts);
        Optional<TlsRptSettings> tlsRpt = Optional.ofNullable(keys.get("tls_rpt")).map(this::tlsRpt);
        Optional<ClientServices> services = Optional.ofNullable(keys.get("client_services")).map(this::clientServices);
        if (name == null) {
            return null;
        }
        return new MailDomain(name, mx, mtaSts, tlsRpt, services, nameEntry.value().position());
    }

    // ---------------------------------------------------------------- MX hosts and TLSA

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
        int port = optional(keys.get("port"), this::port, (long) MxHost.DEFAULT_PORT).intValue();
        YamlNode.Entry certEntry = keys.required("cert", "the mx host",
                "give the certificate chain file it presents, as in 'cert: /etc/letsencrypt/live/mx1.example.com/fullchain.pem'");
        FileReference cert = certEntry == null ? null : file(certEntry.value(), "'cert'");
        List<FileReference> nextKeys = Optional.ofNullable(keys.get("next_key"))
                .map(e -> files(e.value(), "'next_key'"))
                .orElse(List.of());
        SourcePosition position = hostEntry == null ? map.position() : hostEntry.value().position();
        TlsaSettings tlsa = Optional.ofNullable(keys.get("tlsa"))
                .map(this::tlsa)
                .orElse(TlsaSettings.defaults(position));
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
        int selector = optional(keys.get("selector"),
                e -> choice(e, TLSA_SELECTOR, List.of(0L, 1L), "0 (full certificate) or 1 (public key)"),
                (long) defaults.selector()).intValue();
        int matching = optional(keys.get("matching"),
                e -> choice(e, TLSA_MATCHING, List.of(0L, 1L, 2L), "0 (full data), 1 (SHA-256) or 2 (SHA-512)"),
                (long) defaults.matching()).intValue();
        return new TlsaSettings(ttl, issuer, extra, selector, matching, entry.keyPosition());
    }

    // ---------------------------------------------------------------- MTA-STS

    private MtaStsSettings mtaSts(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'mta_sts'", "a map with at least 'mode'", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under mta_sts", MTA_STS_KEYS);
        MtaStsMode mode = null;
        YamlNode.Entry modeEntry = keys.required("mode", "mta_sts", "add 'mode: enforce', 'mode: testing' or 'mode: none'");
        if (modeEntry != null) {
            String text = string(modeEntry.value(), "'mode'");
            if (text != null && MtaStsMode.fromKeyword(text).isPresent()) {
                mode = MtaStsMode.fromKeyword(text).get();
            } else if (text != null) {
                error(MTA_STS_MODE, modeEntry.value().position(), "'mode' must be enforce, testing or none, found '"
                        + text + "'" + suggestion(text, MTA_STS_MODES).map(s -> "; did you mean '" + s + "'?").orElse(""));
            }
        }
        long maxAge = optional(keys.get("max_age"), this::maxAge, MtaStsSettings.DEFAULT_MAX_AGE);
        List<MtaStsSettings.Pattern> patterns = new ArrayList<>();
        YamlNode.Entry mxEntry = keys.get("mx");
        if (mxEntry != null) {
            for (YamlNode.Scalar item : stringOrList(mxEntry.value(), "'mx'")) {
                String text = string(item, "an mx pattern");
                if (text != null) {
                    mxPattern(text, item.position()).ifPresent(patterns::add);
                }
            }
        }
        Optional<FileReference> cert = Optional.ofNullable(keys.get("cert")).map(e -> file(e.value(), "'cert'"));
        Optional<FileReference> key = Optional.ofNullable(keys.get("key")).map(e -> file(e.value(), "'key'"));
        if (keys.get("cert") != null && keys.get("key") == null) {
            error(MTA_STS_KEY_PAIR, keys.get("cert").keyPosition(), "mta_sts has 'cert' but no 'key';"
                    + " the policy server needs both, so add the private key file as 'key'");
        } else if (keys.get("key") != null && keys.get("cert") == null) {
            error(MTA_STS_KEY_PAIR, keys.get("key").keyPosition(), "mta_sts has 'key' but no 'cert';"
                    + " the policy server needs both, so add the certificate chain file as 'cert'");
        }
        if (mode == null) {
            return null;
        }
        return new MtaStsSettings(mode, maxAge, patterns, cert, key, entry.keyPosition());
    }

    private Long maxAge(YamlNode.Entry entry) {
        Long value = integer(entry, MTA_STS_MAX_AGE, 0, MAX_MAX_AGE,
                "seconds from 0 to " + MAX_MAX_AGE + " (RFC 8461 section 3.2)");
        if (value != null && value < SHORT_MAX_AGE) {
            findings.add(Finding.warning(MTA_STS_MAX_AGE_SHORT, entry.value().position(), "max_age " + value
                    + " is less than a day; senders forget the policy that soon after they last fetched it,"
                    + " and RFC 8461 section 3.2 recommends weeks, such as 604800"));
        }
        return value;
    }

    /** An {@code mx} pattern, checked by the rules of {@link MxPattern} (RFC 8461 section 4.1). */
    private Optional<MtaStsSettings.Pattern> mxPattern(String text, SourcePosition position) {
        try {
            return Optional.of(new MtaStsSettings.Pattern(MxPattern.parse(text).toString(), position));
        } catch (IllegalArgumentException e) {
            error(MTA_STS_MX_PATTERN, position, "mx pattern '" + text + "' is not valid: " + e.getMessage());
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------- TLS-RPT

    private TlsRptSettings tlsRpt(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'tls_rpt'", "a map with at least 'rua'", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under tls_rpt", TLS_RPT_KEYS);
        // null when allow_https is present but invalid: https URIs are then neither allowed nor refused
        Boolean allowHttps = keys.get("allow_https") == null ? Boolean.FALSE : bool(keys.get("allow_https"));
        YamlNode.Entry ruaEntry = keys.required("rua", "tls_rpt",
                "give the address reports go to, as in 'rua: [\"mailto:tlsrpt@example.com\"]'");
        if (ruaEntry == null) {
            return null;
        }
        List<YamlNode.Scalar> items = stringOrList(ruaEntry.value(), "'rua'");
        if (items.isEmpty() && ruaEntry.value() instanceof YamlNode.Sequence) {
            error(EMPTY, ruaEntry.keyPosition(), "'rua' is empty; give at least one mailto: address for reports");
        }
        int before = errorCount();
        List<TlsRptSettings.Uri> uris = new ArrayList<>();
        for (YamlNode.Scalar item : items) {
            String text = string(item, "a report URI");
            if (text != null && reportUri(text.strip(), item.position(), allowHttps)) {
                uris.add(new TlsRptSettings.Uri(text.strip(), item.position()));
            }
        }
        if (uris.isEmpty() || allowHttps == null || errorCount() != before) {
            return null;
        }
        return new TlsRptSettings(uris, allowHttps, entry.keyPosition());
    }

    /** Checks a TLS-RPT report URI (RFC 8460 section 3); true when it may be published. */
    private boolean reportUri(String text, SourcePosition position, Boolean allowHttps) {
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            error(TLSRPT_URI, position, "report URI '" + text + "' is empty or contains white space");
            return false;
        }
        if (URI_RESERVED.matcher(text).find()) {
            error(TLSRPT_URI, position, "report URI '" + text + "' contains ',', ';' or '!', which RFC 8460 section 3"
                    + " requires percent-encoded (%2C, %3B, %21)");
            return false;
        }
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? text : text.substring(colon + 1);
        switch (scheme) {
            case "mailto" -> {
                return mailto(text, rest, position);
            }
            case "https" -> {
                if (!httpsUri(text, position) || allowHttps == null) {
                    return false;
                }
                String rule = "TR-03108-10-M requires reports by e-mail (mailto:) only";
                if (allowHttps) {
                    findings.add(Finding.warning(TLSRPT_HTTPS, position, "report URI '" + text
                            + "' asks for reports over HTTPS (accepted because of allow_https); " + rule));
                    return true;
                }
                error(TLSRPT_HTTPS, position, "report URI '" + text + "' asks for reports over HTTPS; " + rule
                        + ": use a mailto: address (or set 'allow_https: true' to publish it anyway)");
                return false;
            }
            default -> {
                String hint = colon < 0 && text.contains("@") ? "; write 'mailto:" + text + "'" : "";
                error(TLSRPT_SCHEME, position, "report URI '" + text + "' "
                        + (colon < 0 ? "has no scheme" : "has the scheme '" + scheme + ":'")
                        + "; TLS-RPT takes mailto: URIs (RFC 8460 section 3, TR-03108-10-M)" + hint);
                return false;
            }
        }
    }

    private boolean mailto(String text, String address, SourcePosition position) {
        int at = address.lastIndexOf('@');
        String problem = null;
        if (address.contains("?")) {
            problem = "header fields ('?...') are not supported; give the bare address";
        } else if (at <= 0 || at == address.length() - 1) {
            problem = "it needs an address of the form local@domain";
        } else if (!LOCAL_PART.matcher(address.substring(0, at)).matches()) {
            problem = "the local part '" + address.substring(0, at) + "' has characters that need percent-encoding";
        } else {
            problem = DnsNames.problem(DnsNames.normalise(address.substring(at + 1)), 2)
                    .map(p -> "the domain '" + address.substring(at + 1) + "' is not valid: " + p)
                    .orElse(null);
        }
        if (problem != null) {
            error(TLSRPT_URI, position, "report URI '" + text + "' is not a valid mailto: URI: " + problem);
            return false;
        }
        return true;
    }

    private boolean httpsUri(String text, SourcePosition position) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null && uri.getRawUserInfo() == null) {
                return true;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        error(TLSRPT_URI, position, "report URI '" + text + "' is not a valid https: URL");
        return false;
    }

    // ---------------------------------------------------------------- client services

    private ClientServices clientServices(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'client_services'", "a map from service to host:port", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under client_services", CLIENT_SERVICES_KEYS);
        Map<ClientService, List<ClientServices.Endpoint>> services = new EnumMap<>(ClientService.class);
        for (ClientService service : ClientService.values()) {
            services.put(service, List.of());
            YamlNode.Entry serviceEntry = keys.get(service.configKey());
            if (serviceEntry != null) {
                services.put(service, endpoints(service, serviceEntry));
            }
        }
        Optional<ServerCertificate> autoconfig = Optional.ofNullable(keys.get(AUTOCONFIG))
                .map(e -> serverCertificate(e, "autoconfig.<domain>"));
        Optional<ServerCertificate> autodiscover = Optional.ofNullable(keys.get(AUTODISCOVER))
                .map(e -> serverCertificate(e, "autodiscover.<domain>"));
        return new ClientServices(services, autoconfig, autodiscover, entry.keyPosition());
    }

    /**
     * {@code cert} and {@code key} of a host {@code mxpolicy serve} answers for; both required,
     * since the entry exists only to have the host served. Null after reporting.
     */
    private ServerCertificate serverCertificate(YamlNode.Entry entry, String host) {
        String where = "under " + entry.key();
        YamlNode.Mapping map = map(entry.value(), "'" + entry.key() + "'", "a map with 'cert' and 'key'", false);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), where, SERVER_CERTIFICATE_KEYS);
        YamlNode.Entry certEntry = keys.required("cert", "'" + entry.key() + "'",
                "give the certificate chain file for " + host + ", as in 'cert: /etc/letsencrypt/live/" + host
                        + "/fullchain.pem'");
        YamlNode.Entry keyEntry = keys.required("key", "'" + entry.key() + "'",
                "give the private key file for " + host + ", as in 'key: /etc/letsencrypt/live/" + host
                        + "/privkey.pem'");
        FileReference cert = certEntry == null ? null : file(certEntry.value(), "'cert'");
        FileReference key = keyEntry == null ? null : file(keyEntry.value(), "'key'");
        if (cert == null || key == null) {
            return null;
        }
        return new ServerCertificate(cert, key, entry.keyPosition());
    }

    private List<ClientServices.Endpoint> endpoints(ClientService service, YamlNode.Entry entry) {
        YamlNode value = entry.value();
        String expected = "'host:port', 'host', a list of those, or 'none'";
        if (value instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.STRING && scalar.text().equals(NONE)) {
            return List.of();
        }
        if (value instanceof YamlNode.Sequence list && list.items().isEmpty()) {
            error(EMPTY, entry.keyPosition(), "'" + entry.key() + "' is an empty list; write 'none' to publish the"
                    + " service as not offered");
            return List.of();
        }
        List<ClientServices.Endpoint> endpoints = new ArrayList<>();
        List<YamlNode> items = value instanceof YamlNode.Sequence list ? list.items() : List.of(value);
        for (YamlNode item : items) {
            if (!(item instanceof YamlNode.Scalar scalar) || scalar.type() == YamlNode.ScalarType.NULL) {
                error(TYPE, item.position(), "'" + entry.key() + "' must be " + expected + ", found " + item.describe());
                continue;
            }
            if (scalar.text().equals(NONE)) {
                error(SERVICE_ENDPOINT, item.position(), "'none' cannot be combined with hosts; write 'none' alone"
                        + " or leave it out");
                continue;
            }
            endpoint(service, scalar).ifPresent(endpoints::add);
        }
        return endpoints;
    }

    private Optional<ClientServices.Endpoint> endpoint(ClientService service, YamlNode.Scalar scalar) {
        String text = scalar.text().strip();
        if (text.startsWith("[")) {
            error(DNS_NAME, scalar.position(), "'" + text + "' is an IP address; SRV targets are host names"
                    + " (RFC 2782), so give the host name");
            return Optional.empty();
        }
        String host = text;
        int port = service.defaultPort();
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && text.indexOf(':') == colon && !text.startsWith("[")) {
            host = text.substring(0, colon);
            String digits = text.substring(colon + 1);
            long value = PORT_DIGITS.matcher(digits).matches() ? Long.parseLong(digits) : -1;
            if (value < 1 || value > MAX_PORT) {
                error(PORT, scalar.position(), "port '" + digits + "' of '" + text + "' must be a number from 1 to "
                        + MAX_PORT);
                return Optional.empty();
            }
            port = (int) value;
        }
        String name = DnsNames.normalise(host);
        Optional<String> problem = DnsNames.problem(name, 2);
        if (problem.isPresent()) {
            error(DNS_NAME, scalar.position(), "'" + text + "' is not a valid host name: " + problem.get());
            return Optional.empty();
        }
        return Optional.of(new ClientServices.Endpoint(name, port, scalar.position()));
    }

    // ---------------------------------------------------------------- cross-checks

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
                error(NO_ZONE, domain.position(), "domain '" + domain.name() + "' is in none of the configured zones,"
                        + " but its " + String.join(", ", records) + " records need one; add '" + domain.name()
                        + "' (or the zone that contains it) under 'zones'");
            }
            for (MxHost mx : domain.mx()) {
                if (hostsSeen.add(mx.host()) && config.zoneFor(mx.host()).isEmpty()) {
                    error(NO_ZONE, mx.position(), "mx host '" + mx.host() + "' is in none of the configured zones, but its"
                            + " TLSA records (_" + mx.port() + "._tcp." + mx.host() + ") need one; add the zone that"
                            + " contains it, such as '" + parent(mx.host()) + "', under 'zones'");
                }
            }
        }
    }

    /**
     * One MX host has one set of TLSA records, however many domains it serves, so every domain
     * that lists it must describe it the same way.
     */
    private void checkSharedMxHosts(List<MailDomain> domains) {
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
                    error(MX_CONFLICT, mx.position(), "mx host '" + mx.host() + "' differs in "
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
        return a.ttl() == b.ttl() && a.issuer() == b.issuer() && a.selector() == b.selector()
                && a.matching() == b.matching() && paths(a.extraIssuers()).equals(paths(b.extraIssuers()));
    }

    private static List<String> paths(List<FileReference> files) {
        return files.stream().map(FileReference::path).toList();
    }

    private static String parent(String host) {
        int dot = host.indexOf('.');
        return dot < 0 ? host : host.substring(dot + 1);
    }

    // ---------------------------------------------------------------- scalar values

    private Long ttl(YamlNode.Entry entry) {
        return integer(entry, TTL, 0, MAX_TTL, "seconds from 0 to " + MAX_TTL + " (RFC 2181 section 8)");
    }

    private Long port(YamlNode.Entry entry) {
        return integer(entry, PORT, 1, MAX_PORT, "a port number from 1 to " + MAX_PORT);
    }

    private Long choice(YamlNode.Entry entry, String id, List<Long> allowed, String words) {
        Long value = integer(entry, id, Long.MIN_VALUE, Long.MAX_VALUE, words);
        if (value != null && !allowed.contains(value)) {
            error(id, entry.value().position(), "'" + entry.key() + "' must be " + words + ", found " + value);
            return null;
        }
        return value;
    }

    /** An integer in {@code [min, max]}, or null after reporting why not. */
    private Long integer(YamlNode.Entry entry, String rangeId, long min, long max, String words) {
        YamlNode value = entry.value();
        if (!(value instanceof YamlNode.Scalar scalar) || scalar.type() != YamlNode.ScalarType.INTEGER) {
            String hint = value instanceof YamlNode.Scalar s && s.type() == YamlNode.ScalarType.STRING
                    && s.text().strip().matches("[0-9]+") ? "; remove the quotes" : "";
            error(TYPE, value.position(), "'" + entry.key() + "' must be an integer, found " + value.describe() + hint);
            return null;
        }
        BigInteger number = scalar.integer();
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            error(rangeId, value.position(), "'" + entry.key() + "' must be " + words + ", found " + number);
            return null;
        }
        return number.longValue();
    }

    private Boolean bool(YamlNode.Entry entry) {
        YamlNode value = entry.value();
        if (value instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.BOOLEAN) {
            return Boolean.parseBoolean(scalar.text());
        }
        error(BOOLEAN, value.position(), "'" + entry.key() + "' must be true or false, found " + value.describe());
        return null;
    }

    /** The text of a scalar; numbers and booleans count as their text. Null after reporting. */
    private String string(YamlNode node, String what) {
        if (node instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
            return scalar.text();
        }
        error(TYPE, node.position(), what + " must be a single value, found " + node.describe());
        return null;
    }

    /**
     * A host or domain name, normalised.
     *
     * @param longestPrefix the longest label prefix mxpolicy puts before the name in an owner
     *     name; the result must still fit the 253 characters of a DNS name
     */
    private String dnsName(YamlNode node, String what, int minLabels, String longestPrefix) {
        String text = string(node, "the " + what);
        if (text == null) {
            return null;
        }
        String name = DnsNames.normalise(text);
        Optional<String> problem = DnsNames.problem(name, minLabels);
        if (problem.isEmpty() && name.length() + longestPrefix.length() > DnsNames.MAX_NAME_LENGTH) {
            problem = Optional.of("it is too long for the records mxpolicy writes below it: '" + longestPrefix
                    + "' plus the name exceeds " + DnsNames.MAX_NAME_LENGTH + " characters");
        }
        if (problem.isPresent()) {
            error(DNS_NAME, node.position(), "'" + text + "' is not a valid " + what + ": " + problem.get());
            return null;
        }
        return name;
    }

    private FileReference file(YamlNode node, String what) {
        String path = string(node, what);
        if (path == null) {
            return null;
        }
        if (path.isBlank()) {
            error(PATH, node.position(), what + " is an empty path; give the file name");
            return null;
        }
        return new FileReference(path, node.position());
    }

    /** One path or a list of paths. */
    private List<FileReference> files(YamlNode node, String what) {
        List<FileReference> files = new ArrayList<>();
        for (YamlNode.Scalar item : stringOrList(node, what)) {
            FileReference file = file(item, what);
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }

    /** A single value or a list of single values; anything else is reported and skipped. */
    private List<YamlNode.Scalar> stringOrList(YamlNode node, String what) {
        List<YamlNode.Scalar> out = new ArrayList<>();
        List<YamlNode> items = node instanceof YamlNode.Sequence list ? list.items() : List.of(node);
        for (YamlNode item : items) {
            if (item instanceof YamlNode.Scalar scalar && scalar.type() != YamlNode.ScalarType.NULL) {
                out.add(scalar);
            } else {
                error(TYPE, item.position(), what + " must be a value or a list of values, found " + item.describe());
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- structure

    private YamlNode.Mapping map(YamlNode node, String what, String expected, boolean nullIsEmpty) {
        if (node instanceof YamlNode.Mapping map) {
            return map;
        }
        if (nullIsEmpty && node instanceof YamlNode.Scalar scalar && scalar.type() == YamlNode.ScalarType.NULL) {
            return new YamlNode.Mapping(List.of(), scalar.position());
        }
        error(TYPE, node.position(), what + " must be " + expected + ", found " + node.describe());
        return null;
    }

    private YamlNode.Sequence list(YamlNode node, String what, String expected) {
        if (node instanceof YamlNode.Sequence list) {
            return list;
        }
        String hint = node instanceof YamlNode.Mapping ? "; start each entry with '- '" : "";
        error(TYPE, node.position(), what + " must be " + expected + ", found " + node.describe() + hint);
        return null;
    }

    private <T> T optional(YamlNode.Entry entry, Function<YamlNode.Entry, T> bind, T otherwise) {
        if (entry == null) {
            return otherwise;
        }
        T value = bind.apply(entry);
        return value == null ? otherwise : value;
    }

    /** The entries of a map, with its unknown keys reported. */
    private final class Keys {
        private final SourcePosition owner;
        private final Map<String, YamlNode.Entry> byKey = new LinkedHashMap<>();
        /** Known keys that an unknown key was taken for, or all of them after a merge key. */
        private final Set<String> excused = new HashSet<>();

        /**
         * @param owner where a missing key is reported: the key that holds the map, or for a
         *     list item the map itself
         */
        Keys(YamlNode.Mapping map, SourcePosition owner, String where, List<String> known) {
            this.owner = owner;
            for (YamlNode.Entry entry : map.entries()) {
                if (known.contains(entry.key())) {
                    byKey.put(entry.key(), entry);
                } else {
                    unknownKey(entry, where, known).ifPresentOrElse(excused::add, () -> {
                        if (entry.key().equals(MERGE_KEY)) {
                            excused.addAll(known);
                        }
                    });
                }
            }
        }

        YamlNode.Entry get(String key) {
            return byKey.get(key);
        }

        YamlNode.Entry required(String key, String what, String fix) {
            YamlNode.Entry entry = byKey.get(key);
            // a misspelt key was reported already, with the right spelling: one finding is enough
            if (entry == null && !excused.contains(key)) {
                error(MISSING_KEY, owner, what + " is missing the required key '" + key + "'; " + fix);
            }
            return entry;
        }
    }

    /** Reports an unknown key; returns the known key it was probably meant to be. */
    private Optional<String> unknownKey(YamlNode.Entry entry, String where, List<String> known) {
        if (entry.key().equals(MERGE_KEY)) {
            error(UNKNOWN_KEY, entry.keyPosition(), "YAML merge keys ('<<') are not supported " + where
                    + "; write the keys out");
            return Optional.empty();
        }
        Optional<String> meant = suggestion(entry.key(), known);
        error(UNKNOWN_KEY, entry.keyPosition(), "unknown key '" + entry.key() + "' " + where
                + meant.map(s -> "; did you mean '" + s + "'?").orElse("; known keys: " + String.join(", ", known)));
        return meant;
    }

    /** The known word closest to a misspelt one, if it is close enough to be meant. */
    static Optional<String> suggestion(String word, Collection<String> known) {
        String lower = word.toLowerCase(Locale.ROOT).replace('-', '_');
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(lower, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(1, Math.min(2, lower.length() / 3));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: Levenshtein plus swaps of adjacent letters ("tsla"). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private void error(String id, SourcePosition position, String message) {
        findings.add(Finding.error(id, position, Objects.requireNonNull(message)));
    }

    private int errorCount() {
        return (int) findings.stream().filter(Finding::isError).count();
    }
}
