package org.mxpolicy.tlsrpt;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of "failure-details" (RFC 8460 section 4.4): a kind of failure and how many sessions
 * ended in it. Every field but the result type and the count is optional in practice.
 *
 * @param resultType "result-type", kept as it came; {@link ResultType#of} names the known ones
 * @param sendingMtaIp "sending-mta-ip"
 * @param receivingMxHostname "receiving-mx-hostname", lower case without a trailing dot
 * @param receivingMxHelo "receiving-mx-helo"
 * @param receivingIp "receiving-ip"
 * @param failedSessionCount "failed-session-count"
 * @param additionalInformation "additional-information", a URI by the RFC, free text in practice
 * @param failureReasonCode "failure-reason-code"
 */
public record FailureDetail(
        String resultType,
        Optional<String> sendingMtaIp,
        Optional<String> receivingMxHostname,
        Optional<String> receivingMxHelo,
        Optional<String> receivingIp,
        long failedSessionCount,
        Optional<String> additionalInformation,
        Optional<String> failureReasonCode) {

    public FailureDetail {
        Objects.requireNonNull(resultType, "resultType");
        Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
        Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
        Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
        Objects.requireNonNull(receivingIp, "receivingIp");
        Objects.requireNonNull(additionalInformation, "additionalInformation");
        Objects.requireNonNull(failureReasonCode, "failureReasonCode");
        if (failedSessionCount < 0) {
            throw new IllegalArgumentException("failed-session-count is not negative");
        }
    }
}
