package org.mxpolicy.zone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.mxpolicy.dnssec.Nsec3Hasher;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.VerificationFailedException;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.NSEC3Record;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * A whole zone as master file text: one record a line, absolute owner names in lower case,
 * records in the order given (the caller's canonical order). DS and CDS digests in lower-case hex
 * like TLSA data, NSEC3 hashes in lower-case base32hex like the NSEC3 owner names; the other
 * DNSSEC types in dnsjava's presentation form, which BIND, Knot and ldns all read.
 */
public final class ZoneText {

    /**
     * The first line of a zone mxpolicy has signed and verified, up to the digest: a master file
     * comment (RFC 1035 section 5.1), so every reader of zone files skips it.
     */
    public static final String VERIFIED_HEADER = "; mxpolicy signed zone, verified; sha256=";

    private static final byte[] VERIFIED_HEADER_BYTES = VERIFIED_HEADER.getBytes(StandardCharsets.US_ASCII);
    private static final int SHA256_HEX = 64;

    private ZoneText() {}

    /**
     * A signed zone that has passed verification, as file content: {@link #VERIFIED_HEADER} with the
     * SHA-256 of the rest of the file (lower-case hex), then the records as {@link #render} gives
     * them. Reading it back, {@link #verifiedBody} tells whether the records are still exactly the
     * ones that were verified.
     */
    public static byte[] renderVerified(List<Record> records) {
        // Straight into one byte array, with room for the header kept at its start: a large zone's
        // text is held once (and once more for the exact-size copy), not as builder, string and bytes.
        int headerLength = VERIFIED_HEADER_BYTES.length + SHA256_HEX + 1;
        // RRSIG lines take about 200 bytes, NSEC and data lines 60 to 120: usually no growing.
        byte[] buffer = new byte[headerLength + records.size() * 160 + 4096];
        int length = headerLength;
        for (Record r : records) {
            byte[] line = line(r).getBytes(StandardCharsets.UTF_8);
            if (length + line.length + 1 > buffer.length) {
                buffer =
                        Arrays.copyOf(buffer, Math.max(buffer.length + (buffer.length >> 1), length + line.length + 1));
            }
            System.arraycopy(line, 0, buffer, length, line.length);
            length += line.length;
            buffer[length++] = '\n';
        }
        byte[] header = (VERIFIED_HEADER + HexFormat.of().formatHex(sha256(buffer, headerLength, length - headerLength))
                        + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, buffer, 0, headerLength);
        return buffer.length == length ? buffer : Arrays.copyOf(buffer, length);
    }

    /**
     * {@link #renderVerified}, once the text has been read back to exactly {@code records}
     * ({@link TextRoundTrip}): the bytes to write, never a text that says something else than what was
     * signed and verified.
     *
     * @param destination the file the text is for, for messages
     * @throws VerificationFailedException a record that does not read back as it was, named
     */
    public static byte[] renderReadBack(Name origin, List<Record> records, String destination)
            throws VerificationFailedException {
        byte[] text = renderVerified(records);
        List<Finding> differences = TextRoundTrip.differences(text, verifiedBody(text), records, origin, destination);
        if (!differences.isEmpty()) {
            throw new VerificationFailedException(
                    destination + ": not written: the signed zone's text does not read back"
                            + " to the records signed (a bug in mxpolicy; please report it with the zone)",
                    differences);
        }
        return text;
    }

    /**
     * Where the records start in a file {@link #renderVerified} wrote, when its first line is the
     * verified-zone header and the digest there matches every byte after that line; -1 otherwise
     * (no header, or the file was changed since: its signatures must be checked again).
     */
    public static int verifiedBody(byte[] file) {
        int headerLength = VERIFIED_HEADER_BYTES.length + SHA256_HEX + 1;
        if (file.length < headerLength
                || file[headerLength - 1] != '\n'
                || !Arrays.equals(
                        file,
                        0,
                        VERIFIED_HEADER_BYTES.length,
                        VERIFIED_HEADER_BYTES,
                        0,
                        VERIFIED_HEADER_BYTES.length)) {
            return -1;
        }
        String hex = new String(file, VERIFIED_HEADER_BYTES.length, SHA256_HEX, StandardCharsets.US_ASCII);
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        return MessageDigest.isEqual(expected, sha256(file, headerLength, file.length - headerLength))
                ? headerLength
                : -1;
    }

    private static byte[] sha256(byte[] data, int offset, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(data, offset, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static String render(List<Record> records) {
        StringBuilder sb = new StringBuilder(records.size() * 120);
        for (Record r : records) {
            sb.append(line(r)).append('\n');
        }
        return sb.toString();
    }

    /** One record; {@link RecordText#line} with lower-case DS/CDS digests. */
    public static String line(Record record) {
        if (record instanceof DSRecord ds) {
            // CDSRecord extends DSRecord
            return RecordText.owner(record) + " " + record.getTTL() + " IN " + RecordText.type(record) + " "
                    + ds.getFootprint() + " " + ds.getAlgorithm() + " " + ds.getDigestID() + " "
                    + HexFormat.of().formatHex(ds.getDigest());
        }
        if (record instanceof NSEC3Record nsec3) {
            StringBuilder sb = new StringBuilder(RecordText.owner(record))
                    .append(' ')
                    .append(record.getTTL())
                    .append(" IN NSEC3 ")
                    .append(nsec3.getHashAlgorithm())
                    .append(' ')
                    .append(nsec3.getFlags())
                    .append(' ')
                    .append(nsec3.getIterations())
                    .append(' ')
                    .append(nsec3.getSalt() == null ? "-" : HexFormat.of().formatHex(nsec3.getSalt()))
                    .append(' ')
                    .append(Nsec3Hasher.base32hex(nsec3.getNext()));
            for (int type : nsec3.getTypes()) {
                sb.append(' ').append(Type.string(type));
            }
            return sb.toString();
        }
        return RecordText.line(record);
    }
}
