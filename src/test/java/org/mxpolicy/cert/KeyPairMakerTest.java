package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyPairMakerTest {

    private final KeyPairMaker maker = new KeyPairMaker(new SecureRandom());

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ec-p256", "ec-p384", "rsa-2048", "ed25519"})
    void makesTheKeyAskedForAndAFreshOneEachTime(String name) throws Exception {
        KeyPairSpec spec = KeyPairSpec.parse(name, null);

        KeyPair first = maker.make(spec);
        KeyPair second = maker.make(spec);

        SubjectPublicKey key = KeyPairMaker.publicKey(first);
        assertThat(key.description()).isEqualTo(spec.description());
        assertThat(KeyPairSpec.like(key, null)).isEqualTo(spec);
        assertThat(key).isNotEqualTo(KeyPairMaker.publicKey(second));
        if (first.getPublic() instanceof RSAPublicKey rsa) {
            assertThat(rsa.getPublicExponent().intValue()).isEqualTo(65537);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ec-p256", "ec-p384", "rsa-2048", "ed25519"})
    void writesPkcs8PemThatReadsBackAsTheSameKey(String name) throws Exception {
        KeyPair pair = maker.make(KeyPairSpec.parse(name, null));

        byte[] pem = PrivateKeyPem.encode(pair.getPrivate());
        String text = new String(pem, StandardCharsets.US_ASCII);

        assertThat(text).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
        PrivateKey read = PrivateKeyReader.read(InMemoryPki.stream(pem), "next.key");
        // version 0 without public key: the form OpenSSL 3.0 loads for every key type
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(der(text));
        assertThat(info.getVersion().intValueExact()).isZero();
        assertThat(info.getPublicKeyData()).isNull();
        assertThat(signs(read, pair.getPublic())).isTrue();
        assertThat(PublicKeyReader.read(InMemoryPki.stream(pem), "next.key")).isEqualTo(KeyPairMaker.publicKey(pair));
        Arrays.fill(pem, (byte) 0);
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    /** Whether a signature made with the private key verifies with the public key. */
    private static boolean signs(PrivateKey privateKey, PublicKey publicKey) throws Exception {
        String algorithm = switch (publicKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> publicKey.getAlgorithm();
        };
        byte[] data = "next key".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm, InMemoryPki.BC);
        signer.initSign(privateKey);
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm, InMemoryPki.BC);
        verifier.initVerify(publicKey);
        verifier.update(data);
        return verifier.verify(signature);
    }
}
