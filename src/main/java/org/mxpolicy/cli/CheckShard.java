package org.mxpolicy.cli;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxpolicy.desired.DesiredDomain;
import org.mxpolicy.desired.DesiredMx;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Shard {@code index} of {@code count} of a check ({@code check --shard K/N}): the part of the
 * config one of N machines checks, the same on every run, JVM and machine and whatever the order
 * of the config.
 *
 * <p>Each zone, domain and MX host has a key name, and belongs to shard K when the first 8 bytes
 * of the SHA-256 of that name (lower case, no trailing dot), as an unsigned number, modulo N are
 * K-1. The key is the outermost configured zone that holds its records (for a domain
 * {@code _mta-sts.<domain>}, for an MX host its TLSA owner {@code _<port>._tcp.<host>}), or its own
 * name when no configured zone holds them. So a shared MX host is checked once, with the zone that
 * publishes its TLSA records, and a zone's plan is judged by its safety rules with every
 * certificate in use and every served policy it needs, as in an unsharded run. A customer domain
 * that is its own zone is sharded by its own name.
 */
record CheckShard(int index, int count) {

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})/([0-9]{1,9})");

    CheckShard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException(
                    "shard " + index + "/" + count + " is not one of 1/" + count + " to " + count + "/" + count);
        }
    }

    /** {@code K/N} with 1 &lt;= K &lt;= N. */
    static CheckShard parse(String text) {
        Matcher m = SYNTAX.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not K/N (such as 2/3)");
        }
        int k = Integer.parseInt(m.group(1));
        int n = Integer.parseInt(m.group(2));
        if (n < 1 || k < 1 || k > n) {
            throw new IllegalArgumentException("'" + text + "' is not K/N with 1 <= K <= N (such as 2/3)");
        }
        return new CheckShard(k, n);
    }

    /** For picocli: a bad value is a usage error of one line. */
    static final class Converter implements ITypeConverter<CheckShard> {
        @Override
        public CheckShard convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** The part of {@code desired} this shard checks; nameservers and report owners stay whole, they are lookups. */
    DesiredState select(DesiredState desired) {
        Set<Name> zones =
                new HashSet<>(desired.zones().stream().map(ZoneFragment::zone).toList());
        List<ZoneFragment> fragments = new ArrayList<>();
        for (ZoneFragment fragment : desired.zones()) {
            if (owns(key(fragment.zone(), zones))) {
                fragments.add(fragment);
            }
        }
        List<DesiredDomain> domains = new ArrayList<>();
        for (DesiredDomain domain : desired.domains()) {
            if (owns(key(name("_mta-sts." + domain.name()), zones))) {
                domains.add(domain);
            }
        }
        Set<String> domainNames =
                new TreeSet<>(domains.stream().map(DesiredDomain::name).toList());
        List<DomainPolicy> policies = desired.policies().stream()
                .filter(p -> domainNames.contains(p.domain()))
                .toList();
        List<DesiredMx> hosts = new ArrayList<>();
        for (DesiredMx mx : desired.mxHosts()) {
            if (owns(key(mx.tlsaOwner(), zones))) {
                hosts.add(mx);
            }
        }
        return new DesiredState(
                fragments,
                policies,
                desired.findings(),
                hosts,
                domains,
                desired.nameservers(),
                desired.httpsReportOwners());
    }

    boolean owns(String keyName) {
        return of(keyName, count) == index;
    }

    /** The shard (1 to {@code count}) of a key name. */
    static int of(String keyName, int count) {
        byte[] digest = sha256(normal(keyName));
        long first8 = ByteBuffer.wrap(digest, 0, 8).getLong();
        return (int) Long.remainderUnsigned(first8, count) + 1;
    }

    /**
     * The outermost configured zone holding {@code name}, or the name itself: its ancestors looked
     * up from the top, a few set lookups per name however many zones the config has.
     */
    private static String key(Name name, Set<Name> zones) {
        for (int strip = name.labels() - 1; strip >= 0; strip--) {
            Name ancestor = new Name(name, strip);
            if (zones.contains(ancestor)) {
                return ancestor.toString();
            }
        }
        return name.toString();
    }

    private static Name name(String text) {
        return Name.fromConstantString(text.endsWith(".") ? text : text + ".");
    }

    private static String normal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * What a set of shards must share to be merged: lower-case hex SHA-256 of the config's zones,
     * domains and MX hosts, sorted, so two configs that split the same work match whatever their order.
     */
    static String fingerprint(DesiredState desired) {
        Set<String> lines = new TreeSet<>();
        desired.zones().forEach(z -> lines.add("zone " + normal(z.zone().toString())));
        desired.domains().forEach(d -> lines.add("domain " + normal(d.name())));
        desired.mxHosts().forEach(m -> lines.add("mx " + normal(m.host()) + ":" + m.port()));
        return HexFormat.of().formatHex(sha256(String.join("\n", lines)));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
