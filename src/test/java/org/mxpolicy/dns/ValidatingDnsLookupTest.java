package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dns.DnsAnswer.Security;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

class ValidatingDnsLookupTest {

    private static final Name ZONE = Name.fromConstantString("lab.example.");
    private static final Name TLSA_OWNER = Name.fromConstantString("_25._tcp.mx1.lab.example.");
    private static final Name OTHER = Name.fromConstantString("mx.other.test.");

    private static Record record(String text) throws IOException {
        String[] f = text.split(" ", 3);
        return Record.fromString(Name.fromString(f[0]), Type.value(f[1]), DClass.IN, 300, f[2], Name.root);
    }

    private static Message response(int rcode, boolean ad, Record... answer) {
        Message m = Message.newQuery(Record.newRecord(TLSA_OWNER, Type.TLSA, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        if (ad) {
            m.getHeader().setFlag(Flags.AD);
        }
        for (Record r : answer) {
            m.addRecord(r, Section.ANSWER);
        }
        return m;
    }

    private static void addReason(Message m, String reason) {
        m.addRecord(
                new TXTRecord(Name.root, ValidatingResolver.VALIDATION_REASON_QCLASS, 0, reason), Section.ADDITIONAL);
    }

    private static void addEde(Message m, int code) {
        m.addRecord(
                new OPTRecord(1232, 0, 0, 0, List.<EDNSOption>of(new ExtendedErrorCodeOption(code, "why"))),
                Section.ADDITIONAL);
    }

    @Test
    void authenticatedAnswerIsSecureWithItsSignaturesApart() throws IOException {
        Record tlsa = record("_25._tcp.mx1.lab.example. TLSA 3 1 1 " + "ab".repeat(32));
        Record sig =
                record("_25._tcp.mx1.lab.example. RRSIG TLSA 13 5 300 20300101000000 20200101000000 12345 lab.example. "
                        + "AAAA");
        DnsAnswer answer = ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, response(Rcode.NOERROR, true, tlsa, sig));

        assertThat(answer.security()).isEqualTo(Security.SECURE);
        assertThat(answer.records()).containsExactly(tlsa);
        assertThat(answer.signatures()).containsExactly((RRSIGRecord) sig);
        assertThat(answer.problem()).isEmpty();
        assertThat(answer.hasRecords()).isTrue();
    }

    @Test
    void answersWithoutAdAreInsecureWhetherPositiveOrNegative() throws IOException {
        Record tlsa = record("_25._tcp.mx1.lab.example. TLSA 3 1 1 " + "ab".repeat(32));

        DnsAnswer positive = ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, response(Rcode.NOERROR, false, tlsa));
        DnsAnswer negative = ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, response(Rcode.NXDOMAIN, false));

        assertThat(positive.security()).isEqualTo(Security.INSECURE);
        assertThat(positive.records()).containsExactly(tlsa);
        assertThat(negative.security()).isEqualTo(Security.INSECURE);
        assertThat(negative.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(negative.records()).isEmpty();
    }

    @Test
    void serverFailureWithAValidationReasonIsBogusWithTheReason() {
        Message withReason = response(Rcode.SERVFAIL, false);
        addReason(withReason, "validate.bogus.badkey: lab.example. DNSKEY");
        Message withEde = response(Rcode.SERVFAIL, false);
        addEde(withEde, ExtendedErrorCodeOption.SIGNATURE_EXPIRED);

        DnsAnswer byReason = ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, withReason);
        DnsAnswer byEde = ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, withEde);

        assertThat(byReason.security()).isEqualTo(Security.BOGUS);
        assertThat(byReason.problem()).contains("validate.bogus.badkey: lab.example. DNSKEY");
        assertThat(byEde.security()).isEqualTo(Security.BOGUS);
        assertThat(byEde.problem()).get().asString().startsWith("EDE 7 (").endsWith(": why");
    }

    @Test
    void serverFailureWithoutReasonOrFromAnUnreachableAuthorityIsFailed() {
        Message plain = response(Rcode.SERVFAIL, false);
        Message unreachable = response(Rcode.SERVFAIL, false);
        addEde(unreachable, ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY);
        addReason(unreachable, "failed to reach");
        Message refused = response(Rcode.REFUSED, false);

        assertThat(ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, plain).security())
                .isEqualTo(Security.FAILED);
        assertThat(ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, unreachable)
                        .security())
                .isEqualTo(Security.FAILED);
        DnsAnswer refusedAnswer = ValidatingDnsLookup.answer(TLSA_OWNER, Type.TLSA, refused);
        assertThat(refusedAnswer.security()).isEqualTo(Security.FAILED);
        assertThat(refusedAnswer.problem()).contains("REFUSED");
        assertThat(refusedAnswer.hasRecords()).isFalse();
    }

    @Test
    void cnameChainsAreFollowedWithinTheAnswer() throws IOException {
        Name www = Name.fromString("www.lab.example.");
        Record cname1 = record("www.lab.example. CNAME web.lab.example.");
        Record cname2 = record("web.lab.example. CNAME mx1.lab.example.");
        Record a = record("mx1.lab.example. A 192.0.2.25");
        Record unrelated = record("other.lab.example. A 192.0.2.99");

        DnsAnswer answer =
                ValidatingDnsLookup.answer(www, Type.A, response(Rcode.NOERROR, true, cname1, cname2, unrelated, a));
        DnsAnswer cnameItself = ValidatingDnsLookup.answer(www, Type.CNAME, response(Rcode.NOERROR, true, cname1));

        assertThat(answer.records()).containsExactly(a);
        assertThat(cnameItself.records()).containsExactly(cname1);
    }

    /** An upstream that answers every question with one A record and counts the questions. */
    static final class CountingUpstream implements Resolver {
        final AtomicInteger questions = new AtomicInteger();

        @Override
        public CompletionStage<Message> sendAsync(Message query, Executor executor) {
            questions.incrementAndGet();
            Message response = new Message(query.getHeader().getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setFlag(Flags.RA);
            Record question = query.getQuestion();
            response.addRecord(question, Section.QUESTION);
            if (question.getType() == Type.A) {
                try {
                    response.addRecord(
                            Record.fromString(question.getName(), Type.A, DClass.IN, 60, "192.0.2.1", Name.root),
                            Section.ANSWER);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }
            return CompletableFuture.completedFuture(response);
        }

        @Override
        public void setPort(int port) {}

        @Override
        public void setTCP(boolean flag) {}

        @Override
        public void setIgnoreTruncation(boolean flag) {}

        @Override
        public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

        @Override
        public void setTSIGKey(TSIG key) {}

        @Override
        public void setTimeout(Duration timeout) {}
    }

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void cachedAnswersAreReusedForTheirTtlAndNoLonger() throws Exception {
        CountingUpstream upstream = new CountingUpstream();
        ManualClock clock = new ManualClock();
        TrustAnchors anchors = TrustAnchors.of(List.of("lab.example. IN DS 12345 13 2 " + "00".repeat(32)), "test");
        ValidatingDnsLookup lookup =
                new ValidatingDnsLookup(upstream, anchors, Duration.ofSeconds(2), Duration.ofMinutes(5), clock);

        DnsAnswer first = lookup.lookup(OTHER, Type.A);
        int afterFirst = upstream.questions.get();
        DnsAnswer second = lookup.lookup(OTHER, Type.A);
        clock.now = clock.now.plusSeconds(61);
        lookup.lookup(OTHER, Type.A);

        assertThat(first.security()).as(first.toString()).isEqualTo(Security.INSECURE);
        assertThat(first.records()).hasSize(1);
        assertThat(afterFirst).isPositive();
        assertThat(second).isEqualTo(first);
        assertThat(upstream.questions.get())
                .as("asked again after the 60 s TTL only")
                .isEqualTo(2 * afterFirst);
    }

    @Test
    void withoutCacheEveryLookupAsks() throws Exception {
        CountingUpstream upstream = new CountingUpstream();
        TrustAnchors anchors = TrustAnchors.of(List.of("lab.example. IN DS 12345 13 2 " + "00".repeat(32)), "test");
        ValidatingDnsLookup lookup =
                new ValidatingDnsLookup(upstream, anchors, Duration.ofSeconds(2), Duration.ZERO, new ManualClock());

        lookup.lookup(OTHER, Type.A);
        int afterFirst = upstream.questions.get();
        lookup.lookup(OTHER, Type.A);

        assertThat(upstream.questions.get()).isEqualTo(2 * afterFirst);
    }
}
