package org.mxpolicy.transparency;

import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The deliveries to one partner domain the log shows.
 *
 * @param domain the partner
 * @param delivered deliveries the partner accepted, by the level of their connection
 * @param notDelivered deliveries deferred or bounced (whatever the reason)
 * @param outsideProfile accepted deliveries over TLS with a version or suite outside TR-03116-4
 * @param first the day of the first delivery
 * @param last the day of the last delivery
 * @param sessions the TLS versions and suites seen ({@code TLSv1.3 TLS_AES_256_GCM_SHA384}),
 *     sorted, at most {@link TrafficTally#SESSIONS_KEPT}
 */
public record PartnerTraffic(
        String domain,
        Map<TlsLevel, Long> delivered,
        long notDelivered,
        long outsideProfile,
        LocalDate first,
        LocalDate last,
        List<String> sessions) {

    public PartnerTraffic {
        Objects.requireNonNull(domain, "domain");
        EnumMap<TlsLevel, Long> all = new EnumMap<>(TlsLevel.class);
        for (TlsLevel level : TlsLevel.values()) {
            all.put(level, delivered.getOrDefault(level, 0L));
        }
        delivered = java.util.Collections.unmodifiableMap(all);
        sessions = List.copyOf(sessions);
    }

    /** Deliveries the partner accepted, at any level. */
    public long deliveredTotal() {
        return delivered.values().stream().mapToLong(Long::longValue).sum();
    }

    public long deliveredAt(TlsLevel level) {
        return delivered.get(level);
    }
}
