package org.mxpolicy.intake;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.mxpolicy.tlsrpt.ReportLimits;
import org.mxpolicy.tlsrpt.ReportPayload;
import org.mxpolicy.tlsrpt.ReportRejectedException;

/**
 * The report attachments of one mail (RFC 8460 section 5.3). The RFC's shape is a
 * {@code multipart/report; report-type=tlsrpt} with an {@code application/tlsrpt+gzip} or
 * {@code application/tlsrpt+json} part; real senders also attach reports as
 * {@code application/gzip}, {@code application/octet-stream} or {@code application/json}, named
 * like {@code google.com!example.com!1700000000!1700086399!001.json.gz}, or send the report as the
 * whole body. Parts of such generic types count when their name or their first bytes say report.
 *
 * @param messageId the Message-ID header, if any
 * @param reportDomain the TLS-Report-Domain header, if any
 * @param attachments the candidate report parts in message order
 */
record ReportMail(Optional<String> messageId, Optional<String> reportDomain, List<Attachment> attachments) {

    /** The media types of RFC 8460 section 6.4 and 6.5. */
    static final String TLSRPT_GZIP = "application/tlsrpt+gzip";

    static final String TLSRPT_JSON = "application/tlsrpt+json";

    /** Types real senders put reports in; such a part must also look like a report. */
    private static final Set<String> GENERIC_TYPES = Set.of(
            "application/gzip",
            "application/x-gzip",
            "application/x-gzip-compressed",
            "application/gzip-compressed",
            "application/octet-stream",
            "application/json",
            "text/json",
            "application/x-json");

    private static final int MAX_PARTS = 100;

    ReportMail {
        attachments = List.copyOf(attachments);
    }

    /**
     * The report parts of {@code message}.
     *
     * @throws ReportRejectedException the message cannot be parsed as MIME
     */
    static ReportMail read(byte[] message, ReportLimits limits) throws ReportRejectedException {
        MimeConfig config = new MimeConfig.Builder()
                .setMaxLineLen(-1) // base64 bodies of some senders come as one long line
                .setMaxHeaderCount(1000)
                .setMaxHeaderLen(64 * 1024)
                .setMaxPartCount(MAX_PARTS)
                .setMaxNestingDepth(10)
                .build();
        MimeStreamParser parser =
                new MimeStreamParser(config, DecodeMonitor.SILENT, new DefaultBodyDescriptorBuilder());
        parser.setContentDecoding(true);
        Collector collector = new Collector(limits.maxCompressedBytes());
        parser.setContentHandler(collector);
        try {
            parser.parse(new ByteArrayInputStream(message));
        } catch (MimeException | IOException e) {
            throw new ReportRejectedException("reports.mime", "not a readable MIME message: " + e.getMessage(), e);
        }
        if (collector.headers == 0) {
            throw new ReportRejectedException("reports.mime", "not a mail message: no header");
        }
        return new ReportMail(
                Optional.ofNullable(collector.messageId), Optional.ofNullable(collector.reportDomain), collector.found);
    }

    /** Collects the top-level headers mxpolicy reads and the parts that may be reports. */
    private static final class Collector extends AbstractContentHandler {
        private final int maxBytes;
        private final List<Attachment> found = new ArrayList<>();
        private int headers;
        private int parts;
        private String messageId;
        private String reportDomain;

        Collector(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void startHeader() {
            headers++;
        }

        @Override
        public void field(Field field) {
            if (headers != 1) {
                return;
            }
            String name = field.getName().toLowerCase(Locale.ROOT);
            String body = field.getBody() == null ? "" : field.getBody().strip();
            if (name.equals("message-id") && messageId == null) {
                messageId = body;
            } else if (name.equals("tls-report-domain") && reportDomain == null) {
                reportDomain = body;
            }
        }

        @Override
        public void body(BodyDescriptor descriptor, InputStream in) throws IOException {
            parts++;
            String type = descriptor.getMimeType() == null
                    ? "text/plain"
                    : descriptor.getMimeType().toLowerCase(Locale.ROOT);
            String name = null;
            if (descriptor instanceof MaximalBodyDescriptor maximal) {
                name = maximal.getContentDispositionFilename();
                if (name == null) {
                    name = maximal.getContentTypeParameters().get("name");
                }
            }
            boolean tlsrpt = type.equals(TLSRPT_GZIP) || type.equals(TLSRPT_JSON);
            if (!tlsrpt && !GENERIC_TYPES.contains(type)) {
                return;
            }
            byte[] bytes = readBounded(in, maxBytes);
            if (!tlsrpt && !looksLikeReport(name, bytes)) {
                return;
            }
            String label = name == null || name.isBlank() ? "part " + parts + " (" + type + ")" : name.strip();
            found.add(new Attachment(label, type, bytes));
        }

        private static boolean looksLikeReport(String name, byte[] bytes) {
            String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".xml.gz") || lower.endsWith(".xml")) {
                return false; // a DMARC aggregate report in the same mailbox is not a TLS report
            }
            boolean reportName = lower.endsWith(".json") || lower.endsWith(".json.gz") || lower.endsWith(".gz");
            return reportName || ReportPayload.isGzip(bytes) || ReportPayload.isJsonObject(bytes);
        }

        /** At most {@code max + 1} bytes: one past the limit tells that the part is too large. */
        private static byte[] readBounded(InputStream in, int max) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[64 * 1024];
            int n;
            while (out.size() <= max && (n = in.read(chunk, 0, Math.min(chunk.length, max + 1 - out.size()))) > 0) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }
}
