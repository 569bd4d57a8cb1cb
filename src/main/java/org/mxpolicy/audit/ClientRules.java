package org.mxpolicy.audit;

import java.util.List;
import java.util.stream.Collectors;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;

/** What TR-03108 4.1.1 asks of a provider's own client endpoints beyond the TLS of each. Pure. */
final class ClientRules {

    private ClientRules() {}

    /**
     * {@code client.implicit-tls}: "MHS systems MUST offer usage of Mandatory TLS (SUBMISSIONS,
     * IMAPS, POP3S)" (TR-03108 4.1.1; RFC 8314).
     */
    static RuleFinding implicitTlsOffered(List<OwnEndpoint> endpoints) {
        List<OwnEndpoint> implicit =
                endpoints.stream().filter(OwnEndpoint::implicitTlsMail).toList();
        if (implicit.isEmpty()) {
            return new RuleFinding(
                    Requirement.CLIENT_TLS.id(),
                    "client.implicit-tls",
                    "TR-03108 4.1.1",
                    Verdict.FAIL,
                    "no mail service over implicit TLS (submissions, imaps, pop3s) is configured");
        }
        return new RuleFinding(
                Requirement.CLIENT_TLS.id(),
                "client.implicit-tls",
                "TR-03108 4.1.1",
                Verdict.PASS,
                "implicit TLS offered: "
                        + implicit.stream()
                                .map(e -> e.service() + " " + e.host() + ":" + e.port())
                                .collect(Collectors.joining(", ")));
    }

    /**
     * {@code client.starttls}: "the MHS system SHOULD offer Opportunistic TLS (SUBMISSION, IMAP,
     * POP3)" for old clients (TR-03108 4.1.2); a warning when none is configured.
     */
    static RuleFinding starttlsOffered(List<OwnEndpoint> endpoints) {
        List<OwnEndpoint> starttls = endpoints.stream()
                .filter(e -> e.requirement() == Requirement.CLIENT_TLS_COMPATIBILITY)
                .toList();
        if (starttls.isEmpty()) {
            return new RuleFinding(
                    Requirement.CLIENT_TLS_COMPATIBILITY.id(),
                    "client.starttls",
                    "TR-03108 4.1.2",
                    Verdict.WARN,
                    "no mail service with STARTTLS (submission, imap, pop3) is configured for old clients");
        }
        return new RuleFinding(
                Requirement.CLIENT_TLS_COMPATIBILITY.id(),
                "client.starttls",
                "TR-03108 4.1.2",
                Verdict.PASS,
                "STARTTLS offered: "
                        + starttls.stream()
                                .map(e -> e.service() + " " + e.host() + ":" + e.port())
                                .collect(Collectors.joining(", ")));
    }

    /** {@code client.address}: an endpoint whose host has no address cannot be reached at all. */
    static RuleFinding noAddress(OwnEndpoint endpoint, String problem) {
        return new RuleFinding(
                endpoint.requirement().id(),
                "client.address",
                "TR-03108 4.1.1",
                problem.contains("FAILED") ? Verdict.UNKNOWN : Verdict.FAIL,
                endpoint.host() + ": " + problem);
    }
}
