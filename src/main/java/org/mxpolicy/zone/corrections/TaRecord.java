package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.utils.base16;

/**
 * TA (type 32768, registered by IANA for DNSSEC Trust Authorities): the RDATA and presentation
 * form of DS (RFC 4034 section 5), key tag, algorithm, digest type and a hexadecimal digest that
 * may be split by white space, as BIND reads and writes it. dnsjava 3.7.0 knows the mnemonic but
 * has no class for the type, so it reads only the RFC 3597 generic form.
 */
final class TaRecord extends RdataBytesRecord {

    static final int TYPE = 32768;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        DNSOutput out = new DNSOutput();
        out.writeU16(st.getUInt16());
        out.writeU8(st.getUInt8());
        out.writeU8(st.getUInt8());
        out.writeByteArray(st.getHex(true));
        return out.toByteArray();
    }

    @Override
    String format(DNSInput in) throws IOException {
        String fields = in.readU16() + " " + in.readU8() + " " + in.readU8();
        if (in.remaining() == 0) {
            throw new WireParseException("no digest");
        }
        // Upper case, as dnsjava writes the digests of DS and DLV.
        return fields + " " + base16.toString(in.readByteArray());
    }
}
