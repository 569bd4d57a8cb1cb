package org.mxpolicy.tlsrpt;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The JSON of one report from the bytes of an attachment: gunzipped when it is gzip (whatever
 * its content type says, as senders label it variously), taken as it is when it is JSON, refused
 * otherwise. Decompression stops one byte past the limit, so a gzip bomb costs at most the limit.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8460#section-5.3">RFC 8460 section 5.3</a>
 */
public final class ReportPayload {

    private static final int CHUNK = 64 * 1024;

    private ReportPayload() {}

    /** Whether the bytes start as a gzip member does (RFC 1952 section 2.3.1: ID1 ID2). */
    public static boolean isGzip(byte[] bytes) {
        return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
    }

    /** Whether the bytes look like a JSON object: '{' after optional whitespace and a UTF-8 byte order mark. */
    public static boolean isJsonObject(byte[] bytes) {
        int i = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < bytes.length && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n')) {
            i++;
        }
        return i < bytes.length && bytes[i] == '{';
    }

    /**
     * The report's JSON.
     *
     * @param name the attachment's name, for messages
     * @throws ReportRejectedException neither gzip nor JSON, broken gzip, or more than the limit
     */
    public static byte[] json(byte[] attachment, String name, ReportLimits limits) throws ReportRejectedException {
        if (attachment.length > limits.maxCompressedBytes()) {
            throw new ReportRejectedException(
                    "reports.attachment-size",
                    name + ": the attachment has " + attachment.length + " bytes, more than the limit of "
                            + ReportLimits.size(limits.maxCompressedBytes()));
        }
        if (isGzip(attachment)) {
            byte[] json = gunzip(attachment, name, limits.maxReportBytes());
            if (!isJsonObject(json)) {
                throw new ReportRejectedException(
                        "reports.not-json", name + ": the gzip data does not hold a JSON object");
            }
            return json;
        }
        if (isJsonObject(attachment)) {
            if (attachment.length > limits.maxReportBytes()) {
                throw new ReportRejectedException(
                        "reports.report-size",
                        name + ": the report is larger than " + ReportLimits.size(limits.maxReportBytes()));
            }
            return attachment;
        }
        throw new ReportRejectedException("reports.not-json", name + ": neither gzip nor a JSON object");
    }

    private static byte[] gunzip(byte[] gzip, String name, int maxBytes) throws ReportRejectedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip), CHUNK)) {
            int n;
            while ((n = in.read(chunk, 0, Math.min(chunk.length, maxBytes + 1 - out.size()))) > 0) {
                out.write(chunk, 0, n);
                if (out.size() > maxBytes) {
                    throw new ReportRejectedException(
                            "reports.gzip-bomb",
                            name + ": decompresses to more than " + ReportLimits.size(maxBytes) + " from " + gzip.length
                                    + " bytes; refused as a decompression bomb");
                }
            }
        } catch (EOFException e) {
            throw new ReportRejectedException("reports.gzip", name + ": the gzip data is truncated", e);
        } catch (ZipException e) {
            throw new ReportRejectedException("reports.gzip", name + ": broken gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ReportRejectedException("reports.gzip", name + ": cannot decompress: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
