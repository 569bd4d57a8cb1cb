package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.KnotServer;
import org.mxpolicy.testing.LabFiles;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Ownership and retirement against a real Knot that signs the zone and takes RFC 2136 updates:
 * records added by hand in the same zone are never touched; a host and a domain removed from the
 * config go through the retirement rules and disappear once the rules allow (time moved with the
 * fixed clock every command takes from {@link ClockFactory}); a run that crashed before its
 * ledger was written, and a lost ledger, end where an uninterrupted run ends; a plan deleting more
 * than the configured share is refused without {@code --force}. The steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OwnershipRetirementIT {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name TSIG_NAME = Name.fromConstantString("mxpolicy-update.");
    private static final Name TLSA_MX1 = Name.fromConstantString("_25._tcp.mx1.example.test.");
    private static final Name TLSA_MX2 = Name.fromConstantString("_25._tcp.mx2.example.test.");
    private static final Name STS_SUB = Name.fromConstantString("_mta-sts.sub.example.test.");
    private static final Name RPT_SUB = Name.fromConstantString("_smtp._tls.sub.example.test.");
    private static final Name RPT_APEX = Name.fromConstantString("_smtp._tls.example.test.");
    private static final Name HAND = Name.fromConstantString("hand.example.test.");
    private static final InMemoryPki.Issuer CA =
            InMemoryPki.intermediateCa("Ownership Lab CA", InMemoryPki.rootCa("Ownership Lab Root"));
    /** Whole seconds: the withdrawal id carries its start in epoch seconds. */
    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private static final long MAX_AGE = 86400;

    @TempDir
    static Path dir;

    private static KnotServer knot;
    private static String secret;
    private static Path ledger;

    @BeforeAll
    static void lab() throws Exception {
        secret = Base64.getEncoder()
                .encodeToString("ownership-lab-tsig-secret-012345".getBytes(StandardCharsets.US_ASCII));
        // hand-made records: one at a name where mxpolicy owns another type, one elsewhere, one
        // _mta-sts TXT of a domain the config does not name
        Files.writeString(dir.resolve("example.test.zone"), """
                $ORIGIN example.test.
                $TTL 300
                @        IN SOA ns1 hostmaster 1 3600 600 86400 300
                @        IN NS  ns1
                @        IN MX  10 mx1
                @        IN MX  20 mx2
                ns1      IN A   127.0.0.1
                mx1      IN A   127.0.0.1
                mx2      IN A   127.0.0.1
                _25._tcp.mx2 IN TXT "added by hand"
                hand     IN TXT "added by hand"
                _mta-sts.other IN TXT "v=STSv1; id=byhand"
                """);
        knot = KnotServer.signing(dir, ZONE, dir.resolve("example.test.zone"), TSIG_NAME, secret);
        LabFiles.tsigKey(dir.resolve("update.tsig"), TSIG_NAME, secret);
        LabFiles.serverKeyAndChain(dir, "mx1", "mx1.example.test", CA);
        LabFiles.serverKeyAndChain(dir, "mx2", "mx2.example.test", CA);
        LabFiles.serverKeyAndChain(dir, "mx3", "mx3.example.test", CA);
        Files.createDirectory(dir.resolve("state"));
        ledger = dir.resolve("state/_ownership/ledger.json");
    }

    @AfterAll
    static void stop() {
        if (knot != null) {
            knot.close();
        }
    }

    @Test
    @Order(1)
    void firstPublishCreatesTheRecordsAndTheirMarkers() throws Exception {
        config(true, true, true, 50);

        Run run = publish(T0, "--apply");

        assertThat(run.code()).as(run.all()).isZero();
        assertThat(served(TLSA_MX2, Type.TLSA)).hasSize(1);
        assertThat(served(STS_SUB, Type.TXT)).hasSize(1);
        // sub.example.test has no MX RRset yet: it may name mx1 once the new policy has aged
        assertThat(run.out()).contains("held [retire.mx-change] sub.example.test. MX until " + T0.plusSeconds(MAX_AGE));
        assertThat(texts(Name.fromConstantString("_mxpolicy._25._tcp.mx2.example.test.")))
                .containsExactly("v=mxpolicy1 owner=lab-a types=TLSA");
        assertThat(texts(Name.fromConstantString("_mxpolicy._mta-sts.sub.example.test.")))
                .containsExactly("v=mxpolicy1 owner=lab-a types=TXT");
        assertThat(Files.readString(ledger)).contains("\"_25._tcp.mx2.example.test.\"");
        handRecordsAreUntouched();
    }

    @Test
    @Order(2)
    void aHostNamedByTheMxAndADomainLeavingMtaStsAreHeldAndTheRestRetired() throws Exception {
        config(false, false, true, 50);
        Instant t1 = T0.plusSeconds(3600);
        String before = Files.readString(ledger);

        Run run = publish(t1, "--apply");

        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.out())
                .contains("held [retire.tlsa-named-by-mx] _25._tcp.mx2.example.test. TLSA")
                .contains("held [retire.mta-sts-withdrawal] _mta-sts.sub.example.test. TXT until "
                        + t1.plusSeconds(MAX_AGE))
                .contains("retired [retire.deleted] _smtp._tls.sub.example.test. TXT");
        assertThat(served(TLSA_MX2, Type.TLSA)).hasSize(1);
        assertThat(texts(STS_SUB)).containsExactly("v=STSv1; id=none" + t1.getEpochSecond() + "t" + MAX_AGE);
        assertThat(served(RPT_SUB, Type.TXT)).isEmpty();
        assertThat(served(Name.fromConstantString("_mxpolicy._smtp._tls.sub.example.test."), Type.TXT))
                .isEmpty();
        handRecordsAreUntouched();
        String after = Files.readString(ledger);
        assertThat(after).contains("mta_sts_withdrawals").contains("none" + t1.getEpochSecond() + "t" + MAX_AGE);

        Run check = command(
                t1.plusSeconds(30), "check", "-c", dir.resolve("provider.yaml").toString(), "--timeout", "2s");
        assertThat(check.out())
                .contains("[ownership.retirement-in-progress]")
                .contains("go from " + t1.plusSeconds(MAX_AGE))
                .contains("[ownership.due-for-deletion]")
                .contains("_25._tcp.mx2.example.test. TLSA was published by mxpolicy");

        // a crash after the update, before the ledger was written: the run again ends the same
        Files.writeString(ledger, before);
        Run again = publish(t1.plusSeconds(60), "--apply");
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(again.out()).doesNotContain("CREATE", "CHANGE", "DELETE");
        assertThat(Files.readString(ledger)).isEqualTo(after);
        assertThat(texts(STS_SUB)).containsExactly("v=STSv1; id=none" + t1.getEpochSecond() + "t" + MAX_AGE);
    }

    @Test
    @Order(3)
    void theTlsaRecordGoesOnceNoMxNamesTheHost() throws Exception {
        dropMx("mx2.example.test.");
        String before = Files.readString(ledger);

        Run run = publish(T0.plusSeconds(7200), "--apply");

        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.out()).contains("retired [retire.deleted] _25._tcp.mx2.example.test. TLSA");
        assertThat(served(TLSA_MX2, Type.TLSA)).isEmpty();
        assertThat(served(Name.fromConstantString("_mxpolicy._25._tcp.mx2.example.test."), Type.TXT))
                .isEmpty();
        assertThat(texts(TLSA_MX2)).as("the hand-made TXT at the same name").containsExactly("added by hand");
        assertThat(served(TLSA_MX1, Type.TLSA)).hasSize(1);
        handRecordsAreUntouched();
        sameEndAfterACrashBeforeTheLedger(before, T0.plusSeconds(7260));
    }

    /**
     * A crash after the update, before the ledger was written: the ledger is the one from before
     * the run; the run again changes nothing in DNS and writes the ledger the first run wrote.
     */
    private static void sameEndAfterACrashBeforeTheLedger(String before, Instant now) throws IOException {
        String after = Files.readString(ledger);
        Files.writeString(ledger, before);
        Run again = publish(now, "--apply");
        assertThat(again.code()).as(again.all()).isZero();
        assertThat(again.out()).doesNotContain("CREATE", "CHANGE", "DELETE");
        assertThat(Files.readString(ledger)).isEqualTo(after);
    }

    @Test
    @Order(4)
    void aLostLedgerIsRebuiltFromTheMarkers() throws Exception {
        String kept = Files.readString(ledger);
        Files.delete(ledger);

        Run dry = publish(T0.plusSeconds(10800));
        assertThat(dry.code()).as(dry.all()).isZero();
        assertThat(dry.out())
                .contains("held [retire.mta-sts-withdrawal] _mta-sts.sub.example.test. TXT")
                .doesNotContain("CREATE", "CHANGE", "DELETE");

        Run run = publish(T0.plusSeconds(10800), "--apply");
        assertThat(run.code()).as(run.all()).isZero();
        String rebuilt = Files.readString(ledger);
        assertThat(rebuilt)
                .contains("\"_mta-sts.sub.example.test.\"", "\"_25._tcp.mx1.example.test.\"")
                .contains("none" + T0.plusSeconds(3600).getEpochSecond() + "t" + MAX_AGE);
        assertThat(kept).contains("\"_mta-sts.sub.example.test.\"");
    }

    @Test
    @Order(5)
    void theWithdrawnPolicyGoesAfterTheOldMaxAge() throws Exception {
        Instant end = T0.plusSeconds(3600 + MAX_AGE);

        Run early = publish(end.minusSeconds(1), "--apply");
        assertThat(early.code()).as(early.all()).isZero();
        assertThat(served(STS_SUB, Type.TXT)).hasSize(1);

        String before = Files.readString(ledger);
        Run run = publish(end, "--apply");
        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.out()).contains("retired [retire.deleted] _mta-sts.sub.example.test. TXT");
        assertThat(served(STS_SUB, Type.TXT)).isEmpty();
        assertThat(served(Name.fromConstantString("_mxpolicy._mta-sts.sub.example.test."), Type.TXT))
                .isEmpty();
        assertThat(Files.readString(ledger)).doesNotContain("sub.example.test");
        handRecordsAreUntouched();
        sameEndAfterACrashBeforeTheLedger(before, end.plusSeconds(30));
    }

    @Test
    @Order(6)
    void deletingMoreThanTheShareIsRefusedWithoutForce() throws Exception {
        config(false, false, false, 10);
        Instant t = T0.plusSeconds(3600 + MAX_AGE + 60);

        Run refused = publish(t, "--apply");
        assertThat(refused.code()).as(refused.all()).isEqualTo(1);
        assertThat(refused.all()).contains("[plan.deletion-share]").contains("--force");
        assertThat(served(RPT_APEX, Type.TXT)).hasSize(1);

        Run forced = publish(t, "--apply", "--force");
        assertThat(forced.code()).as(forced.all()).isZero();
        assertThat(served(RPT_APEX, Type.TXT)).isEmpty();
        handRecordsAreUntouched();
    }

    @Test
    @Order(7)
    void anotherInstallationNeitherTakesOverNorDeletesWhatThisOneOwns() throws Exception {
        Files.createDirectories(dir.resolve("state-b"));
        // the other installation's config no longer names mx1, whose records lab-a owns
        config(false, false, false, 50, "lab-b", "state-b");
        String yaml = Files.readString(dir.resolve("provider.yaml"));
        Files.writeString(
                dir.resolve("provider.yaml"),
                yaml.replace("host: mx1.example.test", "host: mx3.example.test").replace("mx1.pem", "mx3.pem"));

        Run run = publish(T0.plusSeconds(3600 + MAX_AGE + 120), "--apply");

        assertThat(run.code()).as(run.all()).isZero();
        assertThat(run.out()).doesNotContain("DELETE _25._tcp.mx1.example.test.");
        assertThat(served(TLSA_MX1, Type.TLSA)).hasSize(1);
        assertThat(texts(Name.fromConstantString("_mxpolicy._25._tcp.mx1.example.test.")))
                .containsExactly("v=mxpolicy1 owner=lab-a types=TLSA");
        assertThat(texts(Name.fromConstantString("_mxpolicy._25._tcp.mx3.example.test.")))
                .containsExactly("v=mxpolicy1 owner=lab-b types=TLSA");

        // and it refuses an RRset lab-a's marker claims
        config(false, false, false, 50, "lab-b", "state-b");
        Run claimed = publish(T0.plusSeconds(3600 + MAX_AGE + 180));
        assertThat(claimed.code()).as(claimed.all()).isEqualTo(1);
        assertThat(claimed.all()).contains("[plan.owned-by-other]").contains("_25._tcp.mx1.example.test.");
        handRecordsAreUntouched();
    }

    // ------------------------------------------------------------------ lab

    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Run publish(Instant now, String... more) {
        List<String> args = new ArrayList<>(
                List.of("publish", "-c", dir.resolve("provider.yaml").toString(), "--wait", "0"));
        args.addAll(List.of(more));
        return command(now, args.toArray(String[]::new));
    }

    /** Runs a command in-process with the clock fixed at {@code now}. */
    private static Run command(Instant now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args, new PrintWriter(out, true), new PrintWriter(err, true), Clock.fixed(now, ZoneOffset.UTC));
        return new Run(code, out.toString(), err.toString());
    }

    private static void handRecordsAreUntouched() throws IOException {
        assertThat(texts(HAND)).containsExactly("added by hand");
        assertThat(texts(TLSA_MX2)).containsExactly("added by hand");
        assertThat(texts(Name.fromConstantString("_mta-sts.other.example.test.")))
                .containsExactly("v=STSv1; id=byhand");
        assertThat(served(ZONE, Type.MX)).isNotEmpty();
    }

    /** The operator changes the MX RRset, by RFC 2136 as any tool would. */
    private static void dropMx(String host) throws IOException {
        Update update = new Update(ZONE);
        update.delete(new MXRecord(ZONE, DClass.IN, 300, 20, Name.fromConstantString(host)));
        SimpleResolver resolver = knot.resolver();
        resolver.setTCP(true);
        resolver.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, TSIG_NAME, secret));
        Message response = resolver.send(update);
        assertThat(Rcode.string(response.getRcode())).isEqualTo("NOERROR");
    }

    private static List<Record> served(Name name, int type) throws IOException {
        Message response = knot.resolver().send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        return response.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == type)
                .toList();
    }

    private static List<String> texts(Name name) throws IOException {
        return served(name, Type.TXT).stream()
                .map(r -> String.join("", ((org.xbill.DNS.TXTRecord) r).getStrings()))
                .toList();
    }

    /**
     * @param mx2 whether example.test still lists mx2 among its MX hosts
     * @param sub whether the domain sub.example.test (MTA-STS, TLS-RPT) is in the config
     * @param apexReports whether example.test asks for TLS reports
     * @param share ownership.max_deletion_percent
     */
    private static void config(boolean mx2, boolean sub, boolean apexReports, int share) throws IOException {
        config(mx2, sub, apexReports, share, "lab-a", "state");
    }

    /**
     * @param ownerId ownership.owner_id
     * @param stateDir rollover.state_dir, where the ledger is
     */
    private static void config(
            boolean mx2, boolean sub, boolean apexReports, int share, String ownerId, String stateDir)
            throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("""
                zones:
                  example.test:
                    ttl: 300
                    nameservers: [ "127.0.0.1:%1$d" ]
                    update: { server: "127.0.0.1:%1$d", key: update.tsig }
                dns:
                  resolvers: [ "127.0.0.1:%1$d" ]
                  trust_anchors: [ "%2$s" ]
                rollover:
                  state_dir: %4$s
                ownership:
                  owner_id: %5$s
                  max_deletion_percent: %3$d
                  min_owned: 1
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: mx1.pem
                        tlsa: { issuer: false }
                """.formatted(knot.port(), knot.ds(ZONE).get(0).toString(), share, stateDir, ownerId));
        if (mx2) {
            yaml.append("""
                          - host: mx2.example.test
                            cert: mx2.pem
                            tlsa: { issuer: false }
                    """);
        }
        if (apexReports) {
            yaml.append("""
                        tls_rpt: { rua: "mailto:tlsrpt@example.test" }
                    """);
        }
        if (sub) {
            yaml.append("""
                      - name: sub.example.test
                        mx:
                          - host: mx1.example.test
                            cert: mx1.pem
                            tlsa: { issuer: false }
                        mta_sts: { mode: enforce, max_age: %d }
                        tls_rpt: { rua: "mailto:tlsrpt@example.test" }
                    """.formatted(MAX_AGE));
        }
        Files.writeString(dir.resolve("provider.yaml"), yaml.toString());
    }
}
