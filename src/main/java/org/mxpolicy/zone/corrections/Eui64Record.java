package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * EUI64 (RFC 7043 section 4): a 64-bit EUI, written as eight pairs of hexadecimal digits joined by
 * hyphens (section 4.2). dnsjava 3.7.0 has no class for the type and reads only the RFC 3597
 * generic form.
 */
final class Eui64Record extends RdataBytesRecord {

    static final int TYPE = 109;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        return hexGroups(st, st.getString(), 8, 2, '-');
    }

    @Override
    String format(DNSInput in) throws IOException {
        return formatHexGroups(in.readByteArray(8), 2, '-');
    }
}
