package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.Address;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.WireParseException;

/**
 * AMTRELAY (RFC 8777 section 4): precedence, discovery-optional bit, relay type and relay, written
 * as {@code precedence D type relay} with "." for type 0 (no relay), an IPv4 address for 1, an
 * IPv6 address for 2 and a name, uncompressed, for 3 (section 4.3). dnsjava 3.7.0 has no class for
 * the type and reads only the RFC 3597 generic form.
 */
final class AmtrelayRecord extends RdataBytesRecord {

    static final int TYPE = 260;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        DNSOutput out = new DNSOutput();
        out.writeU8(st.getUInt8());
        int discoveryOptional = st.getUInt8();
        if (discoveryOptional > 1) {
            throw st.exception("the discovery-optional bit is 0 or 1, not " + discoveryOptional);
        }
        int type = st.getUInt8();
        if (type > 127) {
            throw st.exception("relay type " + type + " does not fit in 7 bits");
        }
        out.writeU8(discoveryOptional << 7 | type);
        switch (type) {
            case 0 -> {
                String none = st.getString();
                if (!none.equals(".")) {
                    throw st.exception("relay type 0 has no relay; write '.', not '" + none + "'");
                }
            }
            case 1 -> out.writeByteArray(st.getAddressBytes(Address.IPv4));
            case 2 -> out.writeByteArray(st.getAddressBytes(Address.IPv6));
            case 3 -> writeName(out, st.getName(origin));
            default -> throw st.exception("relay type " + type + " is not defined (0 to 3 are)");
        }
        return out.toByteArray();
    }

    @Override
    String format(DNSInput in) throws IOException {
        int precedence = in.readU8();
        int flags = in.readU8();
        int type = flags & 0x7f;
        String relay = switch (type) {
            case 0 -> ".";
            case 1 -> Address.toDottedQuad(in.readByteArray(4));
            case 2 -> java.net.InetAddress.getByAddress(in.readByteArray(16)).getHostAddress();
            case 3 -> new Name(in).toString();
            default -> throw new WireParseException("relay type " + type + " is not defined");
        };
        return precedence + " " + (flags >> 7) + " " + type + " " + relay;
    }
}
