package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.HIPRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;
import org.xbill.DNS.utils.base64;

/**
 * HIP (RFC 8005 section 6) with rendezvous servers followed by another record. dnsjava 3.6.4 and
 * 3.7.0 read the rendezvous servers up to and including the end of the line, so the next record's
 * owner is taken as more RDATA and the zone is refused ("unexpected tokens at end of record"); the
 * servers are read here up to the end of the line, which is left for the caller. The wire form is
 * section 5's: the servers uncompressed, in the case given, in the canonical form too (HIP is not
 * among the types of RFC 4034 section 6.2, but dnsjava lowercases its names there, so servers
 * written "Rvs1.Example.com." were signed over other bytes than BIND and Knot verify).
 */
final class CorrectedHipRecord extends HIPRecord {

    CorrectedHipRecord() {
        super(Name.root, DClass.IN, 0, new byte[1], 2, new byte[1]);
    }

    @Override
    protected void rdataFromString(Tokenizer st, Name origin) throws IOException {
        int algorithm = st.getUInt8();
        byte[] hit = st.getHexString();
        String keyText = st.getString();
        byte[] key = base64.fromString(keyText);
        if (key == null) {
            throw st.exception("'" + keyText + "' is not a base64 public key");
        }
        if (hit.length > 255 || key.length > 65535) {
            throw st.exception("HIT or public key too long");
        }
        DNSOutput out = new DNSOutput();
        out.writeU8(hit.length);
        out.writeU8(algorithm);
        out.writeU16(key.length);
        out.writeByteArray(hit);
        out.writeByteArray(key);
        for (Tokenizer.Token t = st.get(); t.isString(); t = st.get()) {
            RdataBytesRecord.writeName(out, Name.fromString(t.value, origin));
        }
        st.unget();
        rrFromWire(new DNSInput(out.toByteArray()));
    }

    @Override
    protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
        super.rrToWire(out, null, false);
    }
}
