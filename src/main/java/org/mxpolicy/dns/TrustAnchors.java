package org.mxpolicy.dns;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The DNSSEC trust anchors validation starts from (RFC 4033 section 3.1): DS or DNSKEY records in
 * presentation format, one record per line, {@code ;} comments, as in unbound's
 * {@code trust-anchor-file} and Debian's {@code /usr/share/dns/root.ds}.
 *
 * @param records the DS and DNSKEY records
 */
public record TrustAnchors(List<Record> records) {

    /** The largest trust anchor file read: a few DS or DNSKEY lines are expected. */
    public static final InputLimit SIZE_LIMIT = new InputLimit("trust anchor file", "dns.anchor-size", 1024 * 1024);

    private static final String ROOT_RESOURCE = "root-anchors.txt";

    public TrustAnchors {
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no trust anchor");
        }
    }

    /** The root zone's key-signing keys as IANA publishes them (see {@code root-anchors.txt}). */
    public static TrustAnchors ianaRoot() {
        try (InputStream in = TrustAnchors.class.getResourceAsStream(ROOT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ROOT_RESOURCE + " is missing from the class path");
            }
            return read(new InputStreamReader(in, StandardCharsets.US_ASCII), ROOT_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidInputException e) {
            throw new IllegalStateException("the built-in root anchors do not parse: " + e.getMessage(), e);
        }
    }

    /** Anchors given as text, one record per string (config values, test fixtures). */
    public static TrustAnchors of(List<String> lines, String source) throws InvalidInputException {
        return read(new StringReader(String.join("\n", lines)), source);
    }

    /**
     * Reads anchors, one record per line, with absolute owner names.
     *
     * @throws InvalidInputException naming the line of every record that does not parse or is not
     *     a DS or DNSKEY of class IN, or when there is none
     */
    public static TrustAnchors read(Reader in, String source) throws InvalidInputException {
        List<Record> records = new ArrayList<>();
        List<Finding> problems = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(in)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith(";") || text.startsWith("#")) {
                    continue;
                }
                SourcePosition at = SourcePosition.at(source, number, line.indexOf(text) + 1);
                try (Master master =
                        new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Name.root, 0)) {
                    Record record = master.nextRecord();
                    if (record instanceof DSRecord || record instanceof DNSKEYRecord) {
                        if (record.getDClass() == DClass.IN) {
                            records.add(record);
                        } else {
                            problems.add(Finding.error("anchor.class", at, "a trust anchor must be of class IN"));
                        }
                    } else {
                        problems.add(Finding.error(
                                "anchor.type", at, "a trust anchor is a DS or DNSKEY record, not '" + text + "'"));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    problems.add(Finding.error(
                            "anchor.syntax",
                            at,
                            "not a DS or DNSKEY record: " + e.getMessage().replaceFirst("^.*?:\\d+: ", "")));
                }
            }
        } catch (IOException e) {
            problems.add(
                    Finding.error("anchor.unreadable", SourcePosition.file(source), "cannot read: " + e.getMessage()));
        }
        if (problems.isEmpty() && records.isEmpty()) {
            problems.add(Finding.error("anchor.none", SourcePosition.file(source), "holds no DS or DNSKEY record"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new TrustAnchors(records);
    }

    /** The anchors as presentation text, one record per line, as dnsjava's validator loads them. */
    String presentation() {
        return records.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
    }
}
