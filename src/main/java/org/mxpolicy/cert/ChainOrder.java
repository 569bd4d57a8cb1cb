package org.mxpolicy.cert;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

/**
 * Puts certificates in chain order, leaf first (RFC 8446 section 4.4.2). The leaf is the one
 * certificate that issued no other; each next certificate is the one whose subject is the
 * previous one's issuer, preferring one whose key verifies the previous one's signature when
 * several share that name (a cross-signed CA, for example).
 */
final class ChainOrder {

    private ChainOrder() {}

    static List<LocatedCertificate> order(List<LocatedCertificate> certificates) throws InvalidInputException {
        if (certificates.size() == 1) {
            return certificates;
        }
        List<LocatedCertificate> leaves = certificates.stream()
                .filter(c -> certificates.stream().noneMatch(other -> issued(other, c)))
                .toList();
        if (leaves.size() != 1) {
            String heads = (leaves.isEmpty() ? certificates : leaves)
                    .stream().map(LocatedCertificate::describe).collect(Collectors.joining(", "));
            String problem = leaves.isEmpty()
                    ? "the certificates issue each other in a loop (" + heads + ")"
                    : "the certificates do not form one chain: " + heads + " each start a separate chain";
            throw new InvalidInputException(
                    "cert.chain-broken",
                    certificates.get(0).position(),
                    problem
                            + "; is an intermediate certificate missing, or one of another server included?"
                            + " Give one server's chain (fullchain.pem)");
        }
        List<LocatedCertificate> chain = new ArrayList<>();
        chain.add(leaves.get(0));
        while (true) {
            LocatedCertificate current = chain.get(chain.size() - 1);
            if (isSelfIssued(current.certificate())) {
                break;
            }
            List<LocatedCertificate> candidates = certificates.stream()
                    .filter(c -> !chain.contains(c) && issued(current, c))
                    .toList();
            if (candidates.isEmpty()) {
                break;
            }
            chain.add(candidates.stream()
                    .filter(c -> candidates.size() == 1 || verifies(c.certificate(), current.certificate()))
                    .findFirst()
                    .orElse(candidates.get(0)));
        }
        List<Finding> unused = certificates.stream()
                .filter(c -> !chain.contains(c))
                .map(c -> Finding.error(
                        "cert.chain-broken",
                        c.position(),
                        c.describe()
                                + " is not an issuer in the chain of "
                                + chain.get(0).describe()
                                + ": remove it, or give the certificates it belongs with in their own file"))
                .toList();
        if (!unused.isEmpty()) {
            throw new InvalidInputException(unused);
        }
        return chain;
    }

    /** Whether {@code issuer} names the issuer of {@code subject} (RFC 5280 section 6.1). */
    private static boolean issued(LocatedCertificate subject, LocatedCertificate issuer) {
        return !subject.equals(issuer)
                && !isSelfIssued(subject.certificate())
                && subject.certificate()
                        .getIssuerX500Principal()
                        .equals(issuer.certificate().getSubjectX500Principal());
    }

    private static boolean isSelfIssued(X509Certificate cert) {
        return cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal());
    }

    /**
     * Whether the issuer's key verifies the certificate's signature. Bouncy Castle's provider is
     * used because the JDK cannot verify every accepted key type (brainpool curves).
     */
    private static boolean verifies(X509Certificate issuer, X509Certificate cert) {
        try {
            return new X509CertificateHolder(cert.getEncoded())
                    .isSignatureValid(new JcaContentVerifierProviderBuilder()
                            .setProvider(BouncyCastle.PROVIDER)
                            .build(new X509CertificateHolder(issuer.getEncoded())));
        } catch (CertificateException | IOException | OperatorCreationException | CertException e) {
            return false;
        }
    }
}
