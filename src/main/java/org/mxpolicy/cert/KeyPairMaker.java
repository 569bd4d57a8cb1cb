package org.mxpolicy.cert;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Objects;
import org.mxpolicy.finding.InvalidInputException;

/**
 * Makes the key pair of an MX host's next certificate, with Bouncy Castle. EC keys are made on
 * the named curve, so their SubjectPublicKeyInfo names the curve by OID as RFC 5480 section 2.1.1
 * requires of certificates; RSA keys use the public exponent 65537.
 */
public final class KeyPairMaker {

    private final SecureRandom random;

    /** @param random the source of key material */
    public KeyPairMaker(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A new key pair of the given kind. */
    public KeyPair make(KeyPairSpec spec) {
        try {
            KeyPairGenerator generator;
            switch (spec.type()) {
                case ECDSA -> {
                    generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
                    generator.initialize(
                            new ECGenParameterSpec(spec.bits() == 256 ? "secp256r1" : "secp384r1"), random);
                }
                case RSA -> {
                    generator = KeyPairGenerator.getInstance("RSA", BouncyCastle.PROVIDER);
                    generator.initialize(new RSAKeyGenParameterSpec(spec.bits(), RSAKeyGenParameterSpec.F4), random);
                }
                case ED25519 -> {
                    generator = KeyPairGenerator.getInstance("Ed25519", BouncyCastle.PROVIDER);
                    generator.initialize(255, random);
                }
                default -> throw new IllegalArgumentException("no key pair of " + spec.type() + " is made");
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Bouncy Castle cannot make a " + spec.description() + " key", e);
        }
    }

    /** The public half of a key pair as the SubjectPublicKeyInfo TLSA records pin. */
    public static SubjectPublicKey publicKey(KeyPair pair) {
        try {
            return SubjectPublicKey.fromSpki(pair.getPublic().getEncoded(), null, "the key");
        } catch (InvalidInputException e) {
            // Only keys of the accepted kinds are made here, and Bouncy Castle encodes them so.
            throw new IllegalArgumentException("the key pair is not one a TLSA record pins: " + e.getMessage(), e);
        }
    }
}
