package org.mxpolicy.rollover;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mxpolicy.finding.MessageText;

/**
 * When a certificate with the next key may go live. A resolver that fetched the TLSA RRset just
 * before the next key's record was served keeps that copy for up to the TTL window; DANE
 * senders using it would fail to match the new key (RFC 7671 sections 8.1 and 8.4: publish
 * the new record, wait for caches to expire, then switch). Waiting twice the window also covers
 * a copy fetched just before the change from a server that was still behind; the margin covers
 * clock differences and the time between observations:
 *
 * <pre>opens at = served_since + 2 x ttl_window + margin</pre>
 *
 * <p>The DNSSEC key rollovers ({@code keyroll.KeyRollMachine}) wait at the same gate for the same
 * reason: a new DNSKEY, a retired key's signatures going, the parent's new DS.
 *
 * @param servedSince when the next key's record was first seen served everywhere and validated
 * @param ttlWindow the TTL window of the TLSA RRset (see {@link RolloverState.NextKey#ttlWindow})
 * @param margin the configured extra wait
 */
public record RolloverGate(Instant servedSince, Duration ttlWindow, Duration margin) {

    public RolloverGate {
        Objects.requireNonNull(servedSince, "servedSince");
        Objects.requireNonNull(ttlWindow, "ttlWindow");
        Objects.requireNonNull(margin, "margin");
        if (ttlWindow.isNegative() || margin.isNegative()) {
            throw new IllegalArgumentException("negative ttl window or margin");
        }
    }

    public Instant opensAt() {
        return servedSince.plus(ttlWindow.multipliedBy(2)).plus(margin);
    }

    /** {@link #opensAt()} rounded up to the second, so a time shown never promises the gate too soon. */
    private Instant opensAtSecond() {
        Instant opens = opensAt();
        Instant second = opens.truncatedTo(ChronoUnit.SECONDS);
        return second.equals(opens) ? opens : second.plusSeconds(1);
    }

    public boolean isOpen(Instant now) {
        return !now.isBefore(opensAt());
    }

    /** How long until the gate opens; zero once it is open. */
    public Duration timeLeft(Instant now) {
        return isOpen(now) ? Duration.ZERO : Duration.between(now, opensAt());
    }

    /**
     * For people: {@code opens at 2026-03-01T14:00:00Z (in 1h 30m)} or
     * {@code open since 2026-03-01T14:00:00Z}.
     */
    public String describe(Instant now) {
        return isOpen(now)
                ? "open since " + MessageText.instant(opensAtSecond())
                : "opens at " + MessageText.instant(opensAtSecond()) + " (in " + roundedUp(timeLeft(now)) + ")";
    }

    /**
     * The two largest units of a positive duration, rounded up so the text never promises the
     * gate sooner than it opens: {@code 2d 1h}, {@code 1h 30m}, {@code 5m 1s}.
     */
    static String roundedUp(Duration d) {
        long[] sizes = {86_400, 3600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        int first = 0;
        while (first < sizes.length - 1 && seconds < sizes[first]) {
            first++;
        }
        int last = Math.min(first + 1, sizes.length - 1);
        long step = sizes[last];
        seconds = (seconds + step - 1) / step * step;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sizes.length && parts.size() < 2; i++) {
            long n = seconds / sizes[i];
            seconds %= sizes[i];
            if (n > 0 || (i == sizes.length - 1 && parts.isEmpty())) {
                parts.add(n + units[i]);
            }
        }
        return String.join(" ", parts);
    }
}
