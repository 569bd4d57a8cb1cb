package org.mxpolicy.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.TrustAnchors;
import org.mxpolicy.dns.ValidatingDnsLookup;
import org.mxpolicy.finding.MxpolicyException;
import org.xbill.DNS.ExtendedResolver;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The network side of the commands that probe mail domains: {@code check}, {@code audit} and {@code transparency}. */
final class ProbeNetwork {

    private static final Duration CACHE_FOR = Duration.ofMinutes(5);

    private ProbeNetwork() {}

    /** A validating lookup through {@code --resolver} (or the system's) from {@code --trust-anchor} (or the IANA root). */
    static DnsLookup lookup(
            List<String> resolvers, List<String> trustAnchors, Duration timeout, Clock clock, CommandLine commandLine)
            throws MxpolicyException {
        TrustAnchors anchors =
                trustAnchors.isEmpty() ? TrustAnchors.ianaRoot() : TrustAnchors.of(trustAnchors, "--trust-anchor");
        if (resolvers.isEmpty()) {
            ExtendedResolver system = new ExtendedResolver();
            system.setTimeout(timeout);
            return new ValidatingDnsLookup(system, anchors, timeout, CACHE_FOR, clock);
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String resolver : resolvers) {
            addresses.add(resolverAddress(resolver, commandLine));
        }
        return ValidatingDnsLookup.via(addresses, anchors, timeout, CACHE_FOR, clock);
    }

    /** {@code 192.0.2.53}, {@code 192.0.2.53:5353}, {@code [2001:db8::53]:53} or {@code 2001:db8::53}. */
    static InetSocketAddress resolverAddress(String text, CommandLine commandLine) {
        String host = text;
        int port = 53;
        if (text.startsWith("[") && text.contains("]")) {
            host = text.substring(1, text.indexOf(']'));
            String rest = text.substring(text.indexOf(']') + 1);
            if (rest.startsWith(":")) {
                port = port(text, rest.substring(1), commandLine);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = port(text, text.substring(text.indexOf(':') + 1), commandLine);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new ParameterException(commandLine, "--resolver " + text + ": unknown host");
        }
    }

    private static int port(String text, String port, CommandLine commandLine) {
        try {
            int value = Integer.parseInt(port);
            if (value >= 1 && value <= 65535) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(commandLine, "--resolver " + text + ": port must be 1 to 65535");
    }

    /** {@code --ehlo}, or this machine's name when it has a dot, as SMTP clients say. */
    static String ehloName(String ehlo) {
        if (ehlo != null) {
            return ehlo;
        }
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.contains(".") ? name : "localhost.localdomain";
        } catch (UnknownHostException e) {
            return "localhost.localdomain";
        }
    }
}
