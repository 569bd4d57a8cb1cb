package org.mxpolicy.cert;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Private keys already proven to belong to a certificate's public key, so that a server's reload
 * proves only the pairs that changed. Safe for the threads that check hosts together.
 */
public final class ProvenKeyPairs {

    private final Map<PrivateKey, PublicKey> proven = new ConcurrentHashMap<>();

    /** Whether the keys belong together: remembered when proven before, else proven now. */
    public boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        if (publicKey.equals(proven.get(privateKey))) {
            return true;
        }
        boolean matches = ServerCertificateChecks.keyMatches(privateKey, publicKey);
        if (matches) {
            proven.put(privateKey, publicKey);
        }
        return matches;
    }

    /** Forgets every pair but those of these keys: what a reload no longer serves is not kept. */
    public void keepOnly(Collection<PrivateKey> inUse) {
        proven.keySet().retainAll(new HashSet<>(inUse));
    }
}
