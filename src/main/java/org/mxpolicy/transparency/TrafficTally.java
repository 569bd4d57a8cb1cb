package org.mxpolicy.transparency;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.mxpolicy.tls.TlsRuleSet;

/**
 * Adds up the exchanges of a log per partner domain and per day, judging the TLS of each against
 * the TR-03116-4 edition in force. Holds counts only, never the exchanges themselves.
 */
public final class TrafficTally implements Consumer<Exchange> {

    /** Distinct TLS versions and suites kept per partner, for the evidence. */
    static final int SESSIONS_KEPT = 8;

    private final TlsRuleSet rules;
    private final Map<String, Counts> partners = new TreeMap<>();
    private final SortedMap<LocalDate, long[]> days = new TreeMap<>();

    public TrafficTally(TlsRuleSet rules) {
        this.rules = rules;
    }

    private static final class Counts {
        final long[] delivered = new long[TlsLevel.values().length];
        long notDelivered;
        long outside;
        LocalDate first;
        LocalDate last;
        final TreeSet<String> sessions = new TreeSet<>();
    }

    @Override
    public void accept(Exchange exchange) {
        Counts counts = partners.computeIfAbsent(exchange.domain(), d -> new Counts());
        if (counts.first == null || exchange.date().isBefore(counts.first)) {
            counts.first = exchange.date();
        }
        if (counts.last == null || exchange.date().isAfter(counts.last)) {
            counts.last = exchange.date();
        }
        if (!exchange.delivered()) {
            counts.notDelivered++;
            return;
        }
        counts.delivered[exchange.level().ordinal()]++;
        days.computeIfAbsent(exchange.date(), d -> new long[TlsLevel.values().length])[
                exchange.level().ordinal()]++;
        if (exchange.level() != TlsLevel.PLAINTEXT) {
            String protocol = exchange.protocol().orElse("");
            String cipher = exchange.cipher().orElse("");
            if (!withinProfile(rules, protocol, cipher)) {
                counts.outside++;
            }
            String session = protocol + " " + cipher;
            if (counts.sessions.size() < SESSIONS_KEPT || counts.sessions.contains(session)) {
                counts.sessions.add(session);
            }
        }
    }

    /** Whether a TLS version and suite (as Postfix logs them) are both in {@code rules}. */
    static boolean withinProfile(TlsRuleSet rules, String protocol, String cipher) {
        if (rules.protocols().stream().noneMatch(r -> r.name().equals(protocol))) {
            return false;
        }
        String iana = CipherNames.iana(cipher).orElse("");
        var suites = protocol.equals("TLSv1.3") ? rules.tls13CipherSuites() : rules.tls12CipherSuites();
        return suites.stream().anyMatch(r -> r.name().equals(iana));
    }

    /** Per partner domain, sorted by name. */
    public Map<String, PartnerTraffic> partners() {
        Map<String, PartnerTraffic> result = new LinkedHashMap<>();
        partners.forEach((domain, counts) -> {
            Map<TlsLevel, Long> delivered = new EnumMap<>(TlsLevel.class);
            for (TlsLevel level : TlsLevel.values()) {
                delivered.put(level, counts.delivered[level.ordinal()]);
            }
            result.put(
                    domain,
                    new PartnerTraffic(
                            domain,
                            delivered,
                            counts.notDelivered,
                            counts.outside,
                            counts.first,
                            counts.last,
                            new ArrayList<>(counts.sessions)));
        });
        return Collections.unmodifiableMap(result);
    }

    /** Accepted deliveries per day and level, all partners together, by day. */
    public SortedMap<LocalDate, Map<TlsLevel, Long>> perDay() {
        SortedMap<LocalDate, Map<TlsLevel, Long>> result = new TreeMap<>();
        days.forEach((day, counts) -> {
            Map<TlsLevel, Long> levels = new EnumMap<>(TlsLevel.class);
            for (TlsLevel level : TlsLevel.values()) {
                levels.put(level, counts[level.ordinal()]);
            }
            result.put(day, Collections.unmodifiableMap(levels));
        });
        return Collections.unmodifiableSortedMap(result);
    }
}
