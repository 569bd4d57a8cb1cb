package org.mxpolicy.finding;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values as user messages write them: IPv6 addresses in the RFC 5952 form that operators type and
 * tools print, times to the second, and failures in words rather than Java class names.
 */
public final class MessageText {

    /** A Java exception or error class name, as {@code Throwable.toString()} and some libraries write it. */
    private static final Pattern EXCEPTION_CLASS =
            Pattern.compile("\\b(?:[a-z][\\w$]*\\.)+([A-Z][\\w$]*?)(?:Exception|Error)\\b(?::\\s*)?");

    private MessageText() {}

    /**
     * An address in its canonical text form: IPv4 dotted, IPv6 as RFC 5952 section 4 says (lower
     * case, no leading zeros, the longest run of two or more zero fields as {@code ::}, the first
     * of equal runs), with its scope ({@code %eth0}) when it has one.
     */
    public static String address(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] fields = new int[8];
        for (int i = 0; i < 8; i++) {
            fields[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && fields[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(fields[i]));
        }
        String host = v6.getHostAddress();
        int scope = host.indexOf('%');
        return scope < 0 ? text.toString() : text + host.substring(scope);
    }

    /** {@code host:port}, an IPv6 address in brackets ({@code [2001:db8::25]:25}, RFC 5952 section 6). */
    public static String address(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address(address.getAddress());
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** A time to the second, as {@code 2026-12-07T17:39:06Z}: fractions of a second only distract. */
    public static String instant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * What went wrong, in words: the exception's message with Java class names replaced by words
     * ({@code java.net.PortUnreachableException} is "port unreachable"), or those words alone when
     * it has no message.
     */
    public static String problem(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return words(e.getClass().getSimpleName());
        }
        Matcher m = EXCEPTION_CLASS.matcher(message.strip());
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String rest = m.group().endsWith(" ") || m.group().endsWith(":") ? ": " : "";
            m.appendReplacement(out, Matcher.quoteReplacement(words(m.group(1)) + rest));
        }
        m.appendTail(out);
        return out.toString().replaceAll("\\s+", " ").strip();
    }

    /** {@code PortUnreachableException} as "port unreachable". */
    private static String words(String className) {
        String name = className.replaceFirst("(Exception|Error)$", "");
        if (name.isEmpty()) {
            return "failed";
        }
        return name.replaceAll("(?<=[a-z0-9])(?=[A-Z])", " ").toLowerCase(Locale.ROOT);
    }

    /** How much of a bad line a message quotes. */
    static final int EXCERPT_CHARS = 80;

    /**
     * A bad line of an input file as a message quotes it: one line at most {@value #EXCERPT_CHARS}
     * characters long, control characters (a lone CR, a terminal's escape sequences) shown as
     * {@code ?}, so that any file makes one readable line on a terminal.
     */
    public static String excerpt(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(EXCERPT_CHARS).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > EXCERPT_CHARS ? out + "..." : out.toString();
    }
}
