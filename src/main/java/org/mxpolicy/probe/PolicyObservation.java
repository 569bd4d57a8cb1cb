package org.mxpolicy.probe;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What fetching a domain's MTA-STS policy the way a sending MTA does (RFC 8461 section 3.3) saw.
 *
 * @param url {@code https://mta-sts.<domain>/.well-known/mta-sts.txt}
 * @param status the HTTP status, when a response came
 * @param contentType the Content-Type header, when present
 * @param body the response body as received (bytes, for an exact comparison), empty without one
 * @param problem why a sender would not accept the policy: TLS or certificate failure,
 *     certificate not valid for the host, a redirect, a status other than 200, a media type other
 *     than text/plain, a body that does not parse; empty when a sender would accept it
 * @param chain the certificates the policy host presented, leaf first, when the handshake
 *     completed (TR-03108 08-R asks whether the leaf is a wildcard certificate)
 */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode compare the bytes
public record PolicyObservation(
        URI url,
        Optional<Integer> status,
        Optional<String> contentType,
        byte[] body,
        Optional<String> problem,
        List<X509Certificate> chain) {

    public PolicyObservation {
        body = body.clone();
        chain = List.copyOf(chain);
    }

    /** An observation without the policy host's certificates. */
    public PolicyObservation(
            URI url, Optional<Integer> status, Optional<String> contentType, byte[] body, Optional<String> problem) {
        this(url, status, contentType, body, problem, List.of());
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    public boolean accepted() {
        return problem.isEmpty();
    }

    /** Compares the bodies byte by byte; a record's own equals would compare the arrays' identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PolicyObservation other
                && url.equals(other.url)
                && status.equals(other.status)
                && contentType.equals(other.contentType)
                && Arrays.equals(body, other.body)
                && problem.equals(other.problem)
                && chain.equals(other.chain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, status, contentType, Arrays.hashCode(body), problem, chain);
    }
}
