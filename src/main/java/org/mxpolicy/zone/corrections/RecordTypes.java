package org.mxpolicy.zone.corrections;

import org.xbill.DNS.Type;

/**
 * The record types mxpolicy reads and writes differently from dnsjava 3.7.0: corrections of types
 * it gets wrong (LOC, WKS, HIP, SVCB/HTTPS in AliasMode; the canonical form of HIP, IPSECKEY,
 * SVCB and HTTPS) and types it does not know (EUI48, EUI64, NID,
 * L32, L64, LP, CSYNC, AMTRELAY, AVC, NINFO, TA). Each class names the defect and the RFC section;
 * each is registered with {@link Type#register}, which replaces dnsjava's factory for the type in
 * this JVM, so the zone reader, {@code Record.fromWire} and {@code Record.fromString} all use them.
 */
public final class RecordTypes {

    private static boolean registered;

    private RecordTypes() {}

    /** Registers every correction; calling it again does nothing. */
    public static synchronized void register() {
        if (registered) {
            return;
        }
        Type.register(Type.LOC, "LOC", CorrectedLocRecord::new);
        Type.register(Type.WKS, "WKS", CorrectedWksRecord::new);
        Type.register(Type.HIP, "HIP", CorrectedHipRecord::new);
        Type.register(Type.IPSECKEY, "IPSECKEY", CorrectedIpseckeyRecord::new);
        Type.register(Type.SVCB, "SVCB", CorrectedSvcbRecord::new);
        Type.register(Type.HTTPS, "HTTPS", CorrectedHttpsRecord::new);
        Type.register(Eui48Record.TYPE, "EUI48", Eui48Record::new);
        Type.register(Eui64Record.TYPE, "EUI64", Eui64Record::new);
        Type.register(Identifier64Record.NID, "NID", Identifier64Record::new);
        Type.register(L32Record.TYPE, "L32", L32Record::new);
        Type.register(Identifier64Record.L64, "L64", Identifier64Record::new);
        Type.register(LpRecord.TYPE, "LP", LpRecord::new);
        Type.register(CsyncRecord.TYPE, "CSYNC", CsyncRecord::new);
        Type.register(AmtrelayRecord.TYPE, "AMTRELAY", AmtrelayRecord::new);
        Type.register(AvcRecord.TYPE, "AVC", AvcRecord::new);
        Type.register(NinfoRecord.TYPE, "NINFO", NinfoRecord::new);
        Type.register(TaRecord.TYPE, "TA", TaRecord::new);
        registered = true;
    }
}
