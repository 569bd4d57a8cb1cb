package org.mxpolicy.dns;

import java.util.List;
import org.xbill.DNS.Name;

/**
 * Direct, non-recursive queries to every authoritative server of a zone, so "published" means
 * "served by all of them", not "cached by one resolver".
 */
public interface AuthoritativeQuery {

    /**
     * The zone's authoritative servers: every address of every name in its NS RRset (looked up
     * through the validating {@link DnsLookup}), or {@code configured} when not empty.
     */
    List<NameServer> servers(Name zone, List<NameServer> configured);

    /** Asks each server for {@code name}/{@code type}; one answer per server, in the given order. */
    List<ServerAnswer> askAll(List<NameServer> servers, Name name, int type);

    /** The SOA serial each server reports for {@code zone}; one answer per server. */
    List<ServerAnswer> soaSerials(List<NameServer> servers, Name zone);
}
