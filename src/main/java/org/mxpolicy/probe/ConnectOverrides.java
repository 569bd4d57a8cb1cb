package org.mxpolicy.probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxpolicy.finding.MessageText;

/**
 * Connection targets that replace what DNS says, like curl's {@code --connect-to}: a check can
 * probe a new MX or policy host before DNS points at it, or a test server on loopback. Only
 * where the connection goes changes; SNI, the HTTP Host header and the certificate checks stay
 * on the real host name.
 *
 * <p>Written {@code HOST:PORT=ADDRESS:PORT}, for example {@code mx1.example.test:25=127.0.0.1:2525}
 * or {@code mta-sts.example.test:443=[::1]:8443}. The target is an IP address literal, IPv6 in
 * brackets, so that an override never depends on a lookup itself.
 */
public final class ConnectOverrides {

    private static final ConnectOverrides NONE = new ConnectOverrides(Map.of());
    private static final Pattern FORM =
            Pattern.compile("^([^:=\\s]+):(\\d{1,5})=(?:\\[([0-9A-Fa-f:.]+)]|([0-9.]+)):(\\d{1,5})$");
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final String EXAMPLE =
            " (for example mx1.example.test:25=127.0.0.1:2525 or" + " mta-sts.example.test:443=[::1]:8443)";

    private final Map<String, InetSocketAddress> targets;

    private ConnectOverrides(Map<String, InetSocketAddress> targets) {
        this.targets = Collections.unmodifiableMap(new TreeMap<>(targets));
    }

    /** No overrides: every connection goes where DNS says. */
    public static ConnectOverrides none() {
        return NONE;
    }

    /**
     * Parses overrides, each {@code HOST:PORT=ADDRESS:PORT}.
     *
     * @throws IllegalArgumentException naming the text that is wrong and why, for a usage error
     */
    public static ConnectOverrides parse(List<String> texts) {
        Map<String, InetSocketAddress> targets = new LinkedHashMap<>();
        for (String text : texts) {
            Matcher m = FORM.matcher(text.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not HOST:PORT=ADDRESS:PORT" + EXAMPLE);
            }
            String host = normalHost(m.group(1));
            if (!HOST.matcher(host).matches()) {
                throw new IllegalArgumentException("'" + text + "': '" + m.group(1) + "' is not a host name");
            }
            int port = port(text, m.group(2));
            InetAddress address = address(text, m.group(3) != null ? m.group(3) : m.group(4), m.group(3) != null);
            InetSocketAddress target = new InetSocketAddress(address, port(text, m.group(5)));
            InetSocketAddress earlier = targets.put(key(host, port), target);
            if (earlier != null) {
                throw new IllegalArgumentException("'" + text + "': " + host + ":" + port + " is already sent to "
                        + describe(earlier) + "; give one target per HOST:PORT");
            }
        }
        return targets.isEmpty() ? NONE : new ConnectOverrides(targets);
    }

    /** The override for {@code host} and {@code port}, when there is one. */
    public Optional<InetSocketAddress> lookup(String host, int port) {
        return Optional.ofNullable(targets.get(key(normalHost(host), port)));
    }

    /**
     * Where to connect for {@code host}:{@code port}: the override when there is one, otherwise
     * {@code resolved}, the address DNS gave.
     */
    public InetSocketAddress target(String host, int port, InetSocketAddress resolved) {
        return lookup(host, port).orElse(resolved);
    }

    public boolean isEmpty() {
        return targets.isEmpty();
    }

    /** {@code host:port} as this class writes and expects it, IPv6 in brackets. */
    static String describe(InetSocketAddress address) {
        return MessageText.address(address);
    }

    private static String key(String host, int port) {
        return host + ":" + port;
    }

    private static String normalHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static int port(String text, String digits) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + digits + " outside 1..65535");
        }
        return port;
    }

    private static InetAddress address(String text, String literal, boolean bracketed) {
        if (!bracketed && !IPV4.matcher(literal).matches()) {
            throw new IllegalArgumentException("'" + text + "': '" + literal + "' is not an IPv4 address;"
                    + " write IPv6 addresses in brackets" + EXAMPLE);
        }
        if (bracketed && !literal.contains(":")) {
            throw new IllegalArgumentException("'" + text + "': '[" + literal + "]' is not an IPv6 address");
        }
        try {
            // A literal: getByName parses it and asks no resolver.
            return InetAddress.getByName(bracketed ? "[" + literal + "]" : literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': '" + literal + "' is not an IP address");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectOverrides other && targets.equals(other.targets);
    }

    @Override
    public int hashCode() {
        return targets.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        targets.forEach((key, target) ->
                out.append(out.isEmpty() ? "" : ", ").append(key).append('=').append(describe(target)));
        return "ConnectOverrides[" + out + "]";
    }
}
