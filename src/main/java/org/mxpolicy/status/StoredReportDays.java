package org.mxpolicy.status;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mxpolicy.check.StoredReports;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;

/**
 * The sessions per day from the report store. The store sums the reports whose period ends at
 * or after a time ({@link ReportStore#summary}); a day's sessions are the sums from its start
 * less those from the next day's, so a report counts on the day its period ends. A domain's days
 * are read again at most every {@link #FRESH} minutes: reports arrive once a day per sender.
 */
public final class StoredReportDays implements ReportSource {

    static final Duration FRESH = Duration.ofMinutes(10);

    private record Read(Instant at, ReportDays days) {}

    private final StoredReports.Opener store;
    private final Map<String, Read> cache = new ConcurrentHashMap<>();

    public StoredReportDays(StoredReports.Opener store) {
        this.store = store;
    }

    @Override
    public ReportDays days(String domain, Instant now) {
        Read cached = cache.get(domain);
        if (cached != null && Duration.between(cached.at(), now).compareTo(FRESH) < 0) {
            return cached.days();
        }
        ReportDays days = read(domain, now);
        cache.put(domain, new Read(now, days));
        return days;
    }

    private ReportDays read(String domain, Instant now) {
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        // sums[k]: sessions of the reports that ended at or after the start of day k (0: DAYS-1 days ago)
        long[][] sums = new long[ReportDays.DAYS + 1][2];
        try (ReportStore reports = store.open()) {
            for (int k = 0; k < ReportDays.DAYS; k++) {
                Instant start = today.minus(Duration.ofDays(ReportDays.DAYS - 1L - k));
                for (ReportStore.PolicyTotal t :
                        reports.summary(start, Optional.of(domain)).totals()) {
                    sums[k][0] += t.successful();
                    sums[k][1] += t.failed();
                }
            }
        } catch (ReportStoreException e) {
            return ReportDays.unavailable("the report store cannot be read: " + e.getMessage());
        }
        List<String> dates = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        for (int k = 0; k < ReportDays.DAYS; k++) {
            dates.add(Times.day(today.minus(Duration.ofDays(ReportDays.DAYS - 1L - k))));
            counts.add(new long[] {sums[k][0] - sums[k + 1][0], sums[k][1] - sums[k + 1][1]});
        }
        return ReportDays.of(dates, counts);
    }
}
