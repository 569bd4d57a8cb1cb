package org.mxpolicy.cert;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.finding.SourcePosition;

/**
 * What {@code serve} checks of a host's certificate before it serves the host. Senders fetch the
 * policy over HTTPS and validate the certificate for the policy host (RFC 8461 section 3.3), and
 * mail clients validate the certificate of {@code autoconfig.<domain>} and
 * {@code autodiscover.<domain>} the same way, so a certificate that fails this makes the host
 * unreachable for all of them. The same checks apply to every host.
 *
 * <ul>
 *   <li>expired or not yet valid: the host is refused ({@code serve.cert-expired},
 *       {@code serve.cert-not-yet-valid}, errors);
 *   <li>the key does not belong to the certificate: the host is refused ({@code serve.key-mismatch});
 *   <li>the certificate does not cover the host name: warning ({@code serve.cert-wrong-host});
 *   <li>a wildcard certificate: warning ({@code serve.cert-wildcard}), since TR-03108-08-R asks
 *       for certificates that name the host rather than wildcards.
 * </ul>
 */
public final class ServerCertificateChecks {

    private ServerCertificateChecks() {}

    /** What fails for senders when a policy host's certificate does not cover its name. */
    public static final String POLICY_CONSEQUENCE = "senders will not fetch the policy";
    /** What fails for mail clients when a client configuration host's certificate does not name it. */
    public static final String CLIENT_CONSEQUENCE = "mail clients will refuse it";

    /**
     * Checks the certificate and key a host presents.
     *
     * @param consequence what fails when the certificate does not name the host, in words for the
     *     warning ("mail clients will refuse it")
     * @param where the config place that names the certificate
     * @return errors mean the host must not be served; warnings are reported and the host is served
     */
    public static List<Finding> check(
            String host,
            CertificateChain chain,
            PrivateKey key,
            String consequence,
            Instant now,
            SourcePosition where) {
        return check(host, chain, key, consequence, now, where, new ProvenKeyPairs());
    }

    /** As the method above, with the key pairs proven before taken as proven. */
    public static List<Finding> check(
            String host,
            CertificateChain chain,
            PrivateKey key,
            String consequence,
            Instant now,
            SourcePosition where,
            ProvenKeyPairs proven) {
        List<Finding> findings = new ArrayList<>();
        X509Certificate leaf = chain.leaf();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            findings.add(Finding.error(
                    "serve.cert-expired",
                    where,
                    "the certificate in " + chain.source() + " expired at " + MessageText.instant(notAfter) + ": "
                            + host + " is not served; renew the certificate"));
        } else if (now.isBefore(notBefore)) {
            findings.add(Finding.error(
                    "serve.cert-not-yet-valid",
                    where,
                    "the certificate in " + chain.source() + " is not valid before " + MessageText.instant(notBefore)
                            + ": " + host + " is not served"));
        }
        if (!proven.matches(key, leaf.getPublicKey())) {
            findings.add(Finding.error(
                    "serve.key-mismatch",
                    where,
                    "the private key is not the key of the certificate in " + chain.source() + ": " + host
                            + " is not served; give the key the certificate was issued for"));
        }
        if (!HostNames.covers(leaf, host)) {
            List<String> names = HostNames.presentedNames(leaf);
            findings.add(Finding.warning(
                    "serve.cert-wrong-host",
                    where,
                    "the certificate in " + chain.source()
                            + " is not valid for " + host + " (it covers "
                            + (names.isEmpty() ? "no host name" : String.join(", ", names))
                            + "): " + consequence + "; add " + host + " to its subjectAltName"));
        } else if (HostNames.isWildcard(leaf)) {
            findings.add(Finding.warning(
                    "serve.cert-wildcard",
                    where,
                    "the certificate in " + chain.source()
                            + " is a wildcard certificate; TR-03108-08-R asks for a certificate that names " + host));
        }
        return findings;
    }

    /**
     * Whether a private key belongs to a public key. RSA keys share their modulus and exponent; an
     * EC key's public point is its private scalar times the curve's generator (one multiplication
     * with a precomputed table, where a signature and its verification take three); other keys sign
     * and verify a probe. A hoster's server checks thousands of pairs at every start.
     */
    static boolean keyMatches(PrivateKey privateKey, PublicKey publicKey) {
        if (privateKey instanceof RSAPrivateCrtKey rsa && publicKey instanceof RSAPublicKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus())
                    && rsa.getPublicExponent().equals(rsaPublic.getPublicExponent());
        }
        if (privateKey instanceof ECPrivateKey ec && publicKey instanceof ECPublicKey ecPublic) {
            return ecPublicPoint(ec).map(q -> q.equals(ecPublic.getW())).orElseGet(() -> signs(privateKey, publicKey));
        }
        return signs(privateKey, publicKey);
    }

    /** Per curve (by generator and order), its form whose generator keeps the precomputed table. */
    private static final java.util.Map<String, org.bouncycastle.jce.spec.ECParameterSpec> CURVES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static java.util.Optional<ECPoint> ecPublicPoint(ECPrivateKey key) {
        java.security.spec.ECParameterSpec params = key.getParams();
        String id =
                params.getGenerator().getAffineX() + ":" + params.getGenerator().getAffineY() + ":" + params.getOrder();
        org.bouncycastle.jce.spec.ECParameterSpec curve = CURVES.computeIfAbsent(id, k -> EC5Util.convertSpec(params));
        if (curve == null) {
            return java.util.Optional.empty();
        }
        org.bouncycastle.math.ec.ECPoint q = new FixedPointCombMultiplier()
                .multiply(curve.getG(), key.getS())
                .normalize();
        return java.util.Optional.of(new ECPoint(
                q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()));
    }

    /** A signature made with the private key verifies with the public one. */
    private static boolean signs(PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> privateKey.getAlgorithm();
        };
        byte[] probe = "mxpolicy key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // Different algorithms, or a key the runtime cannot use: either way not a pair.
            return false;
        }
    }
}
