package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.SubjectPublicKey;

class TlsaRecordSetTest {

    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Root");
    private static final InMemoryPki.Issuer INTERMEDIATE = InMemoryPki.intermediateCa("Intermediate", ROOT);
    private static final InMemoryPki.Issuer OTHER_INTERMEDIATE = InMemoryPki.intermediateCa("Other Intermediate", ROOT);
    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");
    private static final X509Certificate LEAF =
            InMemoryPki.issued(KEY, "mx.example.org", INTERMEDIATE, false, "mx.example.org");
    private static final CertificateChain CHAIN =
            new CertificateChain("fullchain.pem", List.of(LEAF, INTERMEDIATE.certificate()));

    @Test
    void leafNextKeysAndIssuersInCanonicalOrder() throws Exception {
        SubjectPublicKey next = SubjectPublicKey.of(InMemoryPki.selfSigned(InMemoryPki.ed25519(), "n", false));

        TlsaRecordSet set = TlsaRecordSet.forMx(
                "MX.Example.org.",
                25,
                CHAIN,
                List.of(next),
                List.of(OTHER_INTERMEDIATE.certificate(), INTERMEDIATE.certificate()),
                true,
                1,
                1);

        assertThat(set.owner()).isEqualTo("_25._tcp.mx.example.org");
        assertThat(set.records())
                .containsExactlyInAnyOrder(
                        TlsaRecord.of(3, 1, 1, LEAF),
                        TlsaRecord.of(3, 1, next),
                        TlsaRecord.of(2, 1, 1, INTERMEDIATE.certificate()),
                        TlsaRecord.of(2, 1, 1, OTHER_INTERMEDIATE.certificate()));
        assertThat(set.records()).isSortedAccordingTo(TlsaRecordSet.CANONICAL);
        assertThat(set.records().get(0).usage()).isEqualTo(2);
        assertThat(set.notes()).isEmpty();
    }

    @Test
    void withoutIssuersOnlyTheKeys() throws Exception {
        TlsaRecordSet set = TlsaRecordSet.forMx(
                "mx.example.org", 25, CHAIN, List.of(SubjectPublicKey.of(LEAF)), List.of(), false, 1, 2);

        assertThat(set.records()).containsExactly(TlsaRecord.of(3, 1, 2, LEAF));
    }

    @Test
    void selectorZeroCannotExpressNextKeys() throws Exception {
        SubjectPublicKey next = SubjectPublicKey.of(InMemoryPki.selfSigned(InMemoryPki.ec("secp384r1"), "n", false));

        TlsaRecordSet set = TlsaRecordSet.forMx("mx.example.org", 25, CHAIN, List.of(next), List.of(), true, 0, 1);

        assertThat(set.records())
                .containsExactly(TlsaRecord.of(2, 0, 1, INTERMEDIATE.certificate()), TlsaRecord.of(3, 0, 1, LEAF));
        assertThat(set.notes())
                .singleElement()
                .asString()
                .contains("next key(s) of mx.example.org have no record; use selector 1");
    }

    @Test
    void sameInputSameOutput() {
        TlsaRecordSet a = TlsaRecordSet.forMx(
                "mx.example.org",
                25,
                CHAIN,
                List.of(),
                List.of(OTHER_INTERMEDIATE.certificate(), ROOT.certificate()),
                true,
                1,
                1);
        TlsaRecordSet b = TlsaRecordSet.forMx(
                "mx.example.org",
                25,
                CHAIN,
                List.of(),
                List.of(ROOT.certificate(), OTHER_INTERMEDIATE.certificate()),
                true,
                1,
                1);

        assertThat(a).isEqualTo(b);
    }
}
