package org.mxpolicy.scan;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * What TR-03108 12-R asks to know about a certificate in play: its subject and issuer, the type
 * and size of its key and the algorithm it is signed with.
 *
 * @param keyType {@code RSA}, {@code EC}, {@code Ed25519}, ...
 * @param keyBits the RSA modulus or DSA prime length, the EC field size; 0 when unknown
 * @param signatureAlgorithm as the JDK names it, e.g. {@code SHA256withRSA}
 * @param signatureHash the hash inside that signature, e.g. {@code SHA-256}, when it has one
 * @param certificate the certificate itself, when it was seen (not in reports read back), for
 *     what needs its bytes: DANE matching (RFC 7672 section 3.1) and PKIX validation
 */
public record CertificateInfo(
        String subject,
        String issuer,
        String keyType,
        int keyBits,
        String signatureAlgorithm,
        Optional<String> signatureHash,
        Instant notAfter,
        Optional<X509Certificate> certificate) {

    /** The facts without the certificate's bytes. */
    public CertificateInfo(
            String subject,
            String issuer,
            String keyType,
            int keyBits,
            String signatureAlgorithm,
            Optional<String> signatureHash,
            Instant notAfter) {
        this(subject, issuer, keyType, keyBits, signatureAlgorithm, signatureHash, notAfter, Optional.empty());
    }

    /** The facts of {@code certificate}. */
    public static CertificateInfo of(X509Certificate certificate) {
        PublicKey key = certificate.getPublicKey();
        return new CertificateInfo(
                certificate.getSubjectX500Principal().getName(),
                certificate.getIssuerX500Principal().getName(),
                key.getAlgorithm(),
                bits(key),
                certificate.getSigAlgName(),
                signatureHash(certificate.getSigAlgName(), certificate.getSigAlgParams()),
                certificate.getNotAfter().toInstant(),
                Optional.of(certificate));
    }

    /** {@code RSA 2048}, {@code EC 256}. */
    public String key() {
        return keyBits > 0 ? keyType + " " + keyBits : keyType;
    }

    private static int bits(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize();
        }
        if (key instanceof DSAPublicKey dsa) {
            return dsa.getParams().getP().bitLength();
        }
        return 0;
    }

    /**
     * The hash of a signature algorithm: from the name ({@code SHA256withRSA}) or, for RSASSA-PSS,
     * from its parameters. Ed25519 and Ed448 have none of their own choosing.
     */
    static Optional<String> signatureHash(String algorithm, byte[] parameters) {
        String upper = algorithm.toUpperCase(Locale.ROOT);
        if (upper.equals("RSASSA-PSS") && parameters != null) {
            try {
                AlgorithmParameters pss = AlgorithmParameters.getInstance("RSASSA-PSS");
                pss.init(parameters);
                return Optional.of(pss.getParameterSpec(PSSParameterSpec.class)
                        .getDigestAlgorithm()
                        .toUpperCase(Locale.ROOT));
            } catch (GeneralSecurityException | java.io.IOException e) {
                return Optional.empty();
            }
        }
        int with = upper.indexOf("WITH");
        if (with <= 0) {
            return Optional.empty();
        }
        String hash = upper.substring(0, with);
        if (hash.startsWith("SHA3-")) {
            return Optional.of(hash);
        }
        if (hash.startsWith("SHA") && hash.length() > 3) {
            return Optional.of(hash.equals("SHA1") ? "SHA-1" : "SHA-" + hash.substring(3));
        }
        return Optional.of(hash);
    }
}
