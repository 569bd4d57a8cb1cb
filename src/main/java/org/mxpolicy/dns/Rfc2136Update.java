package org.mxpolicy.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.mxpolicy.dns.UpdateException.Reason;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Update;

/**
 * {@link DynamicUpdate} with RFC 2136 UPDATE messages over TCP, signed with TSIG (RFC 8945).
 *
 * <p>Each change carries what was observed as its prerequisite (RFC 2136 section 2.4), so an
 * RRset someone else changed since is left alone and reported as a concurrent change:
 *
 * <ul>
 *   <li>create: "RRset does not exist" (section 2.4.3: class NONE, the type, TTL 0, no RDATA);
 *   <li>change and delete: "RRset exists (value dependent)" (section 2.4.2: every observed record,
 *       class IN, TTL 0; the server compares the whole RRset).
 * </ul>
 *
 * <p>The update section (section 2.5) then deletes the RRset (section 2.5.2: class ANY, the type,
 * TTL 0, no RDATA) and adds each wanted record (section 2.5.1); a created RRset needs no delete.
 * Changes go into as few messages as keep each under {@value #MAX_MESSAGE_BYTES} bytes, a change's
 * prerequisite always in the same message as its update, since the server applies a message as a
 * whole or not at all (section 3.4).
 *
 * <p>A timeout, a network error or SERVFAIL is retried with exponential backoff; a failed
 * prerequisite or a refused key never is, as sending the same message again cannot help.
 */
public final class Rfc2136Update implements DynamicUpdate {

    /** Well under the 65535 bytes a TCP message can carry (RFC 1035 section 4.2.2), with room for TSIG. */
    static final int MAX_MESSAGE_BYTES = 32 * 1024;

    /** Waits between attempts; tests pass one that only records. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /**
     * How often to try one message, and how long to wait before the next try: {@code backoff},
     * then twice that, and so on.
     */
    public record RetryPolicy(int attempts, Duration backoff, Sleeper sleeper) {
        public RetryPolicy {
            if (attempts < 1) {
                throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
            }
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(sleeper, "sleeper");
        }

        /** Three attempts, 1 s then 2 s apart, sleeping for real. */
        public static RetryPolicy standard() {
            return new RetryPolicy(3, Duration.ofSeconds(1), d -> Thread.sleep(d.toMillis()));
        }

        Duration delayBefore(int attempt) {
            return backoff.multipliedBy(1L << Math.min(attempt - 2, 20));
        }
    }

    /** Sends one signed message and returns the response; the real one is a TCP resolver. */
    @FunctionalInterface
    interface Transport {
        Message send(Message update) throws IOException;
    }

    private final InetSocketAddress primary;
    private final Transport transport;
    private final RetryPolicy retry;
    private final int maxMessageBytes;
    private final TSIG tsig;
    private final Duration timeout;

    /**
     * @param primary the zone's primary server, which accepts updates
     * @param tsig the key the server expects; its responses must verify with it too
     * @param timeout how long one attempt may take
     */
    public Rfc2136Update(InetSocketAddress primary, TSIG tsig, Duration timeout, RetryPolicy retry) {
        this(primary, tcp(primary, tsig, timeout), retry, MAX_MESSAGE_BYTES, tsig, timeout);
    }

    Rfc2136Update(InetSocketAddress primary, Transport transport, RetryPolicy retry, int maxMessageBytes) {
        this(primary, transport, retry, maxMessageBytes, null, Duration.ZERO);
    }

    private Rfc2136Update(
            InetSocketAddress primary,
            Transport transport,
            RetryPolicy retry,
            int maxMessageBytes,
            TSIG tsig,
            Duration timeout) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.transport = transport;
        this.retry = retry;
        this.maxMessageBytes = maxMessageBytes;
        this.tsig = tsig;
        this.timeout = timeout;
    }

    /**
     * The zone by AXFR, signed with the update key; empty when the primary does not allow the key
     * to transfer the zone, or cannot be reached.
     */
    @Override
    public java.util.Optional<List<org.xbill.DNS.Record>> transfer(Name zone) {
        if (tsig == null) {
            return java.util.Optional.empty();
        }
        try {
            org.xbill.DNS.ZoneTransferIn xfr = org.xbill.DNS.ZoneTransferIn.newAXFR(zone, primary, tsig);
            xfr.setTimeout(timeout);
            xfr.run();
            return java.util.Optional.of(List.copyOf(xfr.getAXFR()));
        } catch (IOException | org.xbill.DNS.ZoneTransferException e) {
            return java.util.Optional.empty();
        }
    }

    private static Transport tcp(InetSocketAddress primary, TSIG tsig, Duration timeout) {
        Objects.requireNonNull(tsig, "tsig");
        SimpleResolver resolver = new SimpleResolver(primary);
        resolver.setTCP(true);
        resolver.setTimeout(timeout);
        resolver.setTSIGKey(tsig);
        return resolver::send;
    }

    @Override
    public int apply(Name zone, List<RrsetChange> changes) throws UpdateException {
        List<Batch> batches = batches(zone, changes);
        for (int i = 0; i < batches.size(); i++) {
            send(zone, batches.get(i), i, batches.size());
        }
        return batches.size();
    }

    /** One UPDATE message and the changes it holds. */
    record Batch(Update message, List<RrsetChange> changes) {}

    /** The messages for {@code changes}, in order, each under the size limit where a change allows. */
    List<Batch> batches(Name zone, List<RrsetChange> changes) {
        List<Batch> batches = new ArrayList<>();
        int base = new Update(zone).toWire().length;
        Update current = null;
        List<RrsetChange> inCurrent = new ArrayList<>();
        int size = 0;
        for (RrsetChange change : changes) {
            Update alone = new Update(zone);
            addChange(alone, change);
            // Uncompressed sizes: an upper bound, as names past the first 16 KiB of a message
            // cannot be compression targets (RFC 1035 section 4.1.4 has 14-bit offsets).
            int cost = 0;
            for (int section : new int[] {Section.PREREQ, Section.UPDATE}) {
                for (Record r : alone.getSection(section)) {
                    cost += r.toWire(section).length;
                }
            }
            if (current != null && size + cost > maxMessageBytes) {
                batches.add(new Batch(current, List.copyOf(inCurrent)));
                current = null;
            }
            if (current == null) {
                current = new Update(zone);
                inCurrent.clear();
                size = base;
            }
            addChange(current, change);
            inCurrent.add(change);
            size += cost;
        }
        if (current != null) {
            batches.add(new Batch(current, List.copyOf(inCurrent)));
        }
        return batches;
    }

    /** Adds one change's prerequisite and update records (RFC 2136 sections 2.4 and 2.5). */
    static void addChange(Update update, RrsetChange change) {
        if (change.kind() == RrsetChange.Kind.CREATE) {
            update.addRecord(Record.newRecord(change.owner(), change.type(), DClass.NONE, 0), Section.PREREQ);
        } else {
            for (Record observed : change.before()) {
                update.addRecord(
                        Record.newRecord(
                                observed.getName(), observed.getType(), DClass.IN, 0, observed.rdataToWireCanonical()),
                        Section.PREREQ);
            }
            update.addRecord(Record.newRecord(change.owner(), change.type(), DClass.ANY, 0), Section.UPDATE);
        }
        for (Record wanted : change.after()) {
            update.addRecord(wanted, Section.UPDATE);
        }
    }

    private void send(Name zone, Batch batch, int index, int total) throws UpdateException {
        String what = "update of " + zone + " (" + describe(batch.changes()) + ") at " + primary
                + (total > 1
                        ? ", message " + (index + 1) + " of " + total
                                + (index > 0 ? " (the first " + index + " were applied)" : "")
                        : "");
        IOException lastError = null;
        int lastRcode = -1;
        for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
            if (attempt > 1) {
                try {
                    retry.sleeper().sleep(retry.delayBefore(attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UpdateException(Reason.UNAVAILABLE, what + ": interrupted", e);
                }
            }
            Message response;
            try {
                response = transport.send(batch.message().clone());
            } catch (IOException e) {
                lastError = e;
                continue;
            }
            int rcode = response.getRcode();
            TSIGRecord tsig = response.getTSIG();
            if (tsig != null && tsig.getError() != Rcode.NOERROR) {
                throw new UpdateException(
                        Reason.NOT_AUTHORIZED,
                        what + ": refused, TSIG error "
                                + Rcode.TSIGstring(tsig.getError()) + " (" + Rcode.string(rcode)
                                + "); check the key name, secret and"
                                + " algorithm, and the clocks");
            }
            switch (rcode) {
                case Rcode.NOERROR -> {
                    if (!response.isVerified()) {
                        throw new UpdateException(
                                Reason.NOT_AUTHORIZED,
                                what + ": the response "
                                        + (tsig == null ? "is not signed" : "has a TSIG that does not verify")
                                        + " with the key; the update may have been applied by someone else");
                    }
                    return;
                }
                case Rcode.YXDOMAIN, Rcode.YXRRSET, Rcode.NXDOMAIN, Rcode.NXRRSET ->
                    throw new UpdateException(
                            Reason.CONCURRENT_CHANGE,
                            what + ": prerequisite failed (" + Rcode.string(rcode)
                                    + "): the RRset changed since it was observed"
                                    + (attempt > 1 ? " (or an earlier attempt that got no answer was applied)" : "")
                                    + "; observe again and plan anew");
                case Rcode.NOTAUTH, Rcode.REFUSED ->
                    throw new UpdateException(
                            Reason.NOT_AUTHORIZED,
                            what + ": " + Rcode.string(rcode) + "; the server does not accept updates of " + zone
                                    + " with this key");
                case Rcode.SERVFAIL -> lastRcode = rcode;
                default -> throw new UpdateException(Reason.UNAVAILABLE, what + ": " + Rcode.string(rcode));
            }
        }
        String last = lastRcode >= 0
                ? Rcode.string(lastRcode)
                : lastError == null ? "no answer" : MessageText.problem(lastError);
        throw new UpdateException(
                Reason.UNAVAILABLE,
                what + ": " + last + " after " + retry.attempts() + (retry.attempts() == 1 ? " attempt" : " attempts"),
                lastError);
    }

    private static String describe(List<RrsetChange> changes) {
        int shown = 5;
        String names = changes.stream().limit(shown).map(RrsetChange::rrsetName).collect(Collectors.joining(", "));
        return changes.size() > shown ? names + " and " + (changes.size() - shown) + " more" : names;
    }
}
