package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

class CertificateRequestTest {

    private static final KeyPairMaker MAKER = new KeyPairMaker(new SecureRandom());

    private static List<String> dnsNames(PKCS10CertificationRequest csr) {
        var attributes = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
        assertThat(attributes).hasSize(1);
        Extensions extensions =
                Extensions.getInstance(attributes[0].getAttrValues().getObjectAt(0));
        GeneralNames names = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        return Arrays.stream(names.getNames())
                .map(n -> {
                    assertThat(n.getTagNo()).isEqualTo(GeneralName.dNSName);
                    return n.getName().toString();
                })
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ec-p256, 1.2.840.10045.4.3.2",
        "ec-p384, 1.2.840.10045.4.3.3",
        "rsa-2048, 1.2.840.113549.1.1.11",
        "ed25519, 1.3.101.112",
    })
    void requestsEveryNameForTheNewKeyAndProvesPossession(String type, String signatureOid) throws Exception {
        KeyPair key = MAKER.make(KeyPairSpec.parse(type, null));

        CertificateRequest request = CertificateRequest.create(
                key, List.of("MX1.Example.ORG.", "mail.example.org", "mx1.example.org", "*.mx.example.org"), null);

        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(request.der());
        assertThat(csr.getSubject()).isEqualTo(new X500Name("CN=mx1.example.org"));
        assertThat(dnsNames(csr)).containsExactly("mx1.example.org", "mail.example.org", "*.mx.example.org");
        assertThat(request.names()).containsExactly("mx1.example.org", "mail.example.org", "*.mx.example.org");
        assertThat(csr.getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(key.getPublic().getEncoded());
        assertThat(request.publicKey()).isEqualTo(KeyPairMaker.publicKey(key));
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId()).isEqualTo(signatureOid);
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                        .setProvider(InMemoryPki.BC)
                        .build(new JcaPKCS10CertificationRequest(csr).getPublicKey())))
                .isTrue();
        assertThat(new PKCS10CertificationRequest(java.util.Base64.getMimeDecoder()
                                .decode(request.pem().replaceAll("-----[A-Z ]+-----", "")))
                        .getEncoded())
                .isEqualTo(request.der());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ec-p256", "ec-p384", "rsa-2048", "ed25519"})
    void theSameKeyAndNamesGiveTheSameBytes(String type) throws Exception {
        KeyPair key = MAKER.make(KeyPairSpec.parse(type, null));
        List<String> names = List.of("mx1.example.org", "mail.example.org");

        assertThat(CertificateRequest.create(key, names, null).der())
                .isEqualTo(CertificateRequest.create(key, names, null).der());
        assertThat(CertificateRequest.create(key, List.of("mx1.example.org"), null)
                        .der())
                .isNotEqualTo(CertificateRequest.create(key, names, null).der());
    }

    @Test
    void theNamesAreTheHostThenTheFurtherNamesOfTheCurrentCertificate() {
        var current = InMemoryPki.selfSigned(
                InMemoryPki.ec("secp256r1"),
                "mail.example.org",
                false,
                "mail.example.org",
                "MX1.example.org",
                "*.example.org");

        assertThat(CertificateRequest.namesFor("mx1.example.org.", current))
                .containsExactly("mx1.example.org", "mail.example.org", "*.example.org");
        assertThat(CertificateRequest.namesFor("mx1.example.org", null)).containsExactly("mx1.example.org");
    }

    @Test
    void refusesNamesNoCertificateCanHoldAllAtOnce() {
        KeyPair key = MAKER.make(KeyPairSpec.EC_P256);
        SourcePosition where = SourcePosition.at("mxpolicy.yaml", 12, 9);

        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class,
                () -> CertificateRequest.create(
                        key,
                        List.of("mx1.example.org", "exa mple.org", "-mx.example.org", "mx.*.example.org", "localhost"),
                        where));

        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("csr.name");
            assertThat(f.position()).isEqualTo(where);
            assertThat(f.message())
                    .contains("'exa mple.org'", "'-mx.example.org'", "'mx.*.example.org'", "'localhost'")
                    .doesNotContain("'mx1.example.org'");
        });
        assertThat(catchThrowableOfType(
                                InvalidInputException.class, () -> CertificateRequest.create(key, List.of(), where))
                        .getMessage())
                .contains("at least one");
    }

    @Test
    void saysWhichKeyButNeverShowsIt() throws Exception {
        KeyPair key = MAKER.make(KeyPairSpec.EC_P256);
        CertificateRequest request = CertificateRequest.create(key, List.of("mx1.example.org"), null);
        String digest = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(key.getPublic().getEncoded()));

        assertThat(SpkiDigest.of(request.publicKey()).hex()).isEqualTo(digest);
        assertThat(SpkiDigest.of(request.publicKey()).stem()).isEqualTo(digest.substring(0, 16));
        assertThat(request.toString())
                .contains("mx1.example.org", "ECDSA P-256", digest.substring(0, 16))
                .doesNotContain(java.util.Base64.getEncoder()
                        .encodeToString(key.getPrivate().getEncoded())
                        .substring(0, 20));
    }
}
