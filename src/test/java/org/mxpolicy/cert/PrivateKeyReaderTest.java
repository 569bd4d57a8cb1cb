package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.PrivateKey;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.InvalidInputException;

class PrivateKeyReaderTest {

    private static PrivateKey read(String pem) throws InvalidInputException {
        return PrivateKeyReader.read(InMemoryPki.stream(pem), "privkey.pem");
    }

    @Test
    void readsPkcs8EcAndRsa() throws Exception {
        KeyPair ec = InMemoryPki.ec("secp256r1");
        assertThat(read(InMemoryPki.pem("PRIVATE KEY", ec.getPrivate().getEncoded()))
                        .getEncoded())
                .isEqualTo(ec.getPrivate().getEncoded());
        KeyPair rsa = InMemoryPki.rsa(2048);
        assertThat(read(InMemoryPki.pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))
                        .getAlgorithm())
                .isEqualTo("RSA");
    }

    @Test
    void readsPkcs1AndSec1() throws Exception {
        KeyPair rsa = InMemoryPki.rsa(2048);
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded())
                .parsePrivateKey()
                .toASN1Primitive()
                .getEncoded();
        assertThat(read(InMemoryPki.pem("RSA PRIVATE KEY", pkcs1)).getAlgorithm())
                .isEqualTo("RSA");
        KeyPair ec = InMemoryPki.ec("secp384r1");
        byte[] sec1 = PrivateKeyInfo.getInstance(ec.getPrivate().getEncoded())
                .parsePrivateKey()
                .toASN1Primitive()
                .getEncoded();
        assertThat(read(InMemoryPki.pem("EC PRIVATE KEY", sec1)).getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void readsTheExampleKey() throws Exception {
        try (var in = java.nio.file.Files.newInputStream(
                java.nio.file.Path.of("examples/certs/mta-sts.example.com/privkey.pem"))) {
            assertThat(PrivateKeyReader.read(in, "privkey.pem").getAlgorithm()).isEqualTo("EC");
        }
    }

    @Test
    void rejectsCertificatesEncryptedKeysAndSeveralKeysWithoutShowingKeyMaterial() {
        KeyPair ec = InMemoryPki.ec("secp256r1");
        String key = InMemoryPki.pem("PRIVATE KEY", ec.getPrivate().getEncoded());
        assertThatThrownBy(() -> read(InMemoryPki.pem(InMemoryPki.selfSigned(ec, "x", false, "x.example"))))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.findings().get(0).id()).isEqualTo("key.not-a-private-key"));
        assertThatThrownBy(() -> read(InMemoryPki.pem("ENCRYPTED PRIVATE KEY", new byte[] {0x30, 0})))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.findings().get(0).id()).isEqualTo("key.encrypted"));
        assertThatThrownBy(() -> read(key + key))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.findings().get(0).id()).isEqualTo("key.ambiguous"));
        String damaged = key.replace(key.substring(40, 60), "AAAAAAAAAAAAAAAAAAAA");
        assertThatThrownBy(() -> read(damaged)).isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.findings().get(0).id()).startsWith("key.");
            assertThat(e.getMessage() + e.findings())
                    .doesNotContain(key.substring(30, 90).strip());
        });
        assertThatThrownBy(() -> read("")).isInstanceOf(InvalidInputException.class);
    }
}
