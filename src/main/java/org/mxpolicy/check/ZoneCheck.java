package org.mxpolicy.check;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mxpolicy.desired.Nameserver;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.plan.Planner;
import org.mxpolicy.plan.RrsetKey;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * One zone as its authoritative servers serve it: do they all answer, with the same SOA serial,
 * is the DNSKEY set valid and freshly signed, and does every server serve each RRset mxpolicy
 * owns as desired. What the first answering server serves is the observed state the plan is
 * made from.
 */
final class ZoneCheck {

    /** Queries of one zone check in flight at once, across its authoritative servers. */
    static final int QUERIES_IN_FLIGHT = 16;

    /**
     * @param observed per owned RRset, what the reference server serves (empty list: absent);
     *     null when no server answered, so no plan can be made
     */
    record Outcome(List<CheckResult> results, List<Expiry> expiries, Map<RrsetKey, List<Record>> observed) {}

    private final Observers observers;
    private final CheckSettings settings;
    private final Clock clock;

    ZoneCheck(Observers observers, CheckSettings settings, Clock clock) {
        this.observers = observers;
        this.settings = settings;
        this.clock = clock;
    }

    Outcome run(List<Nameserver> nameservers, ZoneFragment desired) {
        String zone = desired.zoneName();
        Name apex = desired.zone();
        List<CheckResult> results = new ArrayList<>();
        List<Expiry> expiries = new ArrayList<>();
        Instant now = clock.instant();

        List<NameServer> servers =
                ZoneServers.of(desired.zone(), nameservers, observers.dns(), observers.authorities());
        if (servers.isEmpty()) {
            results.add(CheckResult.unknown(
                    "dns.no-servers",
                    zone,
                    "no authoritative server of " + zone + " is known:"
                            + " its NS RRset did not resolve; list them under 'nameservers' of the zone"));
            return new Outcome(results, expiries, null);
        }
        serials(zone, servers, results);

        DnsAnswer dnskey = observers.dns().lookup(apex, Type.DNSKEY);
        switch (dnskey.security()) {
            case SECURE ->
                Signatures.earliestExpiry(dnskey.signatures()).ifPresent(expires -> {
                    expiries.add(new Expiry("signature", apex + " DNSKEY", "validated lookup", expires));
                    Signatures.expiryResult(apex + " DNSKEY", expires, now, settings)
                            .ifPresent(results::add);
                });
            case INSECURE ->
                results.add(CheckResult.critical(
                        "dnssec.insecure",
                        zone,
                        zone + " is not DNSSEC-signed"
                                + " (or not from the trust anchor); its TLSA records are useless (TR-03108-05-M)"));
            case BOGUS ->
                results.add(CheckResult.critical(
                        "dnssec.bogus",
                        zone,
                        "the DNSKEY set of " + zone + " does not validate: "
                                + dnskey.problem().orElse("bogus")));
            case FAILED ->
                results.add(CheckResult.unknown(
                        "dnssec.lookup",
                        zone,
                        "cannot look up the DNSKEY set of " + zone + ": "
                                + dnskey.problem().orElse("no answer")));
        }

        Map<RrsetKey, List<Record>> observed = new TreeMap<>();
        boolean anyAnswered = false;
        Map<RrsetKey, Future<List<ServerAnswer>>> asked = askEveryRrset(desired, servers);
        for (Map.Entry<RrsetKey, Future<List<ServerAnswer>>> entry : asked.entrySet()) {
            RrsetKey key = entry.getKey();
            List<ServerAnswer> answers = await(entry.getValue());
            Optional<ServerAnswer> reference =
                    answers.stream().filter(ServerAnswer::answered).findFirst();
            if (reference.isEmpty()) {
                continue;
            }
            anyAnswered = true;
            observed.put(key, reference.get().records());
            List<String> behind = new ArrayList<>();
            for (ServerAnswer a : answers) {
                if (a.answered() && !Planner.same(a.records(), reference.get().records())) {
                    behind.add(a.server().toString());
                }
                if (a.answered()) {
                    Signatures.earliestExpiry(a.signatures())
                            .ifPresent(expires -> expiries.add(new Expiry(
                                    "signature", key.toString(), a.server().toString(), expires)));
                }
            }
            if (!behind.isEmpty()) {
                results.add(CheckResult.warning(
                        "dns.servers-disagree",
                        key.toString(),
                        "servers " + String.join(", ", behind) + " serve other records than "
                                + reference.get().server() + "; a zone transfer is pending or failing"));
            }
        }
        return new Outcome(results, expiries, anyAnswered || desired.rrsets().isEmpty() ? observed : null);
    }

    /**
     * Asks the servers for every owned RRset, {@link #QUERIES_IN_FLIGHT} at a time: one after
     * another, a zone with thousands of owned RRsets would be the last task of a check.
     */
    private Map<RrsetKey, Future<List<ServerAnswer>>> askEveryRrset(ZoneFragment desired, List<NameServer> servers) {
        Map<RrsetKey, Future<List<ServerAnswer>>> asked = new LinkedHashMap<>();
        ExecutorService queries = Executors.newFixedThreadPool(
                Math.max(1, Math.min(QUERIES_IN_FLIGHT, desired.rrsets().size())), r -> {
                    Thread t = new Thread(r, "zone-check-query");
                    t.setDaemon(true);
                    return t;
                });
        try {
            for (List<Record> rrset : desired.rrsets()) {
                Record first = rrset.get(0);
                RrsetKey key = new RrsetKey(first.getName(), first.getType());
                asked.put(key, queries.submit(() -> observers.authorities().askAll(servers, key.owner(), key.type())));
            }
        } finally {
            queries.shutdown();
        }
        return asked;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("zone check interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("zone check failed: " + e.getCause(), e.getCause());
        }
    }

    private void serials(String zone, List<NameServer> servers, List<CheckResult> results) {
        Map<String, Long> serialByServer = new LinkedHashMap<>();
        for (ServerAnswer a : observers.authorities().soaSerials(servers, Name.fromConstantString(zone + "."))) {
            if (!a.answered()) {
                results.add(CheckResult.warning(
                        "dns.server-unreachable",
                        zone,
                        a.server() + " does not answer for " + zone + ": "
                                + a.problem().get()));
            } else {
                a.soaSerial().ifPresent(serial -> serialByServer.put(a.server().toString(), serial));
            }
        }
        if (new TreeSet<>(serialByServer.values()).size() > 1) {
            results.add(CheckResult.warning(
                    "dns.serial-mismatch",
                    zone,
                    "the servers of " + zone + " serve different SOA" + " serials: " + serialByServer
                            + "; a zone transfer is pending or failing"));
        }
    }
}
