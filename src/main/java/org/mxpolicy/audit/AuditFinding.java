package org.mxpolicy.audit;

import org.mxpolicy.scan.RuleFinding;

/**
 * A finding with what it is about.
 *
 * @param subject the domain, an MX host name, or an endpoint ({@code host[address]:port})
 */
public record AuditFinding(String subject, RuleFinding finding) {}
