package org.mxpolicy.zone.corrections;

import java.io.IOException;
import java.util.SortedSet;
import java.util.TreeSet;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

/**
 * CSYNC (RFC 7477 section 2): SOA serial, flags and a type bitmap in the encoding of NSEC
 * (RFC 4034 section 4.1.2), written as the serial, the flags and the type mnemonics
 * (section 2.2). dnsjava 3.7.0 has no class for the type and reads only the RFC 3597 generic form.
 */
final class CsyncRecord extends RdataBytesRecord {

    static final int TYPE = 62;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        DNSOutput out = new DNSOutput();
        out.writeU32(st.getUInt32());
        out.writeU16(st.getUInt16());
        TreeSet<Integer> types = new TreeSet<>();
        for (Tokenizer.Token t = st.get(); t.isString(); t = st.get()) {
            int type = Type.value(t.value, true);
            if (type < 0) {
                throw st.exception("'" + t.value + "' is not a record type");
            }
            types.add(type);
        }
        st.unget();
        writeBitmap(out, types);
        return out.toByteArray();
    }

    @Override
    String format(DNSInput in) throws IOException {
        StringBuilder sb = new StringBuilder().append(in.readU32()).append(' ').append(in.readU16());
        for (int type : readBitmap(in)) {
            sb.append(' ').append(Type.string(type));
        }
        return sb.toString();
    }

    /** The windowed bitmap of RFC 4034 section 4.1.2. */
    static void writeBitmap(DNSOutput out, SortedSet<Integer> types) {
        int window = -1;
        byte[] bits = new byte[32];
        int used = 0;
        for (int type : types) {
            if (type >> 8 != window) {
                if (window >= 0) {
                    out.writeU8(window);
                    out.writeU8(used);
                    out.writeByteArray(bits, 0, used);
                }
                window = type >> 8;
                bits = new byte[32];
            }
            int low = type & 0xff;
            bits[low >> 3] |= (byte) (0x80 >> (low & 7));
            used = (low >> 3) + 1;
        }
        if (window >= 0) {
            out.writeU8(window);
            out.writeU8(used);
            out.writeByteArray(bits, 0, used);
        }
    }

    static SortedSet<Integer> readBitmap(DNSInput in) throws IOException {
        TreeSet<Integer> types = new TreeSet<>();
        int last = -1;
        while (in.remaining() > 0) {
            int window = in.readU8();
            int length = in.readU8();
            if (window <= last || length < 1 || length > 32) {
                throw new WireParseException("invalid type bitmap window " + window + " of length " + length);
            }
            last = window;
            byte[] bits = in.readByteArray(length);
            if (bits[length - 1] == 0) {
                throw new WireParseException("type bitmap window " + window + " ends in a zero byte");
            }
            for (int i = 0; i < length * 8; i++) {
                if ((bits[i >> 3] & (0x80 >> (i & 7))) != 0) {
                    types.add(window * 256 + i);
                }
            }
        }
        return types;
    }
}
