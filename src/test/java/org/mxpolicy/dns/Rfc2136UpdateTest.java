package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dns.UpdateException.Reason;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.Type;

class Rfc2136UpdateTest {

    private static final Name ZONE = Name.fromConstantString("lab.example.");
    private static final InetSocketAddress PRIMARY = new InetSocketAddress("192.0.2.53", 53);
    private static final TSIG KEY = new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromConstantString("update."),
            Base64.getDecoder().decode("67nZs1VMNtPGNrNtbn9oGZpxG1g7jI8+veUTe/jIB4k="));
    private static final TSIG OTHER_KEY = new TSIG(
            TSIG.HMAC_SHA256,
            Name.fromConstantString("update."),
            Base64.getDecoder().decode("HGBN5nNnFfy8rAeuE8IR22DyRm4y+G8XM9mGZCb0mgo="));

    private final List<Duration> sleeps = new ArrayList<>();
    private final Rfc2136Update.RetryPolicy retry =
            new Rfc2136Update.RetryPolicy(3, Duration.ofMillis(200), sleeps::add);

    private static Record tlsa(String owner, String hexByte) throws IOException {
        return Record.fromString(
                Name.fromString(owner, ZONE), Type.TLSA, DClass.IN, 300, "3 1 1 " + hexByte.repeat(32), ZONE);
    }

    private static RrsetChange change(String owner, List<Record> before, List<Record> after) throws IOException {
        return new RrsetChange(Name.fromString(owner, ZONE), Type.TLSA, before, after);
    }

    private Rfc2136Update updater(Rfc2136Update.Transport transport) {
        return new Rfc2136Update(PRIMARY, transport, retry, Rfc2136Update.MAX_MESSAGE_BYTES);
    }

    @Test
    void createRequiresTheRrsetToBeAbsentAndAddsItsRecords() throws Exception {
        Record a = tlsa("_25._tcp.mx1", "aa");
        List<Rfc2136Update.Batch> batches =
                updater(null).batches(ZONE, List.of(change("_25._tcp.mx1", List.of(), List.of(a))));

        Message m = batches.get(0).message();
        assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.UPDATE);
        assertThat(m.getSection(Section.ZONE)).singleElement().satisfies(z -> {
            assertThat(z.getName()).isEqualTo(ZONE);
            assertThat(z.getType()).isEqualTo(Type.SOA);
        });
        // RFC 2136 section 2.4.3: RRset does not exist.
        assertThat(m.getSection(Section.PREREQ)).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo(a.getName());
            assertThat(p.getType()).isEqualTo(Type.TLSA);
            assertThat(p.getDClass()).isEqualTo(DClass.NONE);
            assertThat(p.getTTL()).isZero();
            assertThat(p.rdataToWireCanonical()).isEmpty();
        });
        assertThat(m.getSection(Section.UPDATE)).containsExactly(a);
        assertThat(m.getSection(Section.UPDATE).get(0).getTTL()).isEqualTo(300);
    }

    @Test
    void changeRequiresTheObservedRecordsDeletesTheRrsetAndAddsTheWantedOnes() throws Exception {
        Record a1 = tlsa("_25._tcp.mx1", "a1");
        Record a2 = tlsa("_25._tcp.mx1", "a2");
        Record b = tlsa("_25._tcp.mx1", "bb");

        Message m = updater(null)
                .batches(ZONE, List.of(change("_25._tcp.mx1", List.of(a1, a2), List.of(b))))
                .get(0)
                .message();

        // RFC 2136 section 2.4.2: RRset exists (value dependent), class IN, TTL 0.
        assertThat(m.getSection(Section.PREREQ)).containsExactly(a1, a2).allSatisfy(p -> {
            assertThat(p.getDClass()).isEqualTo(DClass.IN);
            assertThat(p.getTTL()).isZero();
        });
        List<Record> updates = m.getSection(Section.UPDATE);
        assertThat(updates).hasSize(2);
        // RFC 2136 section 2.5.2: delete an RRset, class ANY, TTL 0, no RDATA.
        assertThat(updates.get(0).getDClass()).isEqualTo(DClass.ANY);
        assertThat(updates.get(0).getType()).isEqualTo(Type.TLSA);
        assertThat(updates.get(0).getName()).isEqualTo(b.getName());
        assertThat(updates.get(0).getTTL()).isZero();
        assertThat(updates.get(0).rdataToWireCanonical()).isEmpty();
        assertThat(updates.get(1)).isEqualTo(b);
    }

    @Test
    void deleteRequiresTheObservedRecordsAndOnlyDeletes() throws Exception {
        Record a = tlsa("_25._tcp.mx1", "aa");

        Message m = updater(null)
                .batches(ZONE, List.of(change("_25._tcp.mx1", List.of(a), List.of())))
                .get(0)
                .message();

        assertThat(m.getSection(Section.PREREQ)).containsExactly(a);
        assertThat(m.getSection(Section.UPDATE))
                .singleElement()
                .satisfies(u -> assertThat(u.getDClass()).isEqualTo(DClass.ANY));
    }

    @Test
    void manyChangesAreSplitIntoMessagesUnderTheLimitKeepingEachChangeWhole() throws Exception {
        List<RrsetChange> changes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changes.add(change(
                    "_25._tcp.mx" + i,
                    List.of(tlsa("_25._tcp.mx" + i, "aa")),
                    List.of(tlsa("_25._tcp.mx" + i, "bb"), tlsa("_25._tcp.mx" + i, "cc"))));
        }
        int limit = 1500;
        Rfc2136Update update = new Rfc2136Update(PRIMARY, null, retry, limit);

        List<Rfc2136Update.Batch> batches = update.batches(ZONE, changes);

        assertThat(batches).hasSizeGreaterThan(1);
        assertThat(batches.stream().flatMap(b -> b.changes().stream()).toList()).containsExactlyElementsOf(changes);
        for (Rfc2136Update.Batch batch : batches) {
            assertThat(batch.message().toWire().length).isLessThanOrEqualTo(limit);
            for (Record prereq : batch.message().getSection(Section.PREREQ)) {
                // the change of this prerequisite travels in the same message
                assertThat(batch.changes())
                        .anySatisfy(c -> assertThat(c.owner()).isEqualTo(prereq.getName()));
                assertThat(batch.message().getSection(Section.UPDATE))
                        .anySatisfy(u -> assertThat(u.getName()).isEqualTo(prereq.getName()));
            }
            assertThat(batch.message().getSection(Section.PREREQ))
                    .hasSize(batch.changes().size());
            assertThat(batch.message().getSection(Section.UPDATE))
                    .hasSize(3 * batch.changes().size());
        }
    }

    @Test
    void thousandsOfRecordsStayUnderSixtyFourKibibytesPerMessage() throws Exception {
        List<RrsetChange> changes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            changes.add(change(
                    "_25._tcp.host-with-a-long-name-" + i,
                    List.of(),
                    List.of(tlsa("_25._tcp.host-with-a-long-name-" + i, "ab"))));
        }

        List<Rfc2136Update.Batch> batches = updater(null).batches(ZONE, changes);

        assertThat(batches).hasSizeGreaterThan(1);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.message().toWire().length).isLessThanOrEqualTo(Rfc2136Update.MAX_MESSAGE_BYTES);
            // signed, it still fits a TCP message (RFC 1035 section 4.2.2) with half of it to spare
            assertThat(b.message().toWire().length + KEY.recordLength()).isLessThan(65535 / 2 + 1024);
        });
    }

    @Test
    void successAfterTimeoutsIsRetriedWithExponentialBackoff() throws Exception {
        List<Message> sent = new ArrayList<>();
        FakePrimary primary = new FakePrimary(KEY, attempt -> attempt < 3 ? null : Rcode.NOERROR);

        int messages = updater(u -> {
                    sent.add(u);
                    return primary.answer(u);
                })
                .apply(ZONE, List.of(change("_25._tcp.mx1", List.of(), List.of(tlsa("_25._tcp.mx1", "aa")))));

        assertThat(messages).isEqualTo(1);
        assertThat(sent).hasSize(3);
        assertThat(sleeps).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void serverFailureThatPersistsIsUnavailableAfterAllAttempts() throws Exception {
        FakePrimary primary = new FakePrimary(KEY, attempt -> Rcode.SERVFAIL);

        UpdateException e = catchThrowableOfType(
                UpdateException.class,
                () -> updater(primary::answer)
                        .apply(ZONE, List.of(change("_25._tcp.mx1", List.of(), List.of(tlsa("_25._tcp.mx1", "aa"))))));

        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(e.getMessage())
                .isEqualTo("update of lab.example. (_25._tcp.mx1.lab.example. TLSA) at " + PRIMARY
                        + ": SERVFAIL after 3 attempts");
        assertThat(primary.attempts).isEqualTo(3);
    }

    @Test
    void failedPrerequisiteIsAConcurrentChangeAndNotRetried() throws Exception {
        for (int rcode : new int[] {Rcode.NXRRSET, Rcode.YXRRSET, Rcode.NXDOMAIN, Rcode.YXDOMAIN}) {
            FakePrimary primary = new FakePrimary(KEY, attempt -> rcode);

            UpdateException e = catchThrowableOfType(
                    UpdateException.class,
                    () -> updater(primary::answer)
                            .apply(
                                    ZONE,
                                    List.of(change("_25._tcp.mx1", List.of(tlsa("_25._tcp.mx1", "aa")), List.of()))));

            assertThat(e.reason()).isEqualTo(Reason.CONCURRENT_CHANGE);
            assertThat(e.getMessage())
                    .contains(
                            "lab.example.",
                            "_25._tcp.mx1.lab.example. TLSA",
                            "prerequisite failed (" + Rcode.string(rcode) + ")");
            assertThat(primary.attempts).isEqualTo(1);
        }
        assertThat(sleeps).isEmpty();
    }

    @Test
    void refusalsAndTsigErrorsAreNotAuthorizedAndNotRetried() throws Exception {
        record Case(String name, FakePrimary primary, String says) {}
        List<Case> cases = List.of(
                new Case("REFUSED", new FakePrimary(KEY, attempt -> Rcode.REFUSED), "REFUSED"),
                new Case("NOTAUTH", new FakePrimary(KEY, attempt -> Rcode.NOTAUTH), "NOTAUTH"),
                new Case("BADSIG", FakePrimary.tsigError(Rcode.BADSIG), "TSIG error BADSIG"),
                new Case("BADKEY", FakePrimary.tsigError(Rcode.BADKEY), "TSIG error BADKEY"),
                new Case("BADTIME", FakePrimary.tsigError(Rcode.BADTIME), "TSIG error BADTIME"),
                new Case("unsigned answer", FakePrimary.unsigned(), "is not signed"),
                new Case(
                        "answer signed with another key",
                        new FakePrimary(OTHER_KEY, attempt -> Rcode.NOERROR),
                        "does not verify"));
        for (Case c : cases) {
            UpdateException e = catchThrowableOfType(
                    UpdateException.class,
                    () -> updater(c.primary()::answer)
                            .apply(
                                    ZONE,
                                    List.of(change("_25._tcp.mx1", List.of(), List.of(tlsa("_25._tcp.mx1", "aa"))))));

            assertThat(e).as(c.name()).isNotNull();
            assertThat(e.reason()).as(c.name()).isEqualTo(Reason.NOT_AUTHORIZED);
            assertThat(e.getMessage()).as(c.name()).contains(c.says(), "_25._tcp.mx1.lab.example. TLSA");
            assertThat(c.primary().attempts).as(c.name()).isEqualTo(1);
        }
    }

    @Test
    void aFailureInALaterMessageSaysWhichMessagesWereApplied() throws Exception {
        List<RrsetChange> changes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            changes.add(change("_25._tcp.mx" + i, List.of(), List.of(tlsa("_25._tcp.mx" + i, "aa"))));
        }
        FakePrimary primary = new FakePrimary(KEY, attempt -> attempt == 2 ? Rcode.YXRRSET : Rcode.NOERROR);
        Rfc2136Update update = new Rfc2136Update(PRIMARY, primary::answer, retry, 150);

        UpdateException e = catchThrowableOfType(UpdateException.class, () -> update.apply(ZONE, changes));

        assertThat(e.reason()).isEqualTo(Reason.CONCURRENT_CHANGE);
        assertThat(e.getMessage())
                .contains("(_25._tcp.mx1.lab.example. TLSA)", "message 2 of 3 (the first 1 were applied)");
    }

    /**
     * A primary that answers with a given response code per attempt (null: no answer), signing its
     * responses with a key, and verifying them as dnsjava's resolver does on the way back.
     */
    static final class FakePrimary {
        private final TSIG key;
        private final Function<Integer, Integer> rcodeForAttempt;
        private final int tsigError;
        private final boolean sign;
        int attempts;

        FakePrimary(TSIG key, Function<Integer, Integer> rcodeForAttempt) {
            this(key, rcodeForAttempt, Rcode.NOERROR, true);
        }

        private FakePrimary(TSIG key, Function<Integer, Integer> rcodeForAttempt, int tsigError, boolean sign) {
            this.key = key;
            this.rcodeForAttempt = rcodeForAttempt;
            this.tsigError = tsigError;
            this.sign = sign;
        }

        static FakePrimary tsigError(int error) {
            return new FakePrimary(KEY, attempt -> Rcode.NOTAUTH, error, true);
        }

        static FakePrimary unsigned() {
            return new FakePrimary(KEY, attempt -> Rcode.NOERROR, Rcode.NOERROR, false);
        }

        Message answer(Message update) throws IOException {
            attempts++;
            Integer rcode = rcodeForAttempt.apply(attempts);
            if (rcode == null) {
                throw new SocketTimeoutException("timed out");
            }
            // The client signs the query (as SimpleResolver does with its TSIG key).
            Message query = update.clone();
            query.setTSIG(KEY);
            byte[] queryWire = query.toWire(65535);
            TSIGRecord queryTsig = new Message(queryWire).getTSIG();

            Message response = new Message(update.getHeader().getID());
            response.getHeader().setFlag(Flags.QR);
            response.getHeader().setOpcode(Opcode.UPDATE);
            response.getHeader().setRcode(rcode);
            response.addRecord(update.getSection(Section.ZONE).get(0), Section.ZONE);
            if (sign) {
                response.setTSIG(key, tsigError, queryTsig);
            }
            byte[] wire = response.toWire(65535);
            Message received = new Message(wire);
            if (received.getTSIG() != null) {
                KEY.verify(received, wire, queryTsig);
            }
            return received;
        }
    }
}
