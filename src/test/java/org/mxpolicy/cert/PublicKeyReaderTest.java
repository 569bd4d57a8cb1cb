package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mxpolicy.cert.InMemoryPki.pem;
import static org.mxpolicy.cert.InMemoryPki.stream;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

class PublicKeyReaderTest {

    private static final String SOURCE = "next.key";
    private static final KeyPair RSA = InMemoryPki.rsa(2048);
    private static final KeyPair P256 = InMemoryPki.ec("secp256r1");
    private static final KeyPair P384 = InMemoryPki.ec("secp384r1");
    private static final KeyPair ED25519 = InMemoryPki.ed25519();

    @Test
    void pkcs8PrivateKeysGiveTheirPublicKey() throws Exception {
        for (KeyPair key : new KeyPair[] {RSA, P256, P384, ED25519, InMemoryPki.ed448()}) {
            SubjectPublicKey read = read(pem("PRIVATE KEY", key.getPrivate().getEncoded()));

            assertThat(read.spki()).isEqualTo(key.getPublic().getEncoded());
        }
    }

    @Test
    void describesTheKey() throws Exception {
        assertThat(read(pem("PRIVATE KEY", RSA.getPrivate().getEncoded())).description())
                .isEqualTo("RSA 2048");
        assertThat(read(pem("PRIVATE KEY", P256.getPrivate().getEncoded())).description())
                .isEqualTo("ECDSA P-256");
        assertThat(read(pem("PRIVATE KEY", P384.getPrivate().getEncoded())).description())
                .isEqualTo("ECDSA P-384");
        SubjectPublicKey ed = read(pem("PRIVATE KEY", ED25519.getPrivate().getEncoded()));
        assertThat(ed.description()).isEqualTo("Ed25519");
        assertThat(ed.type()).isEqualTo(KeyType.ED25519);
    }

    @Test
    void pkcs1RsaPrivateKey() throws Exception {
        byte[] pkcs1 = PrivateKeyInfo.getInstance(RSA.getPrivate().getEncoded())
                .parsePrivateKey()
                .toASN1Primitive()
                .getEncoded(ASN1Encoding.DER);

        SubjectPublicKey read = read(pem("RSA PRIVATE KEY", pkcs1));

        assertThat(read.spki()).isEqualTo(RSA.getPublic().getEncoded());
        assertThat(read.type()).isEqualTo(KeyType.RSA);
        assertThat(read.bits()).isEqualTo(2048);
    }

    @Test
    void sec1EcPrivateKeyWithAndWithoutPublicKey() throws Exception {
        for (KeyPair key : new KeyPair[] {P256, P384, InMemoryPki.ec("brainpoolP256r1")}) {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getPrivate().getEncoded());
            ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
            X962Parameters curve =
                    X962Parameters.getInstance(info.getPrivateKeyAlgorithm().getParameters());
            int orderBits = curve.isNamedCurve()
                    ? org.bouncycastle.asn1.x9.ECNamedCurveTable.getByOID(
                                    (org.bouncycastle.asn1.ASN1ObjectIdentifier) curve.getParameters())
                            .getN()
                            .bitLength()
                    : 0;
            byte[] point = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded())
                    .getPublicKeyData()
                    .getBytes();
            byte[] withPublic = new ECPrivateKey(
                            orderBits, inner.getKey(), new DERBitString(point), curve.getParameters())
                    .getEncoded(ASN1Encoding.DER);
            byte[] withoutPublic =
                    new ECPrivateKey(orderBits, inner.getKey(), curve.getParameters()).getEncoded(ASN1Encoding.DER);

            // openssl ecparam -genkey writes the curve in a block of its own first.
            String parameters =
                    pem("EC PARAMETERS", curve.getParameters().toASN1Primitive().getEncoded());
            assertThat(read(parameters + pem("EC PRIVATE KEY", withPublic)).spki())
                    .isEqualTo(key.getPublic().getEncoded());
            assertThat(read(pem("EC PRIVATE KEY", withoutPublic)).spki())
                    .isEqualTo(key.getPublic().getEncoded());
        }
    }

    @Test
    void publicKeyCertificateAndRequest() throws Exception {
        X509Certificate cert = InMemoryPki.selfSigned(P256, "mx.example.org", false, "mx.example.org");
        var request = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                        new org.bouncycastle.asn1.x500.X500Name("CN=mx.example.org"), P256.getPublic())
                .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(InMemoryPki.BC)
                        .build(P256.getPrivate()));
        byte[] expected = P256.getPublic().getEncoded();

        assertThat(read(pem("PUBLIC KEY", expected)).spki()).isEqualTo(expected);
        assertThat(read(pem(cert)).spki()).isEqualTo(expected);
        assertThat(read(pem("CERTIFICATE REQUEST", request.getEncoded())).spki())
                .isEqualTo(expected);
        assertThat(PublicKeyReader.read(stream(cert.getEncoded()), "cert.der").spki())
                .isEqualTo(expected);
        assertThat(PublicKeyReader.read(stream(expected), "key.der").spki()).isEqualTo(expected);
        assertThat(PublicKeyReader.read(stream(P256.getPrivate().getEncoded()), "key.der")
                        .spki())
                .isEqualTo(expected);
    }

    @Test
    void traditionalDerPrivateKeys() throws Exception {
        byte[] pkcs1 = PrivateKeyInfo.getInstance(RSA.getPrivate().getEncoded())
                .parsePrivateKey()
                .toASN1Primitive()
                .getEncoded(ASN1Encoding.DER);
        PrivateKeyInfo ec = PrivateKeyInfo.getInstance(P256.getPrivate().getEncoded());
        byte[] sec1 = new ECPrivateKey(
                        256,
                        ECPrivateKey.getInstance(ec.parsePrivateKey()).getKey(),
                        ec.getPrivateKeyAlgorithm().getParameters())
                .getEncoded(ASN1Encoding.DER);

        assertThat(PublicKeyReader.read(stream(pkcs1), "rsa.der").spki())
                .isEqualTo(RSA.getPublic().getEncoded());
        assertThat(PublicKeyReader.read(stream(sec1), "ec.der").spki())
                .isEqualTo(P256.getPublic().getEncoded());
    }

    @Test
    void derOfAnotherKind() throws Exception {
        byte[] der =
                new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.DERUTF8String("hello")).getEncoded();

        try {
            PublicKeyReader.read(stream(der), "other.der");
            throw new AssertionError("read");
        } catch (InvalidInputException e) {
            assertThat(e.findings()).singleElement().satisfies(f -> {
                assertThat(f.id()).isEqualTo("key.not-a-key");
                assertThat(f.position()).isEqualTo(SourcePosition.file("other.der"));
            });
        }
    }

    @Test
    void chainGivesTheLeafKey() throws Exception {
        InMemoryPki.Issuer root = InMemoryPki.rootCa("Root");
        X509Certificate leaf = InMemoryPki.issued(P256, "mx.example.org", root, false, "mx.example.org");

        assertThat(read(pem(root.certificate()) + pem(leaf)).spki())
                .isEqualTo(P256.getPublic().getEncoded());
    }

    @Test
    void encryptedPkcs8Key() {
        Finding f = failure("# next key\n" + pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2, 3}));

        assertThat(f.id()).isEqualTo("key.encrypted");
        assertThat(f.position()).isEqualTo(SourcePosition.at(SOURCE, 2, 0));
        assertThat(f.message())
                .isEqualTo("the private key is encrypted: give the public key"
                        + " (openssl pkey -in KEY -pubout) or an unencrypted key");
    }

    @Test
    void encryptedTraditionalKey() {
        String text = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233\n\n"
                + "AAAA\n-----END RSA PRIVATE KEY-----\n";

        Finding f = failure(text);

        assertThat(f.id()).isEqualTo("key.encrypted");
        assertThat(f.position().line()).isEqualTo(1);
    }

    @Test
    void emptyFile() {
        Finding f = failure("");

        assertThat(f.id()).isEqualTo("key.empty");
        assertThat(f.position()).isEqualTo(SourcePosition.file(SOURCE));
    }

    @Test
    void twoKeysAreAmbiguous() {
        Finding f = failure(pem("PUBLIC KEY", P256.getPublic().getEncoded())
                + pem("PUBLIC KEY", RSA.getPublic().getEncoded()));

        assertThat(f.id()).isEqualTo("key.ambiguous");
        assertThat(f.message()).endsWith("give one key per file");
    }

    @Test
    void keyAndCertificateAreAmbiguous() {
        X509Certificate cert = InMemoryPki.selfSigned(P256, "mx.example.org", false, "mx.example.org");

        Finding f = failure(pem(cert) + pem("PRIVATE KEY", P256.getPrivate().getEncoded()));

        assertThat(f.id()).isEqualTo("key.ambiguous");
    }

    @Test
    void otherBlockType() {
        Finding f = failure(pem("DH PARAMETERS", new byte[] {1}));

        assertThat(f.id()).isEqualTo("key.not-a-key");
        assertThat(f.message()).startsWith("contains a DH PARAMETERS block, which holds no key");
    }

    @Test
    void malformedKey() {
        Finding f = failure("\n" + pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}));

        assertThat(f.id()).isEqualTo("key.malformed");
        assertThat(f.position().line()).isEqualTo(2);
        assertThat(f.message()).startsWith("is not a valid PKCS#8 private key (");
    }

    @Test
    void refusesWeakAndUnusualKeys() throws Exception {
        assertThat(failure(pem("PUBLIC KEY", InMemoryPki.rsa(1024).getPublic().getEncoded()))
                        .message())
                .startsWith("the key is RSA with 1024 bits, too short to pin");
        assertThat(failure(pem("PRIVATE KEY", InMemoryPki.dsa().getPrivate().getEncoded()))
                        .message())
                .startsWith("the key is a DSA key, which is not supported: use RSA (2048 bits or more)");
        assertThat(failure(pem("PUBLIC KEY", InMemoryPki.dsa().getPublic().getEncoded()))
                        .id())
                .isEqualTo("cert.unsupported-key");
        assertThat(failure(pem(
                                "PRIVATE KEY",
                                InMemoryPki.ec("secp256k1").getPrivate().getEncoded()))
                        .message())
                .isEqualTo("the key is ECDSA on curve secp256k1, which is not supported: use a key on P-256, P-384,"
                        + " P-521, brainpoolP256r1, brainpoolP384r1 or brainpoolP512r1");
    }

    @Test
    void refusesExplicitCurveParameters() throws Exception {
        SubjectPublicKeyInfo named =
                SubjectPublicKeyInfo.getInstance(P256.getPublic().getEncoded());
        var explicit = new X962Parameters(org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("prime256v1"));
        byte[] spki = new SubjectPublicKeyInfo(
                        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                named.getAlgorithm().getAlgorithm(), explicit),
                        named.getPublicKeyData().getBytes())
                .getEncoded(ASN1Encoding.DER);

        Finding f = failure(pem("PUBLIC KEY", spki));

        assertThat(f.id()).isEqualTo("cert.unsupported-key");
        assertThat(f.message()).startsWith("the key is ECDSA with explicit curve parameters");
    }

    @Test
    void acceptsBrainpoolAndEd448() throws Exception {
        assertThat(read(pem(
                                "PUBLIC KEY",
                                InMemoryPki.ec("brainpoolP384r1").getPublic().getEncoded()))
                        .description())
                .isEqualTo("ECDSA brainpoolP384r1");
        assertThat(read(pem(
                                "PUBLIC KEY",
                                InMemoryPki.ec("secp521r1").getPublic().getEncoded()))
                        .bits())
                .isEqualTo(521);
        assertThat(read(pem("PUBLIC KEY", InMemoryPki.ed448().getPublic().getEncoded()))
                        .type())
                .isEqualTo(KeyType.ED448);
    }

    @Test
    void neverShowsTheKeyBytes() throws Exception {
        SubjectPublicKey key = read(pem("PRIVATE KEY", P256.getPrivate().getEncoded()));

        assertThat(key.toString()).startsWith("SubjectPublicKey[ECDSA P-256, spki sha256 ");
    }

    @Test
    void valueSemantics() throws Exception {
        SubjectPublicKey a = read(pem("PUBLIC KEY", P256.getPublic().getEncoded()));
        SubjectPublicKey b = read(pem("PRIVATE KEY", P256.getPrivate().getEncoded()));
        byte[] spki = a.spki();
        spki[0] = 0;

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.spki()).isEqualTo(P256.getPublic().getEncoded());
    }

    private static SubjectPublicKey read(String text) throws InvalidInputException {
        return PublicKeyReader.read(stream(text), SOURCE);
    }

    private static Finding failure(String text) {
        try {
            PublicKeyReader.read(stream(text.getBytes(StandardCharsets.US_ASCII)), SOURCE);
        } catch (InvalidInputException e) {
            assertThat(e.findings()).hasSize(1);
            return e.findings().get(0);
        }
        throw new AssertionError("expected an InvalidInputException");
    }
}
