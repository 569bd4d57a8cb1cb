package org.mxpolicy.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** The TLS report mails and reports of {@code src/test/resources/tlsrpt/} (written by its make-corpus.py). */
public final class ReportCorpus {

    private ReportCorpus() {}

    public static byte[] bytes(String name) {
        try (InputStream in = ReportCorpus.class.getResourceAsStream("/tlsrpt/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no /tlsrpt/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
