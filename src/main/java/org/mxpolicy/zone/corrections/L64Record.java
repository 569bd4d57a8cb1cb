package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * L64 (RFC 6742 section 2.3): a preference and a 64-bit locator, written like the NID node
 * identifier (section 2.3.3). dnsjava 3.7.0 has no class for the type and reads only the RFC 3597
 * generic form.
 */
final class L64Record extends RdataBytesRecord {

    static final int TYPE = 106;

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
