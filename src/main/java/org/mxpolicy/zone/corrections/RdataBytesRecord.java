package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.WireParseException;

/**
 * A record of a type dnsjava does not know: the RDATA is kept exactly as its wire bytes, and each
 * subclass only translates its presentation form to and from them. None of these types has a name
 * that RFC 4034 section 6.2 lowercases or RFC 3597 section 4 lets be compressed, so the wire form,
 * canonical or not, is the bytes as they are.
 */
abstract class RdataBytesRecord extends Record {

    private byte[] rdata = new byte[0];

    /** The RDATA of the presentation form; the tokenizer is left before the end of the line. */
    abstract byte[] parse(Tokenizer st, Name origin) throws IOException;

    /** The presentation form of the RDATA; throws when {@code in} is not a whole, well-formed RDATA. */
    abstract String format(DNSInput in) throws IOException;

    @Override
    protected final void rrFromWire(DNSInput in) throws IOException {
        byte[] bytes = in.readByteArray();
        formatWhole(bytes);
        rdata = bytes;
    }

    @Override
    protected final void rdataFromString(Tokenizer st, Name origin) throws IOException {
        byte[] bytes = parse(st, origin);
        try {
            formatWhole(bytes);
        } catch (IOException e) {
            throw st.exception(e.getMessage());
        }
        rdata = bytes;
    }

    @Override
    protected final String rrToString() {
        try {
            return formatWhole(rdata);
        } catch (IOException e) {
            throw new IllegalStateException("RDATA was checked when it was read", e);
        }
    }

    @Override
    protected final void rrToWire(DNSOutput out, Compression c, boolean canonical) {
        out.writeByteArray(rdata);
    }

    private String formatWhole(byte[] bytes) throws IOException {
        DNSInput in = new DNSInput(bytes);
        String text = format(in);
        if (in.remaining() != 0) {
            throw new WireParseException(in.remaining() + " bytes after the RDATA of this type");
        }
        return text;
    }

    /** A name as it is written on the wire, uncompressed, case kept. */
    static void writeName(DNSOutput out, Name name) {
        name.toWire(out, null, false);
    }

    /** {@code groups} groups of at most {@code digits} hexadecimal digits, joined by {@code separator}. */
    static byte[] hexGroups(Tokenizer st, String text, int groups, int digits, char separator) throws IOException {
        String[] parts = text.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        if (parts.length != groups) {
            throw st.exception("'" + text + "': expected " + groups + " groups of hexadecimal digits separated by '"
                    + separator + "'");
        }
        byte[] bytes = new byte[groups * digits / 2];
        for (int i = 0; i < groups; i++) {
            if (parts[i].isEmpty() || parts[i].length() > digits || !parts[i].matches("[0-9a-fA-F]+")) {
                throw st.exception("'" + text + "': '" + parts[i] + "' is not " + digits + " hexadecimal digits");
            }
            long value = Long.parseLong(parts[i], 16);
            for (int b = 0; b < digits / 2; b++) {
                bytes[i * digits / 2 + b] = (byte) (value >> (8 * (digits / 2 - 1 - b)));
            }
        }
        return bytes;
    }

    static String formatHexGroups(byte[] bytes, int digits, char separator) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0 && i % (digits / 2) == 0) {
                sb.append(separator);
            }
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }

    /** One or more character-strings (RFC 1035 section 3.3) up to the end of the line. */
    static byte[] characterStrings(Tokenizer st) throws IOException {
        DNSOutput out = new DNSOutput();
        int count = 0;
        for (Tokenizer.Token t = st.get(); t.isString(); t = st.get()) {
            out.writeCountedString(byteArrayFromString(t.value));
            count++;
        }
        st.unget();
        if (count == 0) {
            throw st.exception("expected at least one character-string");
        }
        return out.toByteArray();
    }

    static String formatCharacterStrings(DNSInput in) throws IOException {
        if (in.remaining() == 0) {
            throw new WireParseException("no character-string");
        }
        StringBuilder sb = new StringBuilder();
        while (in.remaining() > 0) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(byteArrayToString(in.readCountedString(), true));
        }
        return sb.toString();
    }
}
