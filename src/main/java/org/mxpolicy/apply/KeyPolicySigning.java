package org.mxpolicy.apply;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.dnssec.SerialFormat;
import org.mxpolicy.dnssec.SigningPolicy;

/** How a zone mxpolicy signs is signed: the defaults, or what its key policy says. */
public final class KeyPolicySigning {

    private KeyPolicySigning() {}

    /**
     * The signing policy of {@code settings}: with a key policy, its signature validity and
     * refresh, its DNSKEY TTL and its largest zone TTL, so that the TTLs the rollover waits for
     * are the ones served.
     */
    public static SigningPolicy of(ZoneFileSigning settings) {
        SigningPolicy.Denial denial = settings.nsec3() ? SigningPolicy.Denial.NSEC3 : SigningPolicy.Denial.NSEC;
        if (settings.keyPolicy().isEmpty()) {
            return SigningPolicy.defaults().withDenial(denial);
        }
        KeyPolicy keys = settings.keyPolicy().get();
        // the jitter spreads expirations; it may take at most half of what is left after the refresh
        Duration room = keys.signatureValidity().minus(keys.signatureRefresh()).dividedBy(2);
        Duration jitter = room.compareTo(SigningPolicy.DEFAULT_JITTER) < 0 ? room : SigningPolicy.DEFAULT_JITTER;
        return new SigningPolicy(
                SigningPolicy.DEFAULT_INCEPTION_OFFSET,
                keys.signatureValidity(),
                jitter,
                keys.signatureRefresh(),
                denial,
                SerialFormat.INCREMENT,
                OptionalLong.of(keys.dnskeyTtl()),
                Optional.of(keys.maxZoneTtl()));
    }
}
