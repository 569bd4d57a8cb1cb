package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mxpolicy.cert.InMemoryPki.pem;
import static org.mxpolicy.cert.InMemoryPki.stream;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

class CertificateChainReaderTest {

    private static final String SOURCE = "fullchain.pem";
    private static final InMemoryPki.Issuer ROOT = InMemoryPki.rootCa("Test Root");
    private static final InMemoryPki.Issuer INTERMEDIATE = InMemoryPki.intermediateCa("Test Intermediate", ROOT);
    private static final KeyPair LEAF_KEY = InMemoryPki.ec("secp256r1");
    private static final X509Certificate LEAF =
            InMemoryPki.issued(LEAF_KEY, "mx.example.org", INTERMEDIATE, false, "mx.example.org");

    @Test
    void ordersAShuffledChainLeafFirst() throws Exception {
        String text = "Bag Attributes: ignored\n" + pem(INTERMEDIATE.certificate()) + "\nsome text\n"
                + pem(ROOT.certificate()) + pem(LEAF);

        CertificateChain chain = CertificateChainReader.read(stream(text), SOURCE);

        assertThat(chain.source()).isEqualTo(SOURCE);
        assertThat(chain.certificates()).containsExactly(LEAF, INTERMEDIATE.certificate(), ROOT.certificate());
        assertThat(chain.leaf()).isEqualTo(LEAF);
        assertThat(chain.issuers()).containsExactly(INTERMEDIATE.certificate(), ROOT.certificate());
    }

    @Test
    void readsALeafAloneAndDropsDuplicates() throws Exception {
        CertificateChain chain = CertificateChainReader.read(stream(pem(LEAF) + pem(LEAF)), SOURCE);

        assertThat(chain.certificates()).containsExactly(LEAF);
        assertThat(chain.issuers()).isEmpty();
    }

    @Test
    void readsCrlfLinesAndAByteOrderMark() throws Exception {
        String text = "\uFEFF"
                + pem(List.of(ROOT.certificate(), LEAF, INTERMEDIATE.certificate()))
                        .replace("\n", "\r\n");
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(CertificateChainReader.read(stream(bytes), SOURCE).certificates())
                .containsExactly(LEAF, INTERMEDIATE.certificate(), ROOT.certificate());
    }

    @Test
    void readsOneDerCertificate() throws Exception {
        CertificateChain chain = CertificateChainReader.read(stream(LEAF.getEncoded()), "cert.der");

        assertThat(chain.certificates()).containsExactly(LEAF);
    }

    @Test
    void prefersTheIssuerWhoseKeyVerifiesTheSignature() {
        // A second CA of the same name, before the real one in the file: it did not sign the leaf.
        InMemoryPki.Issuer impostor = InMemoryPki.rootCa("Test Intermediate");
        String text = pem(List.of(LEAF, impostor.certificate(), INTERMEDIATE.certificate()));
        int impostorLine = pem(LEAF).split("\n").length + 1;

        Finding f = failure(text, SOURCE);

        assertThat(f.id()).isEqualTo("cert.chain-broken");
        assertThat(f.position().line()).isEqualTo(impostorLine);
        assertThat(f.message())
                .isEqualTo("CN=Test Intermediate (line " + impostorLine + ") is not an issuer in the"
                        + " chain of CN=mx.example.org (line 1): remove it, or give the certificates it belongs with in"
                        + " their own file");
    }

    @Test
    void emptyFile() {
        Finding f = failure("  \n\n", SOURCE);

        assertThat(f.id()).isEqualTo("cert.empty");
        assertThat(f.position()).isEqualTo(SourcePosition.file(SOURCE));
        assertThat(f.message()).startsWith("the file is empty: give the certificate chain in PEM (fullchain.pem)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY"})
    void privateKeyInsteadOfCertificate(String label) throws Exception {
        String text = pem(LEAF) + "\n" + pem(label, new byte[] {1, 2, 3});

        Finding f = failure(text, SOURCE);

        int keyLine = pem(LEAF).split("\n").length + 2;
        assertThat(f.id()).isEqualTo("cert.private-key-given");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, keyLine, 0));
        assertThat(f.message())
                .isEqualTo("contains a private key, not a certificate:"
                        + " give the certificate chain (fullchain.pem), not the key");
        assertThat(f.format()).startsWith("fullchain.pem:" + keyLine + ": error: contains a private key");
    }

    @Test
    void derPrivateKeyInsteadOfCertificate() {
        Finding f = failure(LEAF_KEY.getPrivate().getEncoded(), "key.der");

        assertThat(f.id()).isEqualTo("cert.private-key-given");
        assertThat(f.position()).isEqualTo(SourcePosition.file("key.der"));
    }

    @Test
    void otherBlockType() {
        Finding f = failure("\n" + pem("CERTIFICATE REQUEST", new byte[] {1}), SOURCE);

        assertThat(f.id()).isEqualTo("cert.not-a-certificate");
        assertThat(f.position().line()).isEqualTo(2);
        assertThat(f.message()).startsWith("contains a CERTIFICATE REQUEST block, not a certificate: give");
    }

    @Test
    void textWithoutPem() {
        Finding f = failure("hello\n", SOURCE);

        assertThat(f.id()).isEqualTo("cert.not-a-certificate");
        assertThat(f.position()).isEqualTo(SourcePosition.file(SOURCE));
        assertThat(f.message()).contains("has no PEM block (-----BEGIN CERTIFICATE-----)");
    }

    @Test
    void truncatedPem() {
        String leaf = pem(LEAF);
        String cut = leaf.substring(0, leaf.indexOf("-----END"));

        Finding f = failure(pem(INTERMEDIATE.certificate()) + cut, SOURCE);

        int beginLine = pem(INTERMEDIATE.certificate()).split("\n").length + 1;
        assertThat(f.id()).isEqualTo("cert.truncated-pem");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, beginLine, 0));
        assertThat(f.message())
                .isEqualTo("PEM block BEGIN CERTIFICATE has no END CERTIFICATE line:"
                        + " the file is cut off; copy it again");
    }

    @Test
    void beginWithoutEndBeforeTheNextBlock() {
        String leaf = pem(LEAF);
        String cut = leaf.substring(0, leaf.indexOf("-----END"));

        Finding f = failure(cut + pem(INTERMEDIATE.certificate()), SOURCE);

        assertThat(f.id()).isEqualTo("cert.truncated-pem");
        assertThat(f.position().line()).isEqualTo(1);
    }

    @Test
    void mismatchedEndLine() {
        String text = pem(LEAF).replace("-----END CERTIFICATE-----", "-----END PUBLIC KEY-----");

        Finding f = failure(text, SOURCE);

        assertThat(f.id()).isEqualTo("cert.bad-pem");
        assertThat(f.position().line()).isEqualTo(1);
        assertThat(f.message()).contains("ends with END PUBLIC KEY at line");
    }

    @Test
    void nonBase64CharacterIsReportedAtItsLine() {
        String[] lines = pem(LEAF).split("\n");
        lines[3] = lines[3].substring(0, 10) + "!" + lines[3].substring(11);

        Finding f = failure(String.join("\n", lines), SOURCE);

        assertThat(f.id()).isEqualTo("cert.bad-pem");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, 4, 0));
        assertThat(f.message())
                .isEqualTo("PEM block CERTIFICATE (BEGIN at line 1) has a character that is not"
                        + " base64 ('!'): the file is damaged; copy the block again");
    }

    @Test
    void missingBase64LineIsReportedAtTheBlock() {
        String[] lines = ("\n" + pem(LEAF)).split("\n");
        lines[3] = lines[3].substring(1);

        Finding f = failure(String.join("\n", lines), SOURCE);

        assertThat(f.id()).isIn("cert.bad-pem", "cert.malformed");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, 2, 0));
    }

    @Test
    void base64ThatIsNoCertificate() {
        Finding f = failure("\n\n" + pem("CERTIFICATE", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}), SOURCE);

        assertThat(f.id()).isEqualTo("cert.malformed");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, 3, 0));
        assertThat(f.message()).startsWith("PEM block CERTIFICATE does not hold a valid X.509 certificate (");
    }

    @Test
    void derThatIsNoCertificate() {
        Finding f = failure(new byte[] {0x30, 0x05, 0x01, 0x02}, "cert.der");

        assertThat(f.id()).isEqualTo("cert.malformed");
        assertThat(f.position()).isEqualTo(SourcePosition.file("cert.der"));
        assertThat(f.message()).startsWith("is neither PEM nor a DER certificate (");
    }

    @Test
    void reportsEveryBadBlock() {
        String text = pem("PRIVATE KEY", new byte[] {1}) + pem("CERTIFICATE", new byte[] {0x30, 0x00});

        assertThatThrownBy(() -> CertificateChainReader.read(stream(text), SOURCE))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.findings())
                                .extracting(Finding::id)
                                .containsExactly("cert.private-key-given", "cert.malformed"));
    }

    @Test
    void unrelatedCertificatesDoNotFormOneChain() {
        X509Certificate other =
                InMemoryPki.selfSigned(InMemoryPki.ec("secp256r1"), "other.example.org", false, "other.example.org");

        Finding f = failure(pem(LEAF) + pem(other), SOURCE);

        assertThat(f.id()).isEqualTo("cert.chain-broken");
        assertThat(f.position().line()).isEqualTo(1);
        assertThat(f.message())
                .startsWith("the certificates do not form one chain: CN=mx.example.org (line 1),"
                        + " CN=other.example.org (line ")
                .contains("is an intermediate certificate missing");
    }

    @Test
    void missingIntermediateBreaksTheChain() {
        Finding f = failure(pem(LEAF) + pem(ROOT.certificate()), SOURCE);

        assertThat(f.id()).isEqualTo("cert.chain-broken");
    }

    @Test
    void anIssuerOfAnotherChainIsLeftOver() {
        InMemoryPki.Issuer otherIntermediate = InMemoryPki.intermediateCa("Other Intermediate", ROOT);
        // leaf <- intermediate <- root, and another intermediate under the same root: two leaves.
        Finding f = failure(
                pem(List.of(LEAF, INTERMEDIATE.certificate(), ROOT.certificate(), otherIntermediate.certificate())),
                SOURCE);

        assertThat(f.id()).isEqualTo("cert.chain-broken");
        assertThat(f.message()).contains("CN=Other Intermediate");
    }

    @Test
    void refusesAWeakLeafKey() {
        X509Certificate weak = InMemoryPki.selfSigned(InMemoryPki.rsa(1024), "mx.example.org", false, "mx.example.org");

        Finding f = failure("\n" + pem(weak), SOURCE);

        assertThat(f.id()).isEqualTo("cert.unsupported-key");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, 2, 0));
        assertThat(f.message())
                .isEqualTo("the certificate's key (CN=mx.example.org) is RSA with 1024 bits,"
                        + " too short to pin: use RSA with 2048 bits or more, or ECDSA P-256 or P-384");
    }

    private static Finding failure(String text, String source) {
        return failure(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), source);
    }

    private static Finding failure(byte[] bytes, String source) {
        try {
            CertificateChainReader.read(stream(bytes), source);
        } catch (InvalidInputException e) {
            assertThat(e.findings()).hasSize(1);
            assertThat(e.exitCode()).isEqualTo(2);
            return e.findings().get(0);
        }
        throw new AssertionError("expected an InvalidInputException");
    }
}
