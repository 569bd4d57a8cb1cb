package org.mxpolicy.server;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Supplier;

/**
 * Where X25519's two scalar multiplications (RFC 7748 section 5) run for {@link FastX25519}:
 * BoringSSL's, through Conscrypt's native library ({@link BoringSslX25519}), or Bouncy Castle's
 * in Java ({@link BouncyCastleX25519}) where that library does not load. BoringSSL's take about
 * 45 µs for a key pair and a shared secret together, Bouncy Castle's about 110 µs; with Bouncy
 * Castle's, X25519 was a fifth of the server's CPU time for a new TLS connection on JSSE, with
 * BoringSSL's about a ninth (bench/README.md).
 */
interface X25519Arithmetic {

    /** Bytes of a scalar, a u-coordinate and a shared secret. */
    int SIZE = 32;

    /** What the start message calls it, e.g. {@code BoringSSL (Conscrypt 2.6.0)}. */
    String name();

    /**
     * A fresh key pair: the private scalar into {@code k}, its public u-coordinate into {@code u}.
     *
     * @param random the caller's source of randomness; an arithmetic with a generator of its own
     *     (BoringSSL's) uses that instead
     */
    void generate(SecureRandom random, byte[] k, byte[] u);

    /**
     * The shared secret of the private scalar {@code k} and the peer's u-coordinate {@code u} into
     * {@code shared}.
     *
     * @return false when it is all zeros (the peer's key is a point of small order)
     */
    boolean agree(byte[] k, byte[] u, byte[] shared);

    /** The fastest arithmetic that loads here and gives the right answers. */
    static X25519Arithmetic best() {
        return firstWorking(BoringSslX25519::load, BouncyCastleX25519::new);
    }

    /**
     * {@code preferred}'s arithmetic when it loads, computes RFC 7748's test vectors and makes a
     * consistent key pair, the fallback's otherwise.
     */
    static X25519Arithmetic firstWorking(Supplier<X25519Arithmetic> preferred, Supplier<X25519Arithmetic> fallback) {
        try {
            X25519Arithmetic arithmetic = preferred.get();
            if (SelfTest.passes(arithmetic)) {
                return arithmetic;
            }
        } catch (LinkageError | RuntimeException e) {
            // No native library for this OS or architecture, or a temporary directory it cannot
            // be unpacked to or loaded from (noexec): Java's arithmetic does the same work.
        }
        return fallback.get();
    }

    /** RFC 7748 section 6.1: Alice's and Bob's keys and the secret they share. */
    final class SelfTest {
        private static final HexFormat HEX = HexFormat.of();
        static final byte[] ALICE_PRIVATE = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        static final byte[] BOB_PUBLIC = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        static final byte[] SHARED = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

        private SelfTest() {}

        static boolean passes(X25519Arithmetic arithmetic) {
            byte[] shared = new byte[SIZE];
            if (!arithmetic.agree(ALICE_PRIVATE, BOB_PUBLIC, shared) || !Arrays.equals(shared, SHARED)
                    || arithmetic.agree(ALICE_PRIVATE, new byte[SIZE], shared)) {
                return false;
            }
            // A generated key pair: its public key is its scalar times the base point (u = 9).
            byte[] k = new byte[SIZE];
            byte[] u = new byte[SIZE];
            arithmetic.generate(new SecureRandom(), k, u);
            byte[] base = new byte[SIZE];
            base[0] = 9;
            boolean consistent = arithmetic.agree(k, base, shared) && Arrays.equals(shared, u);
            Arrays.fill(k, (byte) 0);
            return consistent;
        }
    }
}
