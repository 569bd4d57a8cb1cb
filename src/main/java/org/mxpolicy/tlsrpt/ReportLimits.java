package org.mxpolicy.tlsrpt;

/**
 * How much of a report mail mxpolicy reads. Reports come from anyone who can send mail, so every
 * size is bounded before anything is held in memory: a gzip bomb ends in a finding, not an
 * out-of-memory error. Real reports of the large senders are a few kilobytes.
 *
 * @param maxMessageBytes the whole message as delivered, headers and encoded attachments
 * @param maxCompressedBytes one decoded attachment, before decompression
 * @param maxReportBytes one report's JSON, after decompression
 * @param maxJsonDepth the deepest nesting of JSON arrays and objects (a report needs 5)
 * @param maxFailureDetails failure-details entries over all policies of one report
 */
public record ReportLimits(
        int maxMessageBytes, int maxCompressedBytes, int maxReportBytes, int maxJsonDepth, int maxFailureDetails) {

    public static final int MIB = 1024 * 1024;

    public ReportLimits {
        if (maxMessageBytes <= 0
                || maxCompressedBytes <= 0
                || maxReportBytes <= 0
                || maxJsonDepth < 5
                || maxFailureDetails <= 0) {
            throw new IllegalArgumentException("limits are positive and allow a report's depth of 5");
        }
    }

    /** 25 MiB per message, 10 MiB per attachment, 50 MiB of JSON, depth 20, 100,000 failure details. */
    public static ReportLimits defaults() {
        return new ReportLimits(25 * MIB, 10 * MIB, 50 * MIB, 20, 100_000);
    }

    /** The limit in words: {@code 10 MiB}, {@code 64 KiB}, or a number of bytes. */
    public static String size(long bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
