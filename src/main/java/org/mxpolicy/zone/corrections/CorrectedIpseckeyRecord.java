package org.mxpolicy.zone.corrections;

import org.xbill.DNS.Compression;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSOutput;
import org.xbill.DNS.IPSECKEYRecord;
import org.xbill.DNS.Name;

/**
 * IPSECKEY (RFC 4025) in canonical form with the gateway name's case kept. IPSECKEY is not among
 * the types whose RDATA names RFC 4034 section 6.2 (as amended by RFC 6840 section 5.1) lowercases,
 * but dnsjava 3.7.0 lowercases every RDATA name in the canonical form, so a gateway written
 * "Gateway.Example." was signed over other bytes than BIND and Knot verify.
 */
final class CorrectedIpseckeyRecord extends IPSECKEYRecord {

    CorrectedIpseckeyRecord() {
        super(Name.root, DClass.IN, 0, 0, IPSECKEYRecord.Gateway.None, IPSECKEYRecord.Algorithm.DSA, null, new byte[0]);
    }

    @Override
    protected void rrToWire(DNSOutput out, Compression c, boolean canonical) {
        super.rrToWire(out, null, false);
    }
}
