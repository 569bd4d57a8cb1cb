package org.mxpolicy.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The plaintext exchange before the TLS handshake of a STARTTLS endpoint. Lines are read one byte
 * at a time, so that no byte of the server's first TLS record is swallowed by a buffer; each line
 * and each reply is bounded, so a hostile server can neither stall (the socket's read timeout)
 * nor flood the scanner.
 */
final class StartTlsPreamble {

    /** Longest line read; RFC 5321 allows 512 octets for SMTP, real servers send somewhat longer. */
    private static final int MAX_LINE_BYTES = 2048;
    /** Most lines in one reply (a long EHLO response has about 15). */
    private static final int MAX_REPLY_LINES = 100;

    private final InputStream in;
    private final OutputStream out;

    StartTlsPreamble(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** Runs the exchange for {@code start}; returns normally when the server is ready for TLS. */
    void run(TlsStart start, String ehloName) throws IOException {
        switch (start) {
            case IMPLICIT -> {}
            case SMTP -> smtp(ehloName);
            case IMAP -> imap();
            case POP3 -> pop3();
        }
    }

    private void smtp(String ehloName) throws IOException {
        expectSmtp(220, "greeting");
        send("EHLO " + ehloName);
        boolean offered = false;
        for (String line : smtpReply(250, "EHLO response")) {
            offered |= line.length() > 4
                    && line.substring(4).strip().toUpperCase(Locale.ROOT).equals("STARTTLS");
        }
        if (!offered) {
            throw new IOException("STARTTLS not offered in the EHLO response");
        }
        send("STARTTLS");
        expectSmtp(220, "STARTTLS response");
    }

    private void expectSmtp(int code, String what) throws IOException {
        smtpReply(code, what);
    }

    private java.util.List<String> smtpReply(int code, String what) throws IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        while (lines.size() < MAX_REPLY_LINES) {
            String line = readLine(what);
            lines.add(line);
            if (line.startsWith("4")) {
                throw new Deferred(what + " is a temporary refusal: " + printable(line));
            }
            if (line.length() < 3 || !line.substring(0, 3).equals(String.valueOf(code))) {
                throw new IOException(what + " is not " + code + ": " + printable(line));
            }
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return lines;
            }
        }
        throw new IOException(what + " has more than " + MAX_REPLY_LINES + " lines");
    }

    private void imap() throws IOException {
        String greeting = readLine("greeting");
        if (!greeting.startsWith("* OK")) {
            throw new IOException("IMAP greeting is not OK: " + printable(greeting));
        }
        send("a1 STARTTLS");
        for (int i = 0; i < MAX_REPLY_LINES; i++) {
            String line = readLine("STARTTLS response");
            if (line.startsWith("a1 ")) {
                if (line.regionMatches(true, 3, "OK", 0, 2)) {
                    return;
                }
                throw new IOException("STARTTLS refused: " + printable(line));
            }
        }
        throw new IOException("no tagged STARTTLS response");
    }

    private void pop3() throws IOException {
        String greeting = readLine("greeting");
        if (!greeting.startsWith("+OK")) {
            throw new IOException("POP3 greeting is not +OK: " + printable(greeting));
        }
        send("STLS");
        String reply = readLine("STLS response");
        if (!reply.startsWith("+OK")) {
            throw new IOException("STLS refused: " + printable(reply));
        }
    }

    private void send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private String readLine(String what) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() <= MAX_LINE_BYTES) {
            int b = in.read();
            if (b < 0) {
                throw new Deferred("connection closed before the " + what);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        throw new IOException("a line of the " + what + " is longer than " + MAX_LINE_BYTES + " bytes");
    }

    private static String printable(String line) {
        String cut = line.length() > 120 ? line.substring(0, 120) + "..." : line;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /**
     * The server put the session off (an SMTP 4xx such as 421, or a close mid-exchange): says
     * nothing about its TLS, so the handshake is worth trying again.
     */
    static final class Deferred extends IOException {
        private static final long serialVersionUID = 1L;

        Deferred(String message) {
            super(message);
        }
    }
}
