package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProvenKeyPairsTest {

    private final KeyPair one = InMemoryPki.ec("secp256r1");
    private final KeyPair other = InMemoryPki.ec("secp256r1");

    @Test
    void aProvenPairIsRememberedAndAMismatchNeverIs() {
        ProvenKeyPairs proven = new ProvenKeyPairs();

        assertThat(proven.matches(one.getPrivate(), one.getPublic())).isTrue();
        assertThat(proven.matches(one.getPrivate(), other.getPublic())).isFalse();
        assertThat(proven.matches(one.getPrivate(), one.getPublic())).isTrue();
        assertThat(proven.matches(other.getPrivate(), one.getPublic())).isFalse();
    }

    @Test
    void keysNoLongerInUseAreForgottenAndProvenAgain() {
        ProvenKeyPairs proven = new ProvenKeyPairs();
        proven.matches(one.getPrivate(), one.getPublic());
        proven.matches(other.getPrivate(), other.getPublic());

        proven.keepOnly(List.of(other.getPrivate()));

        assertThat(proven.matches(one.getPrivate(), one.getPublic())).isTrue();
        assertThat(proven.matches(one.getPrivate(), other.getPublic())).isFalse();
    }
}
