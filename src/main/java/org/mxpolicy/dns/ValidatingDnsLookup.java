package org.mxpolicy.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mxpolicy.finding.MessageText;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * {@link DnsLookup} through dnsjava's {@link ValidatingResolver}: the signatures are checked here,
 * from our own trust anchors, so a resolver on the way that does not validate (or lies about the
 * AD bit) cannot make an answer look secure. RFC 4035 section 5 is the validation; RFC 4033
 * section 5 the four outcomes.
 *
 * <p>The upstream is one or more recursive resolvers or, in a lab, an authoritative server that
 * answers every question asked (the validator asks for DS and DNSKEY RRsets too). Answers may be
 * kept for a short while (never longer than their TTL), so a check asking for the same TLSA RRset
 * for every domain that shares an MX asks the network once; a lookup made right after an update
 * must use a lookup without cache.
 *
 * <p>Thread-safe: lookups run concurrently; concurrent lookups of the same name and type share
 * one query when the cache is on.
 */
public final class ValidatingDnsLookup implements DnsLookup {

    /** RFC 8914 codes that mean "no answer reached the validator", not "the answer is wrong". */
    private static final List<Integer> UNREACHABLE =
            List.of(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY, ExtendedErrorCodeOption.NETWORK_ERROR);
    /** RFC 8914 codes that mean DNSSEC validation failed. */
    private static final List<Integer> VALIDATION_FAILED = List.of(
            ExtendedErrorCodeOption.DNSSEC_BOGUS,
            ExtendedErrorCodeOption.SIGNATURE_EXPIRED,
            ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID,
            ExtendedErrorCodeOption.DNSKEY_MISSING,
            ExtendedErrorCodeOption.RRSIGS_MISSING,
            ExtendedErrorCodeOption.NO_ZONE_KEY_BIT_SET,
            ExtendedErrorCodeOption.NSEC_MISSING,
            ExtendedErrorCodeOption.DNSSEC_INDETERMINATE,
            ExtendedErrorCodeOption.UNSUPPORTED_DNSKEY_ALGORITHM,
            ExtendedErrorCodeOption.UNSUPPORTED_DS_DIGEST_TYPE,
            ExtendedErrorCodeOption.SIGNATURE_EXPIRED_BEFORE_VALID);
    /** The buffer size recommended by DNS Flag Day 2020, avoiding IP fragmentation. */
    static final int EDNS_BUFFER = 1232;

    private static final int MAX_CACHED = 10_000;

    private final ValidatingResolver resolver;
    private final Duration timeout;
    private final Duration cacheFor;
    private final Clock clock;
    private final Map<Question, Cached> cache = new ConcurrentHashMap<>();

    private record Question(Name name, int type) {}

    private record Cached(CompletableFuture<DnsAnswer> answer, Instant until) {}

    /**
     * @param upstream where queries go; the validator sets DO and CD on them itself
     * @param anchors where validation starts
     * @param timeout the longest one lookup may take, validation included
     * @param cacheFor how long an answer is kept (capped by its TTL); {@link Duration#ZERO} for none
     * @param clock the time signatures are checked against and the cache runs on
     */
    public ValidatingDnsLookup(
            Resolver upstream, TrustAnchors anchors, Duration timeout, Duration cacheFor, Clock clock) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.cacheFor = cacheFor;
        this.clock = clock;
        this.resolver = new ValidatingResolver(upstream, clock);
        resolver.setAddReasonToAdditional(true);
        resolver.setTimeout(timeout);
        try {
            resolver.loadTrustAnchors(
                    new ByteArrayInputStream(anchors.presentation().getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalArgumentException("trust anchors not accepted by the validator: " + e.getMessage(), e);
        }
    }

    /** Through the recursive resolvers at {@code upstreams}, tried in order. */
    public static ValidatingDnsLookup via(
            List<InetSocketAddress> upstreams, TrustAnchors anchors, Duration timeout, Duration cacheFor, Clock clock) {
        List<Resolver> resolvers = new ArrayList<>();
        for (InetSocketAddress address : upstreams) {
            SimpleResolver simple = new SimpleResolver(address);
            simple.setTimeout(timeout);
            resolvers.add(simple);
        }
        Resolver upstream = resolvers.size() == 1 ? resolvers.get(0) : new ExtendedResolver(resolvers);
        return new ValidatingDnsLookup(upstream, anchors, timeout, cacheFor, clock);
    }

    /** Through the system's resolvers ({@code /etc/resolv.conf}), from the IANA root anchors. */
    public static ValidatingDnsLookup systemDefault(Duration timeout, Duration cacheFor, Clock clock) {
        ExtendedResolver upstream = new ExtendedResolver();
        upstream.setTimeout(timeout);
        return new ValidatingDnsLookup(upstream, TrustAnchors.ianaRoot(), timeout, cacheFor, clock);
    }

    @Override
    public DnsAnswer lookup(Name name, int type) {
        if (cacheFor.isZero() || cacheFor.isNegative()) {
            return ask(name, type);
        }
        Question question = new Question(name, type);
        Instant now = clock.instant();
        CompletableFuture<DnsAnswer> mine = new CompletableFuture<>();
        Cached entry = cache.compute(
                question,
                (q, old) -> old != null && now.isBefore(old.until()) ? old : new Cached(mine, now.plus(cacheFor)));
        if (entry.answer() != mine) {
            return entry.answer().join();
        }
        DnsAnswer answer;
        try {
            answer = ask(name, type);
        } catch (RuntimeException | Error e) {
            cache.remove(question, entry);
            mine.completeExceptionally(e);
            throw e;
        }
        mine.complete(answer);
        Duration keep = keepFor(answer);
        if (keep.isZero()) {
            cache.remove(question, entry);
        } else {
            cache.replace(question, entry, new Cached(mine, now.plus(keep)));
        }
        if (cache.size() > MAX_CACHED) {
            cache.entrySet().removeIf(e -> !now.isBefore(e.getValue().until()));
        }
        return answer;
    }

    /** Failures are asked again next time; answers live no longer than their TTL. */
    private Duration keepFor(DnsAnswer answer) {
        if (answer.security() == DnsAnswer.Security.FAILED) {
            return Duration.ZERO;
        }
        Duration keep = cacheFor;
        for (Record r : answer.records()) {
            Duration ttl = Duration.ofSeconds(r.getTTL());
            if (ttl.compareTo(keep) < 0) {
                keep = ttl;
            }
        }
        return keep;
    }

    private DnsAnswer ask(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        // DO asks the validator to keep the RRSIGs in its answer (RFC 3225 section 3).
        query.addRecord(new OPTRecord(EDNS_BUFFER, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        Message response;
        try {
            response = resolver.sendAsync(query).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return failed(name, type, "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return failed(name, type, MessageText.problem(cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(name, type, "interrupted");
        }
        return answer(name, type, response);
    }

    /** Maps a validated response to an answer (package-private for tests). */
    static DnsAnswer answer(Name name, int type, Message response) {
        int rcode = response.getRcode();
        List<String> reasons = reasons(response);
        List<Integer> ede = edeCodes(response);
        Optional<String> problem = reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
        if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
            AnswerRrset rrset = AnswerRrset.of(response, name, type);
            DnsAnswer.Security security =
                    response.getHeader().getFlag(Flags.AD) ? DnsAnswer.Security.SECURE : DnsAnswer.Security.INSECURE;
            return new DnsAnswer(
                    name,
                    type,
                    rcode,
                    security,
                    rrset.records(),
                    rrset.signatures(),
                    security == DnsAnswer.Security.SECURE ? Optional.empty() : problem);
        }
        boolean unreachable = ede.stream().anyMatch(UNREACHABLE::contains);
        boolean bogus = !unreachable
                && rcode == Rcode.SERVFAIL
                && (ede.stream().anyMatch(VALIDATION_FAILED::contains) || hasValidatorReason(response));
        if (bogus) {
            return new DnsAnswer(
                    name,
                    type,
                    rcode,
                    DnsAnswer.Security.BOGUS,
                    List.of(),
                    List.of(),
                    Optional.of(problem.orElse("validation failed")));
        }
        return new DnsAnswer(
                name,
                type,
                rcode,
                DnsAnswer.Security.FAILED,
                List.of(),
                List.of(),
                Optional.of(Rcode.string(rcode) + problem.map(p -> ": " + p).orElse("")));
    }

    private static DnsAnswer failed(Name name, int type, String problem) {
        return new DnsAnswer(
                name, type, Rcode.SERVFAIL, DnsAnswer.Security.FAILED, List.of(), List.of(), Optional.of(problem));
    }

    private static boolean hasValidatorReason(Message response) {
        return response.getSection(Section.ADDITIONAL).stream()
                .anyMatch(r -> r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS);
    }

    private static List<Integer> edeCodes(Message response) {
        OPTRecord opt = response.getOPT();
        if (opt == null) {
            return List.of();
        }
        return opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
                .map(o -> ((ExtendedErrorCodeOption) o).getErrorCode())
                .toList();
    }

    /**
     * Why a response of dnsjava's validator did not validate: its Extended DNS Errors (RFC 8914),
     * then its reason records (class {@link ValidatingResolver#VALIDATION_REASON_QCLASS}) where they
     * add something. Empty for an answer that validated.
     */
    public static List<String> reasons(Message response) {
        List<String> reasons = new ArrayList<>();
        OPTRecord opt = response.getOPT();
        if (opt != null) {
            for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
                ExtendedErrorCodeOption ede = (ExtendedErrorCodeOption) option;
                reasons.add("EDE " + ede.getErrorCode() + " (" + ExtendedErrorCodeOption.text(ede.getErrorCode()) + ")"
                        + (ede.getText() == null || ede.getText().isEmpty() ? "" : ": " + ede.getText()));
            }
        }
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS && r instanceof TXTRecord txt) {
                String reason = String.join("", txt.getStrings());
                if (reasons.stream().noneMatch(known -> known.endsWith(": " + reason))) {
                    reasons.add(reason);
                }
            }
        }
        return reasons;
    }
}
