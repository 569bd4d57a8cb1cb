package org.mxpolicy.status;

import java.time.Instant;

/** Where the domain pages get the TLS reports senders sent, per day; {@link StoredReportDays} reads the report store. */
@FunctionalInterface
public interface ReportSource {

    /** The last {@link ReportDays#DAYS} days of a domain, ending with the day of {@code now}. */
    ReportDays days(String domain, Instant now);
}
