package org.mxpolicy.cert;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * One {@code -----BEGIN label-----} ... {@code -----END label-----} block of a PEM file
 * (RFC 7468), with the line of its BEGIN line so that messages can point at it. The content is
 * kept as text until {@link #decode} is called, so that a block of the wrong type is reported as
 * such even when its base64 is damaged.
 *
 * @param source the file name used in messages
 * @param label the label, for example {@code CERTIFICATE} or {@code EC PRIVATE KEY}
 * @param line the line of the BEGIN line, counting from 1
 * @param content the lines between BEGIN and END, as found
 */
record PemBlock(String source, String label, int line, List<String> content) {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    PemBlock {
        content = List.copyOf(content);
    }

    /** The BEGIN line of this block. */
    SourcePosition position() {
        return SourcePosition.at(source, line, 0);
    }

    /** Whether the text holds a BEGIN line at all; a file without one is not PEM. */
    static boolean isPem(String text) {
        return text.contains(BEGIN);
    }

    /**
     * Finds every PEM block of the text; text outside blocks is ignored, as RFC 7468 section 2
     * allows. A BEGIN without its END is an error reported at the BEGIN line.
     *
     * @param idPrefix {@code cert} or {@code key}, the first part of finding ids
     */
    static List<PemBlock> scan(String text, String source, String idPrefix) throws InvalidInputException {
        List<PemBlock> blocks = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String label = null;
        int beginLine = 0;
        List<String> content = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            String begin = labelOf(line, BEGIN);
            String end = labelOf(line, END);
            if (begin != null) {
                if (label != null) {
                    findings.add(truncated(source, idPrefix, label, beginLine));
                }
                label = begin;
                beginLine = number;
                content = new ArrayList<>();
            } else if (end != null && label != null) {
                if (!end.equals(label)) {
                    findings.add(Finding.error(
                            idPrefix + ".bad-pem",
                            SourcePosition.at(source, beginLine, 0),
                            "PEM block BEGIN " + label + " ends with END " + end + " at line " + number
                                    + ": the file is damaged; copy the block again"));
                } else {
                    blocks.add(new PemBlock(source, label, beginLine, content));
                }
                label = null;
            } else if (label != null) {
                content.add(line);
            }
        }
        if (label != null) {
            findings.add(truncated(source, idPrefix, label, beginLine));
        }
        if (!findings.isEmpty()) {
            throw new InvalidInputException(findings);
        }
        return blocks;
    }

    /**
     * Whether the block carries RFC 1421 encryption headers ({@code Proc-Type: 4,ENCRYPTED}), as
     * {@code openssl rsa -aes256 -traditional} writes them.
     */
    boolean hasEncryptionHeader() {
        return content.stream()
                .anyMatch(l -> l.toUpperCase(Locale.ROOT).startsWith("PROC-TYPE:")
                        && l.toUpperCase(Locale.ROOT).contains("ENCRYPTED"));
    }

    /**
     * The DER bytes of the block. A line with a character outside the base64 alphabet is reported
     * at that line; a wrong length or padding at the BEGIN line.
     */
    byte[] decode(String idPrefix) throws InvalidInputException {
        StringBuilder base64 = new StringBuilder();
        boolean inHeaders = !content.isEmpty() && content.get(0).contains(":");
        for (int i = 0; i < content.size(); i++) {
            String text = content.get(i);
            if (inHeaders) {
                // RFC 1421 headers end with a blank line.
                inHeaders = !text.isEmpty();
                continue;
            }
            for (int c = 0; c < text.length(); c++) {
                char ch = text.charAt(c);
                if (!isBase64(ch) && !Character.isWhitespace(ch)) {
                    throw new InvalidInputException(
                            idPrefix + ".bad-pem",
                            SourcePosition.at(source, line + 1 + i, 0),
                            "PEM block " + label + " (BEGIN at line " + line + ") has a character that is not base64 ("
                                    + printable(ch) + "): the file is damaged; copy the block again");
                }
                if (!Character.isWhitespace(ch)) {
                    base64.append(ch);
                }
            }
        }
        if (base64.length() == 0) {
            throw new InvalidInputException(
                    idPrefix + ".bad-pem",
                    position(),
                    "PEM block " + label + " is empty: the file is damaged; copy the block again");
        }
        try {
            return Base64.getDecoder().decode(base64.toString());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(
                    idPrefix + ".bad-pem",
                    position(),
                    "PEM block " + label + " has damaged base64 (" + e.getMessage()
                            + "): lines are missing or cut; copy the block again");
        }
    }

    private static Finding truncated(String source, String idPrefix, String label, int line) {
        return Finding.error(
                idPrefix + ".truncated-pem",
                SourcePosition.at(source, line, 0),
                "PEM block BEGIN " + label + " has no END " + label + " line: the file is cut off; copy it again");
    }

    private static String labelOf(String line, String marker) {
        if (line.startsWith(marker) && line.endsWith(DASHES) && line.length() >= marker.length() + DASHES.length()) {
            return line.substring(marker.length(), line.length() - DASHES.length())
                    .strip();
        }
        return null;
    }

    private static boolean isBase64(char ch) {
        return (ch >= 'A' && ch <= 'Z')
                || (ch >= 'a' && ch <= 'z')
                || (ch >= '0' && ch <= '9')
                || ch == '+'
                || ch == '/'
                || ch == '=';
    }

    private static String printable(char ch) {
        return ch >= 0x21 && ch < 0x7f ? "'" + ch + "'" : String.format(Locale.ROOT, "U+%04X", (int) ch);
    }
}
