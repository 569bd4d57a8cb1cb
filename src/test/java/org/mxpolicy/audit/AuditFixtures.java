package org.mxpolicy.audit;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.scan.CertificateInfo;
import org.mxpolicy.scan.CipherOrder;
import org.mxpolicy.scan.TlsEndpoint;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.TlsStart;
import org.mxpolicy.scan.VersionScan;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Fixed inputs for the judges: answers, scans with a given chain. */
final class AuditFixtures {

    private AuditFixtures() {}

    static DnsAnswer answer(String owner, int type, DnsAnswer.Security security, Record... records) {
        return new DnsAnswer(
                Name.fromConstantString(owner),
                type,
                Rcode.NOERROR,
                security,
                List.of(records),
                List.of(),
                Optional.empty());
    }

    static TLSARecord tlsa(String owner, TlsaRecord data) {
        return new TLSARecord(
                Name.fromConstantString(owner),
                DClass.IN,
                300,
                data.usage(),
                data.selector(),
                data.matching(),
                data.data());
    }

    static DnsAnswer tlsaAnswer(DnsAnswer.Security security, TlsaRecord... records) {
        String owner = "_25._tcp.mx.example.test.";
        Record[] rr = new Record[records.length];
        for (int i = 0; i < records.length; i++) {
            rr[i] = tlsa(owner, records[i]);
        }
        return answer(owner, Type.TLSA, security, rr);
    }

    static TXTRecord txt(String owner, String... strings) {
        return new TXTRecord(Name.fromConstantString(owner), DClass.IN, 300, List.of(strings));
    }

    static TlsScan scan(String host, List<X509Certificate> chain) {
        return new TlsScan(
                endpoint(host),
                true,
                Optional.empty(),
                List.of(new VersionScan(
                        "TLSv1.3",
                        List.of("TLS_AES_256_GCM_SHA384"),
                        CipherOrder.ONE_SUITE,
                        List.of("secp256r1"),
                        List.of("ecdsa_secp256r1_sha256"))),
                chain.stream().map(CertificateInfo::of).toList(),
                5);
    }

    /** A server that answers but offers no STARTTLS. */
    static TlsScan plaintext(String host) {
        return new TlsScan(endpoint(host), true, Optional.of("STARTTLS not offered"), List.of(), List.of(), 1);
    }

    static TlsScan unreachable(String host) {
        return new TlsScan(endpoint(host), false, Optional.of("connection refused"), List.of(), List.of(), 1);
    }

    static TlsEndpoint endpoint(String host) {
        return new TlsEndpoint(host, new InetSocketAddress(InetAddress.getLoopbackAddress(), 25), TlsStart.SMTP);
    }
}
