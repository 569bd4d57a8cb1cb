package org.mxpolicy.zone.corrections;

import java.io.IOException;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.SVCBRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * SVCB (RFC 9460) that reads AliasMode records with SvcParams (see {@link AliasModeText}); all
 * else is dnsjava's.
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
}
