package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mxpolicy.testing.ConscryptPlatform;

/**
 * The two X25519 arithmetics behind the JSSE key exchange, BoringSSL's (native, through
 * Conscrypt) and Bouncy Castle's (Java): RFC 7748's test vectors, small-order points refused,
 * and the same answers as each other on random keys, including u-coordinates that are not
 * reduced or have the top bit set.
 */
class X25519ArithmeticTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final int SIZE = X25519Arithmetic.SIZE;
    private static final byte[] BASE_POINT = base();

    static List<X25519Arithmetic> arithmetics() {
        return ConscryptPlatform.nativeLibraryShipped()
                ? List.of(BoringSslX25519.load(), new BouncyCastleX25519())
                : List.of(new BouncyCastleX25519());
    }

    @ParameterizedTest
    @MethodSource("arithmetics")
    void rfc7748Section5_2TestVectors(X25519Arithmetic arithmetic) {
        // The two single-multiplication vectors; the second u has its top bit set, to be ignored.
        assertThat(agree(arithmetic, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        assertThat(agree(arithmetic, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))
                .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @ParameterizedTest
    @MethodSource("arithmetics")
    void rfc7748Section6_1AliceAndBob(X25519Arithmetic arithmetic) {
        String alice = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
        String bob = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
        String alicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
        String bobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
        assertThat(agree(arithmetic, alice, HEX.formatHex(BASE_POINT))).isEqualTo(alicePublic);
        assertThat(agree(arithmetic, bob, HEX.formatHex(BASE_POINT))).isEqualTo(bobPublic);
        assertThat(agree(arithmetic, alice, bobPublic))
                .isEqualTo(agree(arithmetic, bob, alicePublic))
                .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    }

    @ParameterizedTest
    @MethodSource("arithmetics")
    void smallOrderPointsGiveNoSecret(X25519Arithmetic arithmetic) {
        byte[] k = new byte[SIZE];
        new SecureRandom().nextBytes(k);
        // 0, 1, a point of order 8 (from the list in libsodium and BoringSSL), and p (= 0 mod p).
        for (String u : List.of(
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")) {
            byte[] shared = new byte[SIZE];
            assertThat(arithmetic.agree(k, HEX.parseHex(u), shared)).as("u = %s", u).isFalse();
        }
    }

    @ParameterizedTest
    @MethodSource("arithmetics")
    void aGeneratedPublicKeyIsItsScalarTimesTheBasePoint(X25519Arithmetic arithmetic) {
        // Checked by the other arithmetic; without BoringSSL, by Bouncy Castle's ladder, which is
        // other code than its fixed-base key generation.
        X25519Arithmetic other = arithmetic instanceof BoringSslX25519 || !ConscryptPlatform.nativeLibraryShipped()
                ? new BouncyCastleX25519() : BoringSslX25519.load();
        SecureRandom random = new SecureRandom();
        byte[] previous = null;
        for (int i = 0; i < 50; i++) {
            byte[] k = new byte[SIZE];
            byte[] u = new byte[SIZE];
            arithmetic.generate(random, k, u);
            byte[] expected = new byte[SIZE];
            assertThat(other.agree(k, BASE_POINT, expected)).isTrue();
            assertThat(u).isEqualTo(expected);
            assertThat(k).isNotEqualTo(previous).isNotEqualTo(new byte[SIZE]);
            previous = k;
        }
    }

    @Test
    void bothAgreeOnRandomKeysAndUnreducedCoordinates() {
        ConscryptPlatform.assumeNativeLibraryShipped();
        X25519Arithmetic boringSsl = BoringSslX25519.load();
        X25519Arithmetic bouncyCastle = new BouncyCastleX25519();
        Random random = new Random(7748);
        for (int i = 0; i < 500; i++) {
            byte[] k = new byte[SIZE];
            byte[] u = new byte[SIZE];
            random.nextBytes(k);
            random.nextBytes(u);
            if (i % 5 == 0) {
                // At or above p = 2^255 - 19 once the top bit is masked: RFC 7748 reduces it.
                Arrays.fill(u, 1, SIZE, (byte) 0xff);
                u[0] = (byte) (0xed + random.nextInt(0x13));
            }
            byte[] a = new byte[SIZE];
            byte[] b = new byte[SIZE];
            boolean nativeOk = boringSsl.agree(k, u, a);
            boolean javaOk = bouncyCastle.agree(k, u, b);
            assertThat(nativeOk).as("input %d", i).isEqualTo(javaOk);
            if (nativeOk) {
                assertThat(a).as("input %d", i).isEqualTo(b);
            }
        }
    }

    @Test
    void boringSslIsChosenWhereTheJarShipsItsNativeLibrary() {
        ConscryptPlatform.assumeNativeLibraryShipped();
        assertThat(X25519Arithmetic.best()).isInstanceOf(BoringSslX25519.class);
        assertThat(X25519Arithmetic.best().name()).matches("BoringSSL \\(Conscrypt \\d+\\.\\d+\\.\\d+\\)");
    }

    @Test
    void fallsBackToJavaWhenTheNativeLibraryCannotLoad() {
        X25519Arithmetic chosen = X25519Arithmetic.firstWorking(() -> {
            throw new UnsatisfiedLinkError("Failed creating temp file (/tmp/libconscrypt_openjdk_jni-linux-x86_64.so)");
        }, BouncyCastleX25519::new);
        assertThat(chosen).isInstanceOf(BouncyCastleX25519.class);
    }

    @Test
    void fallsBackToJavaWhenTheNativeAnswersAreWrong() {
        X25519Arithmetic wrong = new X25519Arithmetic() {
            public String name() {
                return "wrong";
            }

            public void generate(SecureRandom random, byte[] k, byte[] u) {}

            public boolean agree(byte[] k, byte[] u, byte[] shared) {
                // Right for the small-order check, wrong for the secret.
                return !Arrays.equals(u, new byte[SIZE]);
            }
        };
        assertThat(X25519Arithmetic.firstWorking(() -> wrong, BouncyCastleX25519::new)).isInstanceOf(BouncyCastleX25519.class);
    }

    private static String agree(X25519Arithmetic arithmetic, String k, String u) {
        byte[] shared = new byte[SIZE];
        assertThat(arithmetic.agree(HEX.parseHex(k), HEX.parseHex(u), shared)).isTrue();
        return HEX.formatHex(shared);
    }

    private static byte[] base() {
        byte[] u = new byte[SIZE];
        u[0] = 9;
        return u;
    }
}
