package org.mxpolicy.audit;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.mxpolicy.cert.HostNames;

/**
 * The CAs a PKIX sender trusts, and its check of a server's chain: a path from the leaf to one
 * of them, valid at a given instant, and the leaf valid for the host name (RFC 8461 section 4.1
 * for an MX under MTA-STS; RFC 6125 names). Revocation is not checked, as senders do not.
 */
public final class PkixTrust {

    private final Set<TrustAnchor> anchors;

    private PkixTrust(Set<TrustAnchor> anchors) {
        this.anchors = Set.copyOf(anchors);
    }

    /** Trusting only {@code cas}, for example a private CA or a lab CA. */
    public static PkixTrust of(List<X509Certificate> cas) {
        if (cas.isEmpty()) {
            throw new IllegalArgumentException("no trust anchor given");
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate ca : cas) {
            anchors.add(new TrustAnchor(ca, null));
        }
        return new PkixTrust(anchors);
    }

    /** The CAs of the Java runtime's default trust store, as a sender on this host would trust. */
    public static PkixTrust runtimeDefault() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            Set<TrustAnchor> anchors = new HashSet<>();
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        anchors.add(new TrustAnchor(ca, null));
                    }
                }
            }
            return new PkixTrust(anchors);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java runtime has no usable trust store", e);
        }
    }

    /**
     * Why a PKIX sender would not accept {@code chain} (leaf first) from {@code host} at
     * {@code at}; empty when it would.
     */
    public Optional<String> problem(List<X509Certificate> chain, String host, Instant at) {
        if (chain.isEmpty()) {
            return Optional.of("no certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (!HostNames.covers(leaf, host)) {
            return Optional.of("the certificate is not valid for " + host + " (names: "
                    + String.join(", ", HostNames.presentedNames(leaf)) + ")");
        }
        if (anchors.isEmpty()) {
            return Optional.of("no trusted CA to check against");
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, target);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(chain)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
            return Optional.empty();
        } catch (CertPathBuilderException e) {
            return Optional.of("the chain does not lead to a trusted CA at " + at + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (GeneralSecurityException e) {
            return Optional.of("the chain cannot be checked: " + e.getMessage());
        }
    }
}
