package org.mxpolicy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.tlsrpt.ParsedReport;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;

/** A report store in memory, for the intake's tests; {@link #failing} makes it unavailable. */
public final class MemoryReportStore implements ReportStore {

    public final Map<String, ParsedReport> reports = new LinkedHashMap<>();
    public final List<String> sources = new ArrayList<>();
    public boolean failing;
    /** Stores this many more reports, then fails as {@link #failing} does; negative for never. */
    public int failAfter = -1;

    @Override
    public Outcome store(ParsedReport report, String source, Instant received) throws ReportStoreException {
        if (failAfter == 0) {
            failing = true;
        }
        if (failAfter > 0) {
            failAfter--;
        }
        if (failing) {
            throw new ReportStoreException("the store is down", new IllegalStateException("down"));
        }
        String key = report.report().organizationName() + "\n" + report.report().reportId();
        if (reports.containsKey(key)) {
            return Outcome.DUPLICATE;
        }
        reports.put(key, report);
        sources.add(source);
        return Outcome.STORED;
    }

    @Override
    public SummaryData summary(Instant since, Optional<String> domain) {
        throw new UnsupportedOperationException("the intake does not read summaries");
    }

    @Override
    public List<LastReport> lastReports() {
        throw new UnsupportedOperationException("the intake does not read the last reports");
    }

    @Override
    public List<PolicyStringUse> policyStrings(Instant since, Optional<String> domain) {
        return List.of();
    }

    @Override
    public int prune(Instant before) {
        throw new UnsupportedOperationException("the intake does not prune");
    }

    @Override
    public void close() {}
}
