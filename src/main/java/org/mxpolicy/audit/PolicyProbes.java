package org.mxpolicy.audit;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.probe.PolicyObservation;
import org.mxpolicy.scan.AddressLimit;

/**
 * What an audit needs beyond DNS and the TLS scanner to judge MTA-STS: the policy fetch (as
 * senders fetch), the CAs a PKIX sender trusts, the instant certificates are judged at, and the
 * per-address limit the fetches share with the scanner.
 */
public record PolicyProbes(PolicyFetch fetch, PkixTrust trust, Instant at, AddressLimit limit) {

    public PolicyProbes {
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(limit, "limit");
    }

    /** No fetch at all: every policy is reported as not fetched. */
    public static PolicyProbes none(Instant at) {
        return new PolicyProbes(
                (domain, addresses) -> new PolicyObservation(
                        java.net.URI.create("https://mta-sts." + domain + "/.well-known/mta-sts.txt"),
                        Optional.empty(),
                        Optional.empty(),
                        new byte[0],
                        Optional.of("not fetched: this audit fetches no policies")),
                PkixTrust.runtimeDefault(),
                at,
                new AddressLimit(1));
    }

    /**
     * Fetches the policy of {@code domain} holding a connection of the per-address limit on each
     * of {@code addresses} (taken in a fixed order, so that two fetches never wait for each other).
     */
    PolicyObservation politeFetch(String domain, List<InetAddress> addresses) throws InterruptedException {
        List<InetAddress> ordered = addresses.stream()
                .distinct()
                .sorted(Comparator.comparing(InetAddress::getHostAddress))
                .toList();
        int held = 0;
        try {
            for (InetAddress address : ordered) {
                limit.acquire(address);
                held++;
            }
            return fetch.fetch(domain, addresses);
        } finally {
            for (int i = 0; i < held; i++) {
                limit.release(ordered.get(i));
            }
        }
    }
}
