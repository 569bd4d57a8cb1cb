package org.mxpolicy.zone.corrections;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.WKSRecord;

/**
 * WKS (RFC 1035 section 3.4.2) with services given by name. dnsjava 3.7.0 knows only a short
 * table of its own ("http" is refused); BIND and ldns look names up with getservbyname(3), so a
 * zone they read may name any service of /etc/services. The names here are those of Debian's
 * netbase list ({@code services.txt}); numbers work as before, and the protocol may be a number or
 * "tcp"/"udp".
 */
final class CorrectedWksRecord extends WKSRecord {

    private static final Map<String, Integer> SERVICES = services();

    CorrectedWksRecord() {
        super(Name.root, DClass.IN, 0, anyAddress(), WKSRecord.Protocol.TCP, new int[0]);
    }

    @Override
    protected void rdataFromString(Tokenizer st, Name origin) throws IOException {
        byte[] address = st.getAddressBytes(Address.IPv4);
        String protocolText = st.getString();
        int protocol = protocolText.matches("[0-9]+")
                ? Integer.parseInt(protocolText)
                : WKSRecord.Protocol.value(protocolText);
        if (protocol < 0 || protocol > 255) {
            throw st.exception("'" + protocolText + "' is not an IP protocol");
        }
        String protocolName = protocol == WKSRecord.Protocol.UDP ? "udp" : "tcp";
        TreeSet<Integer> ports = new TreeSet<>();
        for (Tokenizer.Token t = st.get(); t.isString(); t = st.get()) {
            Integer port = t.value.matches("[0-9]+")
                    ? Integer.valueOf(t.value)
                    : SERVICES.get(t.value.toLowerCase(Locale.ROOT) + "/" + protocolName);
            if (port == null || port > 65535) {
                throw st.exception("'" + t.value + "' is not a " + protocolName + " service name or port number");
            }
            ports.add(port);
        }
        st.unget();
        DNSOutput out = new DNSOutput();
        out.writeByteArray(address);
        out.writeU8(protocol);
        if (!ports.isEmpty()) {
            byte[] bitmap = new byte[ports.last() / 8 + 1];
            for (int port : ports) {
                bitmap[port / 8] |= (byte) (0x80 >> (port % 8));
            }
            out.writeByteArray(bitmap);
        }
        rrFromWire(new DNSInput(out.toByteArray()));
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (IOException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** "name/protocol" to port, from lines {@code name port/protocol alias...}. */
    private static Map<String, Integer> services() {
        Map<String, Integer> services = new HashMap<>();
        try (InputStream in = CorrectedWksRecord.class.getResourceAsStream("services.txt");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.trim().split(" ", -1);
                String[] port = fields[1].split("/", -1);
                for (int i = 0; i < fields.length; i++) {
                    if (i != 1) {
                        services.putIfAbsent(
                                fields[i].toLowerCase(Locale.ROOT) + "/" + port[1], Integer.valueOf(port[0]));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("services.txt is part of mxpolicy", e);
        }
        return services;
    }
}
