package org.mxpolicy.dnssec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cli.Main;
import org.mxpolicy.dnssec.KeyTiming.Event;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.Launcher;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Keys made by BIND's {@code dnssec-keygen} with timing fields sign exactly when their times say,
 * the steps of a ZSK rollover by pre-publication pass ldns-verify-zone, dnssec-verify and
 * kzonecheck, and {@code dnssec-signzone -S} picks the same keys for every RRset type from the
 * same directory at the same time. Keys made by {@code mxpolicy keygen} with timing options read
 * the same in BIND.
 */
class KeyTimingInteropIT {

    private static final String ZONE = "example.test";
    private static final Name ORIGIN = Name.fromConstantString(ZONE + ".");
    private static final String ZONE_TEXT = """
            $TTL 3600
            example.test. IN SOA ns1.example.test. hostmaster.example.test. 1 7200 3600 1209600 3600
            example.test. IN NS ns1.example.test.
            example.test. IN MX 10 mx1.example.test.
            ns1.example.test. IN A 192.0.2.1
            mx1.example.test. IN A 192.0.2.25
            _25._tcp.mx1.example.test. IN TLSA 3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            """;

    @TempDir
    Path dir;

    @Test
    void aBindKeySignsExactlyWhenItsTimingSays() throws Exception {
        Path zone = Files.writeString(dir.resolve("zone.db"), ZONE_TEXT);
        bindKey("-f", "KSK", "-P", "20291101000000", "-A", "20291101000000");
        int steady = tag(bindKey("-P", "20291101000000", "-A", "20291101000000"));
        int rolled = tag(bindKey(
                "-P", "20291201000000", "-A", "20291215000000", "-I", "20300115000000", "-D", "20300201000000"));

        record Step(String time, boolean published, boolean signs) {}
        for (Step step : List.of(
                new Step("20291120000000", false, false),
                new Step("20291205000000", true, false),
                new Step("20291220000000", true, true),
                new Step("20300120000000", true, false),
                new Step("20300205000000", false, false))) {
            Instant at = KeyTiming.parse(step.time());
            Path signed = dir.resolve("signed." + step.time());
            mxpolicySign(at, zone, signed);
            List<Record> records = read(signed);

            assertThat(dnskeyTags(records).contains(rolled))
                    .as("DNSKEY of the rolled key at %s", step.time())
                    .isEqualTo(step.published());
            assertThat(allSignerTags(records).contains(rolled))
                    .as("signatures of the rolled key at %s", step.time())
                    .isEqualTo(step.signs());
            assertThat(signerTags(records).get("SOA")).contains(steady);
            String epoch = Long.toString(at.getEpochSecond());
            ExternalTool.require("ldns-verify-zone")
                    .run("-t", step.time(), signed.toString())
                    .assertSuccess();
            ExternalTool.require("kzonecheck")
                    .run("-o", ZONE, "-d", "on", "-t", epoch, signed.toString())
                    .assertSuccess();
        }
    }

    @Test
    void zskRolloverStepsValidateAndMatchDnssecSignzone() throws Exception {
        Path zone = Files.writeString(dir.resolve("zone.db"), ZONE_TEXT);
        // the KSK from mxpolicy, the ZSKs from BIND: both read the other's timing
        String ksk = mxpolicyKeygen("--ksk", "--publish=-60d", "--activate=-60d");
        String oldZsk = bindKey("-P", "-60d", "-A", "-60d");
        String newZsk = bindKey("-P", "-1d", "-A", "+10d");
        String futureZsk = bindKey("-P", "+5d", "-A", "+20d");
        String goneZsk = bindKey("-P", "-90d", "-A", "-90d", "-I", "-40d", "-D", "-30d");
        Path signed = dir.resolve("signed.mxpolicy");

        // pre-publication: the old ZSK signs, the new one is published
        mxpolicySign(now(), zone, signed);
        List<Record> prepublished = read(signed);
        assertThat(dnskeyTags(prepublished)).containsExactlyInAnyOrder(tag(ksk), tag(oldZsk), tag(newZsk));
        assertThat(dnskeyTags(prepublished)).doesNotContain(tag(futureZsk), tag(goneZsk));
        assertThat(signerTags(prepublished).get("DNSKEY")).containsExactly(tag(ksk));
        assertThat(signerTags(prepublished).get("TLSA")).containsExactly(tag(oldZsk));
        assertValidates(signed);
        assertSameAsDnssecSignzone(zone, prepublished);

        // the switch: the old ZSK inactive but still published, the new one signs
        settime(oldZsk, "-I", "-1h");
        settime(newZsk, "-A", "-1h");
        mxpolicySign(now(), zone, signed); // the previous output is there: its fresh signatures are candidates
        List<Record> switched = read(signed);
        assertThat(dnskeyTags(switched)).containsExactlyInAnyOrder(tag(ksk), tag(oldZsk), tag(newZsk));
        assertThat(allSignerTags(switched)).doesNotContain(tag(oldZsk));
        assertThat(signerTags(switched).get("TLSA")).containsExactly(tag(newZsk));
        assertValidates(signed);
        assertSameAsDnssecSignzone(zone, switched);
    }

    @Test
    void aRevokedKskSelfSignsTheDnskeySetAsDnssecSignzoneDoes() throws Exception {
        Path zone = Files.writeString(dir.resolve("zone.db"), ZONE_TEXT);
        String ksk = bindKey("-f", "KSK", "-P", "-60d", "-A", "-60d");
        String revoked = bindKey("-f", "KSK", "-P", "-90d", "-A", "-90d", "-R", "-1d");
        String zsk = bindKey("-P", "-60d", "-A", "-60d");
        Path signed = dir.resolve("signed.mxpolicy");

        mxpolicySign(now(), zone, signed);

        List<Record> records = read(signed);
        int revokedTag = new KeyDirectory(dir)
                .loadKey(dir.resolve(revoked + ".key"), false)
                .revoked()
                .keyTag();
        assertThat(revokedTag).isNotEqualTo(tag(revoked));
        assertThat(dnskeyTags(records)).containsExactlyInAnyOrder(tag(ksk), revokedTag, tag(zsk));
        assertThat(signerTags(records).get("DNSKEY")).containsExactlyInAnyOrder(tag(ksk), revokedTag);
        assertThat(signerTags(records).get("SOA")).containsExactly(tag(zsk));
        assertValidates(signed);
        assertSameAsDnssecSignzone(zone, records);
    }

    @Test
    void bindReadsTheTimingOfMxpolicyKeygen() throws Exception {
        String base = mxpolicyKeygen("--zsk", "--activate", "+1d", "--inactive", "+30d", "--delete", "+40d");
        ZoneKey key = new KeyDirectory(dir).loadKey(dir.resolve(base + ".key"), true);

        var settime = ExternalTool.require("dnssec-settime")
                .run("-u", "-K", dir.toString(), "-p", "all", base)
                .assertSuccess();

        Map<String, String> printed = new TreeMap<>();
        settime.stdout().lines().map(l -> l.split(": ", 2)).forEach(kv -> printed.put(kv[0], kv[1]));
        for (Event e : List.of(Event.CREATED, Event.PUBLISH, Event.ACTIVATE, Event.INACTIVE, Event.DELETE)) {
            assertThat(printed.get(e.field()))
                    .as(e.field())
                    .isEqualTo(Long.toString(key.timing().get(e).orElseThrow().getEpochSecond()));
        }
        assertThat(printed.get("Revoke")).isEqualTo("UNSET");
        Instant created = key.timing().get(Event.CREATED).orElseThrow();
        assertThat(key.timing().get(Event.ACTIVATE)).contains(created.plus(1, ChronoUnit.DAYS));
        assertThat(key.timing().get(Event.DELETE)).contains(created.plus(40, ChronoUnit.DAYS));
    }

    // ---- helpers

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private String bindKey(String... timing) {
        List<String> args = new ArrayList<>(List.of("-q", "-K", dir.toString(), "-a", "ECDSAP256SHA256"));
        args.addAll(List.of(timing));
        args.add(ZONE);
        return ExternalTool.require("dnssec-keygen")
                .run(args.toArray(String[]::new))
                .assertSuccess()
                .stdout()
                .strip();
    }

    private void settime(String base, String... timing) {
        List<String> args = new ArrayList<>(List.of("-K", dir.toString()));
        args.addAll(List.of(timing));
        args.add(base);
        ExternalTool.require("dnssec-settime").run(args.toArray(String[]::new)).assertSuccess();
    }

    private String mxpolicyKeygen(String... options) {
        List<String> args = new ArrayList<>(List.of("keygen", "--zone", ZONE, "-K", dir.toString()));
        args.addAll(List.of(options));
        return Launcher.run(args.toArray(String[]::new))
                .assertSuccess()
                .stdout()
                .strip();
    }

    private static int tag(String base) {
        return Integer.parseInt(base.substring(base.lastIndexOf('+') + 1));
    }

    /** {@code mxpolicy sign} in-process, at {@code at}. */
    private void mxpolicySign(Instant at, Path zone, Path out) {
        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        int code = Main.run(
                new String[] {"sign", "--zone", ZONE, "-K", dir.toString(), "-o", out.toString(), zone.toString()},
                new PrintWriter(stdout, true),
                new PrintWriter(stderr, true),
                Clock.fixed(at, ZoneOffset.UTC));
        assertThat(code).as(stderr.toString()).isZero();
    }

    private static List<Record> read(Path signed) throws Exception {
        return SigningFixtures.parse(ORIGIN, Files.readString(signed));
    }

    private static void assertValidates(Path signed) {
        ExternalTool.require("ldns-verify-zone").run(signed.toString()).assertSuccess();
        ExternalTool.require("dnssec-verify").run("-o", ZONE, signed.toString()).assertSuccess();
        ExternalTool.require("kzonecheck")
                .run("-o", ZONE, "-d", "on", signed.toString())
                .assertSuccess();
    }

    /** dnssec-signzone -S -x with the same directory, now: the same DNSKEY set and signing keys per type. */
    private void assertSameAsDnssecSignzone(Path zone, List<Record> ours) throws Exception {
        Path bind = dir.resolve("signed.bind");
        // -x: the DNSKEY set signed by KSKs only, as mxpolicy does (BIND adds the ZSKs' by default)
        ExternalTool.require("dnssec-signzone")
                .run(
                        "-S",
                        "-x",
                        "-K",
                        dir.toString(),
                        "-d",
                        dir.toString(),
                        "-o",
                        ZONE,
                        "-f",
                        bind.toString(),
                        zone.toString())
                .assertSuccess();
        List<Record> theirs = read(bind);
        assertThat(dnskeyTags(ours)).isEqualTo(dnskeyTags(theirs));
        assertThat(signerTags(ours)).isEqualTo(signerTags(theirs));
    }

    private static Set<Integer> dnskeyTags(List<Record> records) {
        Set<Integer> tags = new TreeSet<>();
        for (Record r : records) {
            if (r.getType() == Type.DNSKEY) {
                tags.add(((DNSKEYRecord) r).getFootprint());
            }
        }
        return tags;
    }

    /** Type covered to the key tags of its RRSIGs, over the whole zone. */
    private static Map<String, Set<Integer>> signerTags(List<Record> records) {
        Map<String, Set<Integer>> tags = new TreeMap<>();
        for (Record r : records) {
            if (r instanceof RRSIGRecord sig) {
                tags.computeIfAbsent(Type.string(sig.getTypeCovered()), t -> new TreeSet<>())
                        .add(sig.getFootprint());
            }
        }
        return tags;
    }

    private static Set<Integer> allSignerTags(List<Record> records) {
        Set<Integer> all = new TreeSet<>();
        signerTags(records).values().forEach(all::addAll);
        return all;
    }
}
