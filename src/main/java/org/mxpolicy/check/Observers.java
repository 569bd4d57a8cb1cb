package org.mxpolicy.check;

import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.probe.PolicyFetch;
import org.mxpolicy.probe.SmtpProbe;

/** The ports a check looks at the world through. */
public record Observers(DnsLookup dns, AuthoritativeQuery authorities, SmtpProbe smtp, PolicyFetch policies) {}
