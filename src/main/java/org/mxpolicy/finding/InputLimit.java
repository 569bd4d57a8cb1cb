package org.mxpolicy.finding;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Objects;

/**
 * The most bytes mxpolicy reads from one kind of input file. Reading stops one byte past the
 * limit, so an endless file ({@code /dev/zero}, a FIFO) or a huge one ends in one clear finding
 * instead of filling the memory, and nothing is parsed before its size is known.
 *
 * @param what the kind of file, for the message ("config file")
 * @param id the finding id ({@code config.size})
 * @param maxBytes the limit; a file of exactly this many bytes is read
 */
public record InputLimit(String what, String id, int maxBytes) {

    private static final int CHUNK = 64 * 1024;

    public InputLimit {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(id, "id");
        if (maxBytes <= 0 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("limit " + maxBytes);
        }
    }

    /**
     * The whole stream, at most {@link #maxBytes} bytes.
     *
     * @throws InvalidInputException the stream holds more, or cannot be read
     */
    public byte[] read(InputStream in, String source) throws InvalidInputException {
        try {
            // reads in small steps and stops one byte past the limit, so a small file costs little
            // and an endless one no more than the limit
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(source);
            }
            return bytes;
        } catch (IOException e) {
            throw new InvalidInputException(
                    id.substring(0, id.indexOf('.') + 1) + "unreadable",
                    SourcePosition.file(source),
                    "cannot read: " + e.getMessage());
        }
    }

    /**
     * The whole text, at most {@link #maxBytes} characters (a character is at least one byte in
     * UTF-8, so a text within the limit in bytes is within it in characters).
     */
    public String read(Reader in, String source) throws InvalidInputException {
        StringBuilder text = new StringBuilder();
        char[] chunk = new char[CHUNK];
        try {
            int n;
            while ((n = in.read(chunk, 0, Math.min(chunk.length, maxBytes + 1 - text.length()))) > 0) {
                text.append(chunk, 0, n);
                if (text.length() > maxBytes) {
                    throw tooLarge(source);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    id.substring(0, id.indexOf('.') + 1) + "unreadable",
                    SourcePosition.file(source),
                    "cannot read: " + e.getMessage());
        }
        return text.toString();
    }

    /** Refuses {@code size} bytes (a file's size, known before it is read) when over the limit. */
    public void check(long size, String source) throws InvalidInputException {
        if (size > maxBytes) {
            throw tooLarge(source);
        }
    }

    /** The finding for a file over the limit. */
    public InvalidInputException tooLarge(String source) {
        return new InvalidInputException(
                id,
                SourcePosition.file(source),
                "larger than " + size() + ", the limit for a " + what + "; is it the right file?");
    }

    /** The limit in words: {@code 1 MiB}, {@code 64 KiB}, or a number of bytes. */
    public String size() {
        long bytes = maxBytes;
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }
}
