package org.mxpolicy.transparency;

import java.util.List;

/**
 * The port through which the report has partner domains checked live: DNSSEC, DANE, MTA-STS and
 * the TLS of their MX hosts. {@link AuditPartnerCheck} answers it with {@code audit}.
 */
public interface PartnerCheck {

    /** The findings for each of {@code domains}, in that order. */
    List<PartnerFindings> check(List<String> domains) throws InterruptedException;
}
