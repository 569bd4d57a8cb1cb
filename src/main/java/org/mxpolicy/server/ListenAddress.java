package org.mxpolicy.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address and port to listen on, written {@code ADDR:PORT} with IPv6 addresses in brackets
 * ({@code [::]:443}, {@code 127.0.0.1:8461}). Port 0 asks the system for a free port.
 *
 * @param host the address literal without brackets ({@code ::}, {@code 127.0.0.1}) or a name
 * @param port 0..65535
 */
public record ListenAddress(String host, int port) {

    private static final Pattern FORM = Pattern.compile("^(?:\\[([0-9A-Fa-f:.]+)\\]|([^\\[\\]:]+)):(\\d{1,5})$");

    public ListenAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("listen address needs a host");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 0..65535");
        }
    }

    /**
     * Parses {@code ADDR:PORT}.
     *
     * @throws IllegalArgumentException with a message that shows the expected form
     */
    public static ListenAddress parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not ADDR:PORT (for example 0.0.0.0:443, [::]:443 or" + " 127.0.0.1:8461)");
        }
        int port = Integer.parseInt(m.group(3));
        if (port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " outside 0..65535");
        }
        return new ListenAddress(m.group(1) != null ? m.group(1) : m.group(2), port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
