package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * LP (RFC 6742 section 2.4): a preference and the name of an L32 or L64 owner (section 2.4.3). The
 * name is written uncompressed and, not being listed in RFC 4034 section 6.2, with its case kept
 * in the canonical form. dnsjava 3.7.0 has no class for the type and reads only the RFC 3597
 * generic form.
 */
final class LpRecord extends RdataBytesRecord {

    static final int TYPE = 107;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        DNSOutput out = new DNSOutput();
        out.writeU16(st.getUInt16());
        writeName(out, st.getName(origin));
        return out.toByteArray();
    }

    @Override
    String format(DNSInput in) throws IOException {
        return in.readU16() + " " + new Name(in);
    }
}
