package org.mxpolicy.dnssec;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;

/**
 * A DNSSEC key of a zone: its DNSKEY record and, when loaded from a {@code .private} file, the
 * private key. {@link #toString()} never shows private material.
 *
 * @param zone the zone apex
 * @param dnskey the DNSKEY record (flags, algorithm, public key)
 * @param algorithm the signing algorithm
 * @param publicKey the public key as a JCA key
 * @param privateKey the private key, absent for a public-only key
 * @param timing when the key is published, active, inactive and deleted ({@link KeyTiming#NONE}:
 *     in use from the start)
 */
public record ZoneKey(
        Name zone,
        DNSKEYRecord dnskey,
        DnssecAlgorithm algorithm,
        PublicKey publicKey,
        Optional<PrivateKey> privateKey,
        KeyTiming timing) {

    /** DNSKEY flags bit 7: a zone key (RFC 4034 section 2.1.1). */
    public static final int FLAG_ZONE = 0x0100;
    /** DNSKEY flags bit 15: Secure Entry Point, set on key-signing keys (RFC 4034 section 2.1.1). */
    public static final int FLAG_SEP = 0x0001;
    /** Flags of a zone-signing key. */
    public static final int FLAGS_ZSK = FLAG_ZONE;
    /** Flags of a key-signing key or combined signing key. */
    public static final int FLAGS_KSK = FLAG_ZONE | FLAG_SEP;
    /** DNSKEY flags bit 8: the key is revoked (RFC 5011 section 3). */
    public static final int FLAG_REVOKE = 0x0080;

    /** A key without timing metadata: in use from the start. */
    public ZoneKey(
            Name zone,
            DNSKEYRecord dnskey,
            DnssecAlgorithm algorithm,
            PublicKey publicKey,
            Optional<PrivateKey> privateKey) {
        this(zone, dnskey, algorithm, publicKey, privateKey, KeyTiming.NONE);
    }

    public ZoneKey {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(dnskey, "dnskey");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(timing, "timing");
        if (dnskey.getAlgorithm() != algorithm.number()) {
            throw new IllegalArgumentException("DNSKEY algorithm " + dnskey.getAlgorithm() + " is not " + algorithm);
        }
    }

    /** This key with other timing metadata. */
    public ZoneKey withTiming(KeyTiming newTiming) {
        return new ZoneKey(zone, dnskey, algorithm, publicKey, privateKey, newTiming);
    }

    /**
     * This key as it is published once revoked: the REVOKE bit set in its DNSKEY flags, which
     * changes its key tag (RFC 5011 section 3).
     */
    public ZoneKey revoked() {
        DNSKEYRecord r = new DNSKEYRecord(
                dnskey.getName(),
                dnskey.getDClass(),
                dnskey.getTTL(),
                dnskey.getFlags() | FLAG_REVOKE,
                dnskey.getProtocol(),
                dnskey.getAlgorithm(),
                dnskey.getKey());
        return new ZoneKey(zone, r, algorithm, publicKey, privateKey, timing);
    }

    /** The key tag, RFC 4034 appendix B. */
    public int keyTag() {
        return dnskey.getFootprint();
    }

    public int flags() {
        return dnskey.getFlags();
    }

    /** A key-signing key (or a combined signing key): the SEP flag is set. */
    public boolean isKsk() {
        return (dnskey.getFlags() & FLAG_SEP) != 0;
    }

    /**
     * The length of this key's signatures in an RRSIG: 64 bytes for ECDSA P-256 (RFC 6605 section 4)
     * and Ed25519 (RFC 8080 section 4), the modulus length for RSA (RFC 5702 section 3), read from the
     * DNSKEY's public key field as RFC 3110 section 2 lays it out.
     */
    public int signatureLength() {
        return switch (algorithm) {
            case ECDSAP256SHA256, ED25519 -> 64;
            case RSASHA256 -> {
                byte[] key = dnskey.getKey();
                int exponentLength = key[0] & 0xff;
                int header = 1;
                if (exponentLength == 0) {
                    exponentLength = (key[1] & 0xff) << 8 | (key[2] & 0xff);
                    header = 3;
                }
                yield key.length - header - exponentLength;
            }
        };
    }

    /**
     * The base name BIND and ldns give the key's files: {@code K<zone>.+<alg>+<tag>}, e.g.
     * {@code Kexample.com.+013+12345}.
     */
    public String baseName() {
        return String.format(
                "K%s+%03d+%05d", zone.toString().toLowerCase(java.util.Locale.ROOT), algorithm.number(), keyTag());
    }

    @Override
    public String toString() {
        return baseName() + (isKsk() ? " (KSK)" : " (ZSK)") + (privateKey.isPresent() ? "" : " public only");
    }
}
