package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.testing.ConscryptPlatform;

/** Conscrypt and Bouncy Castle make signatures the other accepts, for every algorithm mxpolicy signs with. */
class SignatureProviderTest {

    private static final byte[] DATA =
            "RRSIG RDATA and the RRset in canonical form".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> algorithmsAndProviders() {
        return Stream.of(DnssecAlgorithm.values())
                .flatMap(a -> Stream.of(SignatureProvider.values())
                        .flatMap(signer -> Stream.of(SignatureProvider.values())
                                .map(verifier -> Arguments.of(a, signer, verifier))));
    }

    private static ZoneKey key(DnssecAlgorithm algorithm) {
        return SigningFixtures.key(SigningFixtures.FEATURES, algorithm, ZoneKey.FLAGS_KSK, 42);
    }

    @Test
    void conscryptLoadsWhereTheJarShipsItsNativeLibrary() {
        ConscryptPlatform.assumeNativeLibraryShipped();

        assertThat(SignatureProvider.conscryptUnavailable()).isEmpty();
        assertThat(SignatureProvider.preferred()).isEqualTo(SignatureProvider.CONSCRYPT);
    }

    @ParameterizedTest(name = "{0} signed with {1}, verified with {2}")
    @MethodSource("algorithmsAndProviders")
    void aSignatureOfOneProviderVerifiesWithTheOtherAndAFlippedBitDoesNot(
            DnssecAlgorithm algorithm, SignatureProvider signer, SignatureProvider verifier) {
        ZoneKey key = key(algorithm);
        byte[] signature = SigningKey.of(key, signer).sign(DATA);
        VerifyingKey verifying = VerifyingKey.of(key.dnskey(), verifier);

        assertThat(verifying.verify(DATA, signature)).isTrue();
        byte[] flipped = signature.clone();
        flipped[flipped.length / 2] ^= 0x01;
        assertThat(verifying.verify(DATA, flipped)).isFalse();
        byte[] otherData = DATA.clone();
        otherData[0] ^= 0x20;
        assertThat(verifying.verify(otherData, signature)).isFalse();
        assertThat(verifying.verify(DATA, Arrays.copyOf(signature, signature.length - 1)))
                .as("one byte short")
                .isFalse();
        assertThat(verifying.verify(DATA, new byte[0])).as("empty").isFalse();
        assertThat(verifying.verify(DATA, signature))
                .as("still usable after refusing")
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(DnssecAlgorithm.class)
    void signaturesHaveTheRrsigWireSize(DnssecAlgorithm algorithm) {
        int expected = switch (algorithm) {
            case ECDSAP256SHA256 -> 64; // RFC 6605 section 4
            case ED25519 -> 64; // RFC 8080 section 4
            case RSASHA256 -> 256; // the modulus size, 2048 bits
        };
        for (SignatureProvider provider : SignatureProvider.values()) {
            assertThat(SigningKey.of(key(algorithm), provider).sign(DATA)).hasSize(expected);
        }
    }

    @Test
    void bouncyCastleEcdsaIsDeterministicAndConscryptEcdsaIsNot() {
        ZoneKey key = key(DnssecAlgorithm.ECDSAP256SHA256);
        SigningKey bc = SigningKey.of(key, SignatureProvider.BOUNCY_CASTLE);
        SigningKey conscrypt = SigningKey.of(key, SignatureProvider.CONSCRYPT);

        assertThat(bc.sign(DATA)).isEqualTo(bc.sign(DATA));
        assertThat(conscrypt.sign(DATA)).isNotEqualTo(conscrypt.sign(DATA));
    }

    @ParameterizedTest
    @EnumSource(
            value = DnssecAlgorithm.class,
            names = {"ECDSAP256SHA256", "RSASHA256"})
    void oneKeySignsAndVerifiesFromManyThreadsAtOnce(DnssecAlgorithm algorithm) throws Exception {
        ZoneKey key = key(algorithm);
        SigningKey signing = SigningKey.of(key, SignatureProvider.CONSCRYPT);
        VerifyingKey verifying = VerifyingKey.of(key.dnskey(), SignatureProvider.CONSCRYPT);
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();

        Parallel.forEach(400, 8, "testing", i -> {
            byte[] data = ("data " + i).getBytes(StandardCharsets.US_ASCII);
            byte[] other = ("data " + (i + 1)).getBytes(StandardCharsets.US_ASCII);
            byte[] signature = signing.sign(data);
            if (!verifying.verify(data, signature) || verifying.verify(other, signature)) {
                wrong.add("item " + i);
            }
        });

        assertThat(wrong).isEmpty();
    }

    @Test
    void ed25519IsSignedWithBouncyCastleWhicheverProviderIsAskedFor() {
        assertThat(SigningKey.of(key(DnssecAlgorithm.ED25519), SignatureProvider.CONSCRYPT)
                        .provider())
                .isEqualTo(SignatureProvider.BOUNCY_CASTLE);
        assertThat(SigningKey.of(key(DnssecAlgorithm.ECDSAP256SHA256), SignatureProvider.CONSCRYPT)
                        .provider())
                .isEqualTo(SignatureProvider.CONSCRYPT);
    }
}
