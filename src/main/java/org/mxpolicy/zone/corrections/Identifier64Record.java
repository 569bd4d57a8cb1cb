package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * NID and L64 (RFC 6742 sections 2.1 and 2.3): a preference and a 64-bit node identifier or
 * locator, both written as four groups of up to four hexadecimal digits joined by colons (section
 * 2.1.3). dnsjava 3.7.0 has no class for either type and reads only the RFC 3597 generic form.
 */
final class Identifier64Record extends RdataBytesRecord {

    static final int NID = 104;
    static final int L64 = 106;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        DNSOutput out = new DNSOutput();
        out.writeU16(st.getUInt16());
        out.writeByteArray(hexGroups(st, st.getString(), 4, 4, ':'));
        return out.toByteArray();
    }

    @Override
    String format(DNSInput in) throws IOException {
        return in.readU16() + " " + formatHexGroups(in.readByteArray(8), 4, ':');
    }
}
