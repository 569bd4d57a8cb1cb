package org.mxpolicy.transparency;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The transparency report of TR-03108 16-M: per partner provider whether it meets the guideline,
 * since when, and what it was before; optionally the level of single exchanges per day.
 *
 * @param generated when the report was made
 * @param rules the TR-03116-4 edition TLS was judged by, as {@code TlsRuleSet.describe()} gives it
 * @param partners the partners by domain, each with its history
 * @param audited whether the partners were audited live
 * @param log what the mail log showed, when one was read
 * @param perDay accepted deliveries per day and level, when asked for
 */
public record TransparencyReport(
        Instant generated,
        String rules,
        List<Entry> partners,
        boolean audited,
        Optional<LogSummary> log,
        SortedMap<LocalDate, Map<TlsLevel, Long>> perDay) {

    /** One partner's verdict and its history. */
    public record Entry(PartnerVerdict verdict, PartnerHistory history) {
        public Entry {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(history, "history");
        }
    }

    /**
     * The logs read.
     *
     * @param files the files, oldest first
     * @param reading line counts
     * @param first the day of the first delivery
     * @param last the day of the last delivery
     */
    public record LogSummary(
            List<String> files, LogReading reading, Optional<LocalDate> first, Optional<LocalDate> last) {
        public LogSummary {
            files = List.copyOf(files);
            Objects.requireNonNull(reading, "reading");
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(last, "last");
        }
    }

    public TransparencyReport {
        Objects.requireNonNull(generated, "generated");
        Objects.requireNonNull(rules, "rules");
        partners = List.copyOf(partners);
        Objects.requireNonNull(log, "log");
        perDay = Collections.unmodifiableSortedMap(new TreeMap<>(perDay));
    }

    /** Partners that meet the guideline. */
    public long meeting() {
        return partners.stream()
                .filter(e -> e.verdict().meets().state() == Assessment.State.MET)
                .count();
    }

    /** Partners whose verdict changed with this report. */
    public List<Entry> changed() {
        return partners.stream().filter(e -> e.history().changedAt(generated)).toList();
    }
}
