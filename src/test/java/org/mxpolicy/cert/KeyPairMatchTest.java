package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A private key and a certificate's public key are told apart as a pair or not, for every kind of key served. */
class KeyPairMatchTest {

    private static KeyPair pair(String kind) throws Exception {
        return switch (kind) {
            case "rsa-2048" -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                yield g.generateKeyPair();
            }
            case "ed25519" -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            default -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec(kind));
                yield g.generateKeyPair();
            }
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1", "rsa-2048", "ed25519"})
    void aKeyMatchesItsOwnPublicKeyOnly(String kind) throws Exception {
        KeyPair one = pair(kind);
        KeyPair other = pair(kind);

        assertThat(ServerCertificateChecks.keyMatches(one.getPrivate(), one.getPublic()))
                .isTrue();
        assertThat(ServerCertificateChecks.keyMatches(one.getPrivate(), other.getPublic()))
                .isFalse();
    }

    @org.junit.jupiter.api.Test
    void keysOfDifferentKindsNeverMatch() throws Exception {
        assertThat(ServerCertificateChecks.keyMatches(
                        pair("secp256r1").getPrivate(), pair("secp384r1").getPublic()))
                .isFalse();
        assertThat(ServerCertificateChecks.keyMatches(
                        pair("rsa-2048").getPrivate(), pair("secp256r1").getPublic()))
                .isFalse();
    }
}
