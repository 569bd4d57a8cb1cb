package org.mxpolicy.dnssec;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;

/**
 * Makes new DNSSEC keys with the JDK's providers. The DNSKEY's key field is encoded as RFC 3110
 * section 2 (RSA: exponent length, exponent, modulus), RFC 6605 section 4 (ECDSA P-256: x and y,
 * 32 bytes each) and RFC 8080 section 3 (Ed25519: the 32-byte public key) ask, by dnsjava.
 */
public final class KeyGenerator {

    /** TTL of the DNSKEY records of new keys. */
    public static final long DEFAULT_TTL = 3600;
    /** RSA modulus size of new keys when none is given. */
    public static final int DEFAULT_RSA_BITS = 2048;
    /** Smallest RSA modulus mxpolicy makes or loads; smaller keys are refused, not used. */
    public static final int MIN_RSA_BITS = 2048;
    /** Largest RSA modulus RFC 3110 section 1 allows in a DNSKEY. */
    public static final int MAX_RSA_BITS = 4096;

    /** DNSKEY protocol, always 3 (RFC 4034 section 2.1.2). */
    private static final int PROTOCOL = 3;

    private final SecureRandom random;

    /** @param random the source of key material; tests pass a seeded one */
    public KeyGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A key with the default TTL and, for RSA, the default size. */
    public ZoneKey generate(Name zone, DnssecAlgorithm algorithm, int flags) {
        return generate(zone, algorithm, flags, DEFAULT_RSA_BITS, DEFAULT_TTL);
    }

    /**
     * A new key pair for {@code zone}.
     *
     * @param flags {@link ZoneKey#FLAGS_KSK} (key-signing or combined signing key) or
     *     {@link ZoneKey#FLAGS_ZSK}
     * @param rsaBits the RSA modulus size, {@value #MIN_RSA_BITS}..{@value #MAX_RSA_BITS}; ignored for
     *     the other algorithms
     * @param ttl the DNSKEY TTL
     * @throws IllegalArgumentException for flags, sizes or TTLs out of range (the caller checks
     *     user input first)
     */
    public ZoneKey generate(Name zone, DnssecAlgorithm algorithm, int flags, int rsaBits, long ttl) {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(algorithm, "algorithm");
        if (!zone.isAbsolute()) {
            throw new IllegalArgumentException("zone " + zone + " is not absolute");
        }
        if (flags != ZoneKey.FLAGS_KSK && flags != ZoneKey.FLAGS_ZSK) {
            throw new IllegalArgumentException("flags " + flags + " are neither 257 nor 256");
        }
        if (algorithm == DnssecAlgorithm.RSASHA256 && (rsaBits < MIN_RSA_BITS || rsaBits > MAX_RSA_BITS)) {
            throw new IllegalArgumentException(
                    "RSA size " + rsaBits + " is outside " + MIN_RSA_BITS + ".." + MAX_RSA_BITS);
        }
        if (ttl < 0 || ttl > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("TTL " + ttl + " is outside 0.." + Integer.MAX_VALUE);
        }
        KeyPair pair = keyPair(algorithm, rsaBits);
        Name owner = zone.canonicalize();
        try {
            DNSKEYRecord dnskey =
                    new DNSKEYRecord(owner, DClass.IN, ttl, flags, PROTOCOL, algorithm.number(), pair.getPublic());
            return new ZoneKey(owner, dnskey, algorithm, pair.getPublic(), Optional.of(pair.getPrivate()));
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException("dnsjava cannot encode a " + algorithm.mnemonic() + " public key", e);
        }
    }

    private KeyPair keyPair(DnssecAlgorithm algorithm, int rsaBits) {
        try {
            KeyPairGenerator generator = switch (algorithm) {
                case RSASHA256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(new RSAKeyGenParameterSpec(rsaBits, RSAKeyGenParameterSpec.F4), random);
                    yield g;
                }
                case ECDSAP256SHA256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"), random);
                    yield g;
                }
                case ED25519 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
                    g.initialize(NamedParameterSpec.ED25519, random);
                    yield g;
                }
            };
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make " + algorithm.mnemonic() + " keys", e);
        }
    }
}
