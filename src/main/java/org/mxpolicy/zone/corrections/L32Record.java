package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * L32 (RFC 6742 section 2.2): a preference and a 32-bit locator, written as an IPv4 address
 * (section 2.2.3). dnsjava 3.7.0 has no class for the type and reads only the RFC 3597 generic
 * form.
 */
final class L32Record extends RdataBytesRecord {

    static final int TYPE = 105;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        DNSOutput out = new DNSOutput();
        out.writeU16(st.getUInt16());
        out.writeByteArray(st.getAddressBytes(org.xbill.DNS.Address.IPv4));
        return out.toByteArray();
    }

    @Override
    String format(DNSInput in) throws IOException {
        return in.readU16() + " " + org.xbill.DNS.Address.toDottedQuad(in.readByteArray(4));
    }
}
