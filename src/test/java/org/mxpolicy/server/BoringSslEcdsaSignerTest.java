package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.testing.ConscryptPlatform;

/**
 * ECDSA signing in BoringSSL for JSSE: signatures the JDK verifies, on the three curves TLS
 * names, with the host key as the server reads it; the JCA's choice of provider (EC private keys
 * here, public keys and RSA keys elsewhere); verification handed to the JDK when this provider
 * was fixed first; the start message when another ECDSA provider comes first.
 */
class BoringSslEcdsaSignerTest {

    private static final String OURS = TlsCryptoProvider.NAME;
    private static final byte[] MESSAGE = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);

    @BeforeAll
    static void install() {
        ConscryptPlatform.assumeNativeLibraryShipped();
        TlsCryptoProvider.install();
    }

    @ParameterizedTest
    @CsvSource({"secp256r1, SHA256withECDSA", "secp384r1, SHA384withECDSA", "secp521r1, SHA512withECDSA"})
    void theJdkVerifiesWhatBoringSslSigns(String curve, String algorithm) throws Exception {
        KeyPair pair = ecKeyPair(curve);
        byte[] first = sign(algorithm, OURS, pair.getPrivate(), MESSAGE);
        byte[] second = sign(algorithm, OURS, pair.getPrivate(), MESSAGE);

        assertThat(verify(algorithm, pair.getPublic(), MESSAGE, first)).isTrue();
        assertThat(verify(algorithm, pair.getPublic(), MESSAGE, second)).isTrue();
        // Random nonces: the same message signs differently each time.
        assertThat(second).isNotEqualTo(first);
        byte[] other = MESSAGE.clone();
        other[0] ^= 1;
        assertThat(verify(algorithm, pair.getPublic(), other, first)).isFalse();
        assertThat(verify(algorithm, ecKeyPair(curve).getPublic(), MESSAGE, first)).isFalse();
    }

    @Test
    void theHostKeyAsTheServerReadsItSignsThroughThisProvider() throws Exception {
        HostCertificate host = ExampleHosts.hosts().get(0).certificate();
        PublicKey certified = host.chain().certificates().get(0).getPublicKey();

        byte[] signature = aheadOfOtherEcdsaProviders(() -> {
            // As JSSE asks: no provider named; the JCA picks one by the key at initSign.
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(host.key());
            signer.update(MESSAGE);
            byte[] signed = signer.sign();
            assertThat(signer.getProvider().getName()).isEqualTo(OURS);
            return signed;
        });
        assertThat(verify("SHA256withECDSA", certified, MESSAGE, signature)).isTrue();
    }

    @Test
    void verificationAndRsaKeysGoToOtherProviders() throws Exception {
        KeyPair ec = ecKeyPair("secp256r1");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        aheadOfOtherEcdsaProviders(() -> {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(ec.getPublic());
            // SunEC, or Bouncy Castle's where a test before put it in (FastEcdsa): not ours.
            assertThat(verifier.getProvider().getName()).isNotEqualTo(OURS);
            Signature rsaSigner = Signature.getInstance("SHA256withRSA");
            rsaSigner.initSign(rsa.generateKeyPair().getPrivate());
            assertThat(rsaSigner.getProvider().getName()).isNotEqualTo(OURS);
            return null;
        });

        Signature ours = Signature.getInstance("SHA256withECDSA", OURS);
        assertThatThrownBy(() -> ours.initSign(rsa.generateKeyPair().getPrivate())).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void aVerifierFixedToThisProviderBeforeItsKeyVerifiesWithTheJdk() throws Exception {
        KeyPair ec = ecKeyPair("secp256r1");
        byte[] signature = sign("SHA256withECDSA", OURS, ec.getPrivate(), MESSAGE);
        Signature verifier = Signature.getInstance("SHA256withECDSA", OURS);
        verifier.initVerify(ec.getPublic());
        verifier.update(MESSAGE);
        assertThat(verifier.verify(signature)).isTrue();
        verifier.initVerify(ecKeyPair("secp256r1").getPublic());
        verifier.update(MESSAGE);
        assertThat(verifier.verify(signature)).isFalse();
    }

    @Test
    void theStartMessageNamesBoringSslForBothUnlessAnotherEcdsaProviderComesFirst() throws Exception {
        String both = "X25519 and ECDSA signing in BoringSSL \\(Conscrypt \\d+\\.\\d+\\.\\d+\\)";
        aheadOfOtherEcdsaProviders(() -> {
            assertThat(TlsCryptoProvider.describe()).hasValueSatisfying(text -> assertThat(text).matches(both));
            return null;
        });
        // Bouncy Castle's ECDSA (FastEcdsa, which takes every key) put in front: JSSE signs there.
        Provider bouncyCastle = new org.bouncycastle.jce.provider.BouncyCastleProvider();
        Security.insertProviderAt(bouncyCastle, 1);
        try {
            assertThat(TlsCryptoProvider.describe()).hasValueSatisfying(text -> assertThat(text)
                    .matches("X25519 in BoringSSL \\(Conscrypt \\d+\\.\\d+\\.\\d+\\)"));
        } finally {
            Security.removeProvider(bouncyCastle.getName());
        }
    }

    /**
     * Runs {@code body} with this provider first among those offering ECDSA, as in the server's
     * JVM: other tests in the same JVM put Bouncy Castle's ECDSA in front ({@code FastEcdsa}).
     */
    private static <T> T aheadOfOtherEcdsaProviders(Callable<T> body) throws Exception {
        List<Provider> all = List.of(Security.getProviders());
        List<Provider> ahead = all.subList(0, all.indexOf(Security.getProvider(OURS))).stream()
                .filter(provider -> provider.getService("Signature", "SHA256withECDSA") != null).toList();
        ahead.forEach(provider -> Security.removeProvider(provider.getName()));
        try {
            return body.call();
        } finally {
            for (Provider provider : ahead) {
                Security.insertProviderAt(provider, all.indexOf(provider) + 1);
            }
        }
    }

    private static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", "SunEC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    private static byte[] sign(String algorithm, String provider, PrivateKey key, byte[] message) throws Exception {
        Signature signer = Signature.getInstance(algorithm, provider);
        signer.initSign(key);
        signer.update(message);
        return signer.sign();
    }

    private static boolean verify(String algorithm, PublicKey key, byte[] message, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm, "SunEC");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }
}
