package org.mxpolicy.zone.corrections;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.Name;
import org.xbill.DNS.SVCBRecord;
import org.xbill.DNS.Tokenizer;

/**
 * SVCB (RFC 9460) that reads AliasMode records with SvcParams (see {@link AliasModeText}), and
 * keeps the TargetName's case in the canonical form: SVCB and HTTPS are not among the types whose
 * RDATA names RFC 4034 section 6.2 (with RFC 6840 section 5.1) lowercases, but dnsjava 3.7.0
 * lowercases them, so a target written "Svc.Example." was signed over other bytes than BIND and
 * Knot verify.
 */
final class CorrectedSvcbRecord extends SVCBRecord {

    CorrectedSvcbRecord() {
        super(Name.root, DClass.IN, 0, 0, Name.root, List.of());
    }

    @Override
    protected void rdataFromString(Tokenizer st, Name origin) throws IOException {
        if (AliasModeText.parse(st, origin, super::rdataFromString)) {
            DNSOutput out = new DNSOutput();
            rrToWire(out, null, false);
            byte[] wire = out.toByteArray();
            wire[0] = 0;
            wire[1] = 0;
            rrFromWire(new DNSInput(wire));
        }
    }

    @Override
    protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
        super.rrToWire(out, null, false);
    }
}
