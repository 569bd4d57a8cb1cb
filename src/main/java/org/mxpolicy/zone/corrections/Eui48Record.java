package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * EUI48 (RFC 7043 section 3): a 48-bit MAC address, written as six pairs of hexadecimal digits
 * joined by hyphens (section 3.2). dnsjava 3.7.0 has no class for the type and reads only the
 * RFC 3597 generic form.
 */
final class Eui48Record extends RdataBytesRecord {

    static final int TYPE = 108;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        return hexGroups(st, st.getString(), 6, 2, '-');
    }

    @Override
    String format(DNSInput in) throws IOException {
        return formatHexGroups(in.readByteArray(6), 2, '-');
    }
}
