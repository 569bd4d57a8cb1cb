package org.mxpolicy.dns;

import org.xbill.DNS.Name;

/**
 * DNS lookups that validate DNSSEC themselves, from configured trust anchors (the root KSK by
 * default), instead of trusting a resolver's AD bit. Thread-safe: a check asks many questions at
 * once.
 */
public interface DnsLookup {

    /**
     * Asks for {@code name}/{@code type} in class IN. Never throws for DNS or network trouble:
     * that is an answer with {@link DnsAnswer.Security#FAILED} and a problem text.
     */
    DnsAnswer lookup(Name name, int type);
}
