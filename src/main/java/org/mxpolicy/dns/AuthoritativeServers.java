package org.mxpolicy.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mxpolicy.finding.MessageText;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@link AuthoritativeQuery} by sending each server a non-recursive query (RD clear, RFC 1035
 * section 4.1.1) with the DO bit (RFC 3225) and an EDNS buffer of 1232 bytes; a truncated answer
 * is asked again over TCP (RFC 7766 section 5). All servers are asked at once, at most
 * {@value #MAX_IN_FLIGHT} at a time.
 */
public final class AuthoritativeServers implements AuthoritativeQuery {

    static final int MAX_IN_FLIGHT = 16;
    private static final int DNS_PORT = 53;

    private final DnsLookup lookup;
    private final Duration timeout;
    private final int port;

    /**
     * @param lookup finds the NS RRset and the servers' addresses when none are configured
     * @param timeout how long each server has to answer
     */
    public AuthoritativeServers(DnsLookup lookup, Duration timeout) {
        this(lookup, timeout, DNS_PORT);
    }

    /** As above, with servers found through NS records listening on {@code port} (labs). */
    public AuthoritativeServers(DnsLookup lookup, Duration timeout, int port) {
        this.lookup = lookup;
        this.timeout = timeout;
        this.port = port;
    }

    /**
     * The configured servers or else every A and AAAA address of every NS name, NS names in
     * DNSSEC order, IPv4 before IPv6. Empty when the NS RRset cannot be found; the caller's own
     * lookup of the NS RRset says why.
     */
    @Override
    public List<NameServer> servers(Name zone, List<NameServer> configured) {
        if (!configured.isEmpty()) {
            return List.copyOf(configured);
        }
        DnsAnswer ns = lookup.lookup(zone, Type.NS);
        if (!ns.hasRecords()) {
            return List.of();
        }
        List<Name> hosts = ns.records().stream()
                .filter(NSRecord.class::isInstance)
                .map(r -> ((NSRecord) r).getTarget())
                .distinct()
                .sorted(Comparator.naturalOrder())
                .toList();
        List<NameServer> servers = new ArrayList<>();
        for (Name host : hosts) {
            for (int type : new int[] {Type.A, Type.AAAA}) {
                for (Record r : lookup.lookup(host, type).records()) {
                    InetAddress address = r instanceof ARecord a
                            ? a.getAddress()
                            : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                    if (address != null) {
                        servers.add(new NameServer(host.toString(), new InetSocketAddress(address, port)));
                    }
                }
            }
        }
        return servers;
    }

    @Override
    public List<ServerAnswer> askAll(List<NameServer> servers, Name name, int type) {
        List<ServerAnswer> answers = new ArrayList<>();
        for (int start = 0; start < servers.size(); start += MAX_IN_FLIGHT) {
            List<NameServer> batch = servers.subList(start, Math.min(servers.size(), start + MAX_IN_FLIGHT));
            List<CompletableFuture<Message>> pending =
                    batch.stream().map(s -> send(s, name, type)).toList();
            for (int i = 0; i < batch.size(); i++) {
                answers.add(answer(batch.get(i), name, type, pending.get(i)));
            }
        }
        return answers;
    }

    @Override
    public List<ServerAnswer> soaSerials(List<NameServer> servers, Name zone) {
        return askAll(servers, zone, Type.SOA);
    }

    private CompletableFuture<Message> send(NameServer server, Name name, int type) {
        SimpleResolver resolver = new SimpleResolver(server.address());
        resolver.setTimeout(timeout);
        resolver.setEDNS(0, ValidatingDnsLookup.EDNS_BUFFER, ExtendedFlags.DO, List.of());
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        query.getHeader().unsetFlag(Flags.RD);
        return resolver.sendAsync(query).toCompletableFuture();
    }

    private ServerAnswer answer(NameServer server, Name name, int type, CompletableFuture<Message> pending) {
        Message response;
        try {
            // The resolver times out by itself; this bound only guards against a lost completion.
            response = pending.get(timeout.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return problem(server, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
                return problem(server, "no answer within " + timeout.toMillis() + " ms");
            }
            return problem(server, MessageText.problem(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem(server, "interrupted");
        }
        return answer(server, name, type, response);
    }

    /** One server's response as an answer (package-private for tests). */
    static ServerAnswer answer(NameServer server, Name name, int type, Message response) {
        int rcode = response.getRcode();
        boolean authoritative = response.getHeader().getFlag(Flags.AA);
        AnswerRrset rrset = AnswerRrset.of(response, name, type);
        Optional<Long> serial = AnswerRrset.soaSerial(response);
        Optional<String> problem = Optional.empty();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            problem = Optional.of("answered " + Rcode.string(rcode));
        } else if (!authoritative) {
            problem = Optional.of("answered without the AA flag: not authoritative for " + name);
        }
        return new ServerAnswer(server, rcode, authoritative, rrset.records(), rrset.signatures(), serial, problem);
    }

    private static ServerAnswer problem(NameServer server, String problem) {
        return new ServerAnswer(
                server, Rcode.SERVFAIL, false, List.of(), List.of(), Optional.empty(), Optional.of(problem));
    }
}
