package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

class KeyPairSpecTest {

    private static final SourcePosition OPTION = SourcePosition.file("--key-type");

    private static SubjectPublicKey keyOf(KeyPair pair) throws InvalidInputException {
        return SubjectPublicKey.of(InMemoryPki.selfSigned(pair, "mx1.example.org", false, "mx1.example.org"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ec-p256, ECDSA P-256",
        "ec-p384, ECDSA P-384",
        "rsa-2048, RSA 2048",
        "rsa-3072, RSA 3072",
        "rsa-4096, RSA 4096",
        "ed25519, Ed25519",
        "' EC-P256 ', ECDSA P-256",
    })
    void parsesEveryOfferedName(String name, String description) throws Exception {
        KeyPairSpec spec = KeyPairSpec.parse(name, OPTION);

        assertThat(spec.description()).isEqualTo(description);
        assertThat(KeyPairSpec.parse(spec.name(), OPTION)).isEqualTo(spec);
    }

    @Test
    void refusesAnUnknownNameListingTheKnownOnes() {
        InvalidInputException e =
                catchThrowableOfType(InvalidInputException.class, () -> KeyPairSpec.parse("ec-p521", OPTION));

        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("key.type");
            assertThat(f.position()).isEqualTo(OPTION);
            assertThat(f.message()).contains("'ec-p521'", "ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096, ed25519");
        });
    }

    @Test
    void aNextKeyIsLikeTheCurrentOne() throws Exception {
        assertThat(KeyPairSpec.like(keyOf(InMemoryPki.ec("secp256r1")), null)).isEqualTo(KeyPairSpec.EC_P256);
        assertThat(KeyPairSpec.like(keyOf(InMemoryPki.ec("secp384r1")), null)).isEqualTo(KeyPairSpec.EC_P384);
        assertThat(KeyPairSpec.like(keyOf(InMemoryPki.rsa(2304)), null).name()).isEqualTo("rsa-2304");
        assertThat(KeyPairSpec.like(keyOf(InMemoryPki.ed25519()), null)).isEqualTo(KeyPairSpec.ED25519);
    }

    @Test
    void keysOfKindsNotMadeAskForAnExplicitChoice() throws Exception {
        for (KeyPair pair :
                new KeyPair[] {InMemoryPki.ec("brainpoolP256r1"), InMemoryPki.ec("secp521r1"), InMemoryPki.ed448()}) {
            SubjectPublicKey current = keyOf(pair);
            InvalidInputException e =
                    catchThrowableOfType(InvalidInputException.class, () -> KeyPairSpec.like(current, OPTION));

            assertThat(e.findings()).singleElement().satisfies(f -> {
                assertThat(f.id()).isEqualTo("key.type-unsupported");
                assertThat(f.message()).contains(current.description(), "ec-p256");
            });
        }
    }

    @Test
    void onlyKeysWorthPinningAreSpecified() {
        assertThatThrownBy(() -> KeyPairSpec.rsa(1024)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KeyPairSpec.rsa(KeyPairSpec.MAX_RSA_BITS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyPairSpec(KeyType.ECDSA, 521)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyPairSpec(KeyType.ED448, 448)).isInstanceOf(IllegalArgumentException.class);
    }
}
