package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import org.junit.jupiter.api.Test;

class FastEcdsaTest {

    @Test
    void signaturesMadeByTheJdkVerifyThroughBouncyCastleAndTamperingIsCaught() throws Exception {
        KeyPair key = java.security.KeyPairGenerator.getInstance("EC", "SunEC").generateKeyPair();
        byte[] data = "_25._tcp.mx1.example.test. TLSA".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance("SHA256withECDSA", "SunEC");
        signer.initSign(key.getPrivate());
        signer.update(data);
        byte[] signature = signer.sign();

        FastEcdsa.preferForVerification();
        FastEcdsa.preferForVerification();

        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(key.getPublic());
        assertThat(verifier.getProvider().getName()).isEqualTo(FastEcdsa.NAME);
        verifier.update(data);
        assertThat(verifier.verify(signature)).isTrue();

        data[0] ^= 1;
        verifier.initVerify(key.getPublic());
        verifier.update(data);
        assertThat(verifier.verify(signature)).isFalse();
        assertThat(java.security.Security.getProviders()).filteredOn(p -> p.getName().equals(FastEcdsa.NAME)).hasSize(1);
    }
}
