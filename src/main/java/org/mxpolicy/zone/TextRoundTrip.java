package org.mxpolicy.zone;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Whether zone text reads back to exactly the records it was written from: the text is parsed by
 * {@link ZoneFileReader}, as any later run reads it, and each record's wire form compared with the
 * original's. A mistake in writing or reading a type (such as a LOC altitude written "-9978.-85m")
 * shows here, though the records in memory verify: signatures over records that are not the ones
 * in the file are never written.
 *
 * <p>Owner names compare without case, as mxpolicy writes them in lower case and the signatures
 * cover them so (RFC 4034 section 6.2); everything else, RDATA names included, must be the same
 * bytes.
 */
public final class TextRoundTrip {

    /** Differences are listed up to this many; more are counted. */
    private static final int MAX_LISTED = 20;

    private TextRoundTrip() {}

    /**
     * What differs between {@code records} and what {@code text} (from {@code offset}, one record a
     * line as {@link ZoneText} writes) reads back as; empty when they are the same.
     *
     * @param source the file the text is for, for messages
     */
    public static List<Finding> differences(byte[] text, int offset, List<Record> records, Name origin, String source) {
        SourcePosition where = SourcePosition.file(source);
        List<Record> read;
        try {
            read = ZoneFileReader.readLines(text, offset, source, origin);
        } catch (InvalidInputException e) {
            List<Finding> findings = new ArrayList<>();
            for (Finding f : e.findings()) {
                findings.add(Finding.error(
                        "sign.read-back",
                        f.position(),
                        "the signed zone as written does not read back: " + f.message()));
            }
            return findings;
        }
        List<Finding> findings = new ArrayList<>();
        int differing = 0;
        for (int i = 0; i < Math.min(records.size(), read.size()); i++) {
            Record written = records.get(i);
            Record back = read.get(i);
            if (!same(written, back) && ++differing <= MAX_LISTED) {
                // In RFC 3597 generic form, which does not depend on the presentation code under suspicion.
                findings.add(Finding.error(
                        "sign.read-back",
                        where,
                        written.getName() + " " + Type.string(written.getType())
                                + " " + generic(written) + " is written as '" + ZoneText.line(written)
                                + "', which reads back as "
                                + back.getName() + " " + Type.string(back.getType()) + " " + generic(back)));
            }
        }
        if (differing > MAX_LISTED) {
            findings.add(Finding.error(
                    "sign.read-back", where, (differing - MAX_LISTED) + " more records read back differently"));
        }
        if (records.size() != read.size()) {
            findings.add(Finding.error(
                    "sign.read-back", where, records.size() + " records written, " + read.size() + " read back"));
        }
        return findings;
    }

    private static String generic(Record r) {
        byte[] wire = r.toWire(Section.ANSWER);
        byte[] rdata = Arrays.copyOfRange(wire, r.getName().length() + 10, wire.length);
        return "\\# " + rdata.length
                + (rdata.length == 0 ? "" : " " + HexFormat.of().formatHex(rdata));
    }

    private static boolean same(Record a, Record b) {
        if (!a.getName().equals(b.getName())
                || a.getType() != b.getType()
                || a.getDClass() != b.getDClass()
                || a.getTTL() != b.getTTL()) {
            return false;
        }
        byte[] wireA = a.toWire(Section.ANSWER);
        byte[] wireB = b.toWire(Section.ANSWER);
        int rdataA = a.getName().length() + 10;
        int rdataB = b.getName().length() + 10;
        return Arrays.equals(wireA, rdataA, wireA.length, wireB, rdataB, wireB.length);
    }
}
