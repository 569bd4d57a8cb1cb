package org.mxpolicy.cert;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * The bytes of a certificate or key file, told apart as PEM text or DER. A UTF-8 byte order
 * mark, as some editors write, is dropped.
 */
final class InputBytes {

    private static final byte DER_SEQUENCE = 0x30;

    private final byte[] bytes;

    private InputBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Reads the whole stream, up to the limit.
     *
     * @param limit the most bytes read; its id's first part ({@code cert} or {@code key}) starts
     *     every finding id
     * @param expected what the file should hold, for the message when it is empty
     */
    static InputBytes read(InputStream in, String source, InputLimit limit, String expected)
            throws InvalidInputException {
        String idPrefix = limit.id().substring(0, limit.id().indexOf('.'));
        byte[] bytes = limit.read(in, source);
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            bytes = Arrays.copyOfRange(bytes, 3, bytes.length);
        }
        InputBytes input = new InputBytes(bytes);
        if (input.isBlank()) {
            throw new InvalidInputException(
                    idPrefix + ".empty", SourcePosition.file(source), "the file is empty: give " + expected);
        }
        return input;
    }

    byte[] bytes() {
        return bytes;
    }

    /**
     * DER starts with a SEQUENCE tag; PEM is text with a BEGIN line (a text file may start with
     * the digit 0, which is the same byte).
     */
    boolean isDer() {
        return bytes[0] == DER_SEQUENCE && !PemBlock.isPem(text());
    }

    /** The bytes as text; ISO-8859-1 maps every byte, so decoding never fails. */
    String text() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Overwrites the bytes, for files that held private key material. */
    void wipe() {
        Arrays.fill(bytes, (byte) 0);
    }

    private boolean isBlank() {
        for (byte b : bytes) {
            if (!Character.isWhitespace((char) (b & 0xff))) {
                return false;
            }
        }
        return true;
    }
}
