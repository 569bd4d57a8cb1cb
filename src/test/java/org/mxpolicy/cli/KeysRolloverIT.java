package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.KnotAuthority;
import org.mxpolicy.testing.LabFiles;
import org.mxpolicy.testing.LabResources;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NetworkNamespace;
import org.mxpolicy.testing.UnboundResolver;
import org.xbill.DNS.Name;

/**
 * {@code keys run} from a timer, for real: Knot signs and serves the lab's parent zone {@code test.}
 * (its DS the only trust anchor) and serves the two child zones as {@code keys run} signs them; a
 * validating unbound resolves through the delegation. The test plays the registry: whenever a
 * child publishes CDS, it changes the parent's DS RRset to match by RFC 2136. With TTLs of six
 * seconds and lifetimes of seconds, {@code example.test} (KSK+ZSK) rolls its zone-signing key by
 * pre-publication and {@code csk.test} rolls its combined key by double-DS. After every run,
 * unbound, whose cache holds what the run before served, answers positive and negative questions
 * with the AD flag and never SERVFAIL, and ldns-verify-zone, dnssec-verify and kzonecheck accept
 * both signed zones. Needs root (skipped otherwise, failed under CI).
 */
class KeysRolloverIT {

    private static final Name PARENT = Name.fromConstantString("test.");
    private static final Name TSIG_NAME = Name.fromConstantString("registry.");
    private static final int PARENT_PORT = 5300;
    private static final String CHILD_ADDRESS = "127.0.0.2";
    private static final List<String> ZONES = List.of("example.test", "csk.test");
    private static final Duration DEADLINE = Duration.ofMinutes(8);
    private static final InMemoryPki.Issuer CA =
            InMemoryPki.intermediateCa("Keys Lab CA", InMemoryPki.rootCa("Keys Lab Root"));

    @TempDir
    static Path dir;

    private static final LabResources started = new LabResources();
    private static NetworkNamespace lab;
    private static String anchor;
    /**
     * Whether this kzonecheck reports one RRset of the zone as unsigned whenever a second SEP key
     * is published that does not sign (a successor, or a retired key) (Knot 3.2 does, also for a zone ldns-signzone signs, which
     * ldns-verify-zone and dnssec-verify accept): then exactly one such report is accepted while
     * such a key is published.
     */
    private static boolean kzonecheckPrePublishedSepQuirk;

    @BeforeAll
    static void lab() throws Exception {
        for (String tool : List.of(
                "ldns-verify-zone",
                "dnssec-verify",
                "kzonecheck",
                "nsupdate",
                "kdig",
                "ldns-keygen",
                "ldns-signzone")) {
            ExternalTool.require(tool);
        }
        kzonecheckPrePublishedSepQuirk = kzonecheckQuirk();
        String secret = Base64.getEncoder()
                .encodeToString("keys-lab-registry-tsig-secret-01".getBytes(StandardCharsets.US_ASCII));
        LabFiles.tsigKey(dir.resolve("registry.tsig"), TSIG_NAME, secret);
        LabFiles.serverKeyAndChain(dir, "mx1", "mx1.example.test", CA);
        Path parentZone = dir.resolve("test.zone");
        Files.writeString(parentZone, """
                $ORIGIN test.
                $TTL 6
                @           IN SOA ns hostmaster 1 3600 600 86400 6
                @           IN NS  ns
                ns          IN A   127.0.0.1
                example     IN NS  ns1.example
                ns1.example IN A   127.0.0.2
                csk         IN NS  ns1.csk
                ns1.csk     IN A   127.0.0.2
                """);
        for (String zone : ZONES) {
            String text = """
                    $ORIGIN %s.
                    $TTL 6
                    @    IN SOA ns1 hostmaster 1 3600 600 86400 6
                    @    IN NS  ns1
                    ns1  IN A   127.0.0.2
                    www  IN A   192.0.2.1
                    """.formatted(zone);
            Files.writeString(dir.resolve(zone + ".zone"), text);
            // served unsigned until the first run signs it
            Files.writeString(dir.resolve(zone + ".zone.signed"), text);
            Path keys = Files.createDirectory(dir.resolve("keys-" + zone));
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
        }
        lab = started.open(NetworkNamespace.create("mxkeys"));
        KnotAuthority parent =
                started.open(KnotAuthority.signing(lab, dir, PARENT_PORT, PARENT, parentZone, TSIG_NAME, secret));
        anchor = parent.ds(PARENT).get(0).toString();
        KnotAuthority child = started.open(KnotAuthority.start(
                lab,
                dir,
                CHILD_ADDRESS,
                53,
                Map.of(
                        "example.test", dir.resolve("example.test.zone.signed"),
                        "csk.test", dir.resolve("csk.test.zone.signed"))));
        started.open(UnboundResolver.in(lab)
                .stubZone("test", parent.address(), parent.port())
                .trustAnchor(anchor)
                .start(dir, "ns.test", "A"));
        Files.writeString(dir.resolve("provider.yaml"), config(child.conf()));
    }

    @AfterAll
    static void closeLab() throws Exception {
        started.close();
    }

    @Test
    void keysRollByThemselvesAndEveryAnswerValidatesThroughout() throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        Set<String> secure = new HashSet<>();
        Map<String, Set<String>> seen =
                Map.of("example.test", new LinkedHashSet<>(), "csk.test", new LinkedHashSet<>());
        Map<String, Set<Integer>> firstKeys = Map.of("example.test", new HashSet<>(), "csk.test", new HashSet<>());
        List<String> log = new ArrayList<>();
        while (true) {
            // unbound caches what is served now, so that the answers after the run come partly from its cache
            for (String zone : log.isEmpty() ? List.<String>of() : ZONES) {
                answersValidate(zone, secure.contains(zone));
            }
            ExternalTool.Result run = keys("run");
            log.add(run.stdout() + run.stderr());
            assertThat(run.exitCode()).as(String.join("\n", log)).isZero();
            for (String zone : ZONES) {
                Path signed = dir.resolve(zone + ".zone.signed");
                verifyZone(zone, signed);
                registry(zone);
                answersValidate(zone, secure.contains(zone));
                if (!secure.contains(zone)
                        && parentDs(zone).size() > 0
                        && cds(zone).isEmpty()) {
                    secure.add(zone); // the parent serves the DS asked for, and CDS is withdrawn
                }
                List<ZoneKey> keys = new KeyDirectory(dir.resolve("keys-" + zone)).load(zoneName(zone));
                if (firstKeys.get(zone).isEmpty()) {
                    keys.forEach(k -> firstKeys.get(zone).add(k.keyTag()));
                }
                Instant now = Instant.now();
                for (ZoneKey k : keys) {
                    seen.get(zone)
                            .add((k.isKsk() ? "SEP " : "ZSK ") + k.timing().stateAt(now));
                }
                if (!cds(zone).isEmpty()) {
                    seen.get(zone).add("CDS " + cds(zone).size());
                }
            }
            if (done("example.test", false, firstKeys) && done("csk.test", true, firstKeys)) {
                break;
            }
            assertThat(Instant.now())
                    .as("the rollovers end within " + DEADLINE + "; seen: " + seen + "\n" + String.join("\n", log))
                    .isBefore(deadline);
            Thread.sleep(1000);
        }
        assertThat(secure).containsExactlyInAnyOrderElementsOf(ZONES);
        // every phase of each rollover was served and validated in turn
        assertThat(seen.get("example.test"))
                .contains("ZSK PUBLISHED", "ZSK ACTIVE", "ZSK INACTIVE", "ZSK DELETED", "SEP ACTIVE");
        assertThat(seen.get("csk.test"))
                .contains("SEP PUBLISHED", "SEP ACTIVE", "SEP INACTIVE", "SEP DELETED", "CDS 2", "CDS 1");

        ExternalTool.Result status = keys("status", "--json");
        assertThat(status.exitCode()).as(status.stdout() + status.stderr()).isZero();
        assertThat(status.stdout()).contains("\"zone\": \"csk.test\"").contains("\"phase\": \"removed\"");
    }

    /** Whether a key made by the first run has been removed and a later key of its role signs, CDS withdrawn. */
    private static boolean done(String zone, boolean sep, Map<String, Set<Integer>> firstKeys) throws Exception {
        Instant now = Instant.now();
        List<ZoneKey> keys = new KeyDirectory(dir.resolve("keys-" + zone)).load(zoneName(zone));
        boolean firstRemoved = keys.stream()
                .anyMatch(k -> k.isKsk() == sep
                        && firstKeys.get(zone).contains(k.keyTag())
                        && k.timing().stateAt(now) == KeyState.DELETED);
        boolean successorSigns = keys.stream()
                .anyMatch(k -> k.isKsk() == sep
                        && !firstKeys.get(zone).contains(k.keyTag())
                        && k.timing().stateAt(now) == KeyState.ACTIVE);
        return firstRemoved && successorSigns && cds(zone).isEmpty();
    }

    private static Name zoneName(String zone) {
        return Name.fromConstantString(zone + ".");
    }

    private static ExternalTool.Result keys(String command, String... more) {
        List<String> args = new ArrayList<>(
                List.of("keys", command, "-c", dir.resolve("provider.yaml").toString()));
        if (command.equals("run")) {
            // the next run observes what this one published; before the first DS the zone is not yet secure
            args.addAll(List.of("--wait", "0"));
        }
        args.addAll(List.of(more));
        return Launcher.runIn(lab, args.toArray(String[]::new));
    }

    /** The registry: the parent's DS RRset made what the child's CDS RRset asks for. */
    private static void registry(String zone) throws Exception {
        Set<String> cds = cds(zone);
        if (cds.isEmpty() || cds.equals(parentDs(zone))) {
            return;
        }
        StringBuilder update = new StringBuilder("server 127.0.0.1 " + PARENT_PORT + "\nzone test.\n");
        update.append("update delete ").append(zone).append(". DS\n");
        for (String ds : cds) {
            update.append("update add ")
                    .append(zone)
                    .append(". 6 DS ")
                    .append(ds)
                    .append('\n');
        }
        update.append("send\n");
        Path commands = dir.resolve("registry-" + zone + ".txt");
        Files.writeString(commands, update.toString());
        lab.run("nsupdate", "-k", dir.resolve("registry.tsig").toString(), commands.toString())
                .assertSuccess();
    }

    private static Set<String> cds(String zone) {
        return rdata(CHILD_ADDRESS, 53, zone, "CDS");
    }

    private static Set<String> parentDs(String zone) {
        return rdata("127.0.0.1", PARENT_PORT, zone, "DS");
    }

    private static Set<String> rdata(String server, int port, String zone, String type) {
        ExternalTool.Result r = lab.run(
                ExternalTool.require("kdig").path(),
                "@" + server,
                "-p",
                String.valueOf(port),
                "+short",
                "+time=2",
                "+retry=1",
                zone + ".",
                type);
        Set<String> out = new HashSet<>();
        for (String line : r.stdout().split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip().replaceAll("\\s+", " ").toUpperCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    /** Positive, no-data and name-error answers through unbound: never SERVFAIL; authenticated once secure. */
    private static void answersValidate(String zone, boolean secure) {
        for (String[] q : new String[][] {
            {"www." + zone + ".", "A", "NOERROR"},
            {zone + ".", "SOA", "NOERROR"},
            {"www." + zone + ".", "TXT", "NOERROR"},
            {"nosuchname." + zone + ".", "A", "NXDOMAIN"},
            {"_25._tcp.mx1." + zone + ".", "TLSA", zone.equals("example.test") ? "NOERROR" : "NXDOMAIN"}
        }) {
            ExternalTool.Result r = lab.run(
                    ExternalTool.require("kdig").path(),
                    "@" + UnboundResolver.ADDRESS,
                    "+dnssec",
                    "+time=3",
                    "+retry=1",
                    q[0],
                    q[1]);
            String answer = r.stdout() + r.stderr();
            assertThat(answer).as(q[0] + " " + q[1]).contains("status: " + q[2]);
            if (secure) {
                assertThat(answer).as(q[0] + " " + q[1] + " authenticated").containsPattern("Flags:[^;]* ad;");
            }
        }
    }

    /** The three independent verifiers accept the signed zone as it is served. */
    private static void verifyZone(String zone, Path signed) throws java.io.IOException {
        // the last zone verified is kept where a failure can be read
        Path kept = Files.createDirectories(Path.of("target", "keys-rollover-it"));
        Files.copy(signed, kept.resolve(zone + ".zone.signed"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        for (Path key : Files.newDirectoryStream(dir.resolve("keys-" + zone), "*.key")) {
            Files.copy(key, kept.resolve(key.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ExternalTool.Result ldns = ExternalTool.require("ldns-verify-zone").run(signed.toString());
        assertThat(ldns.exitCode())
                .as("ldns-verify-zone " + zone + "\n" + ldns.stdout() + ldns.stderr())
                .isZero();
        ExternalTool.Result bind = ExternalTool.require("dnssec-verify").run("-z", "-o", zone, signed.toString());
        assertThat(bind.exitCode())
                .as("dnssec-verify " + zone + "\n" + bind.stdout() + bind.stderr())
                .isZero();
        ExternalTool.Result knot = ExternalTool.require("kzonecheck").run("-o", zone, "-d", "on", signed.toString());
        String report = knot.stdout() + knot.stderr();
        boolean quirk = kzonecheckPrePublishedSepQuirk
                && report.contains("] no valid signature for a record (record type ")
                && report.lines().filter(l -> l.startsWith("[")).count() == 1
                && publishedSepNotSigning(zone);
        assertThat(knot.exitCode() == 0 || quirk)
                .as("kzonecheck " + zone + "\n" + report)
                .isTrue();
    }

    private static boolean publishedSepNotSigning(String zone) {
        try {
            Instant now = Instant.now();
            return new KeyDirectory(dir.resolve("keys-" + zone))
                    .load(zoneName(zone)).stream()
                            .anyMatch(k -> k.isKsk()
                                    && k.timing().stateAt(now).published()
                                    && !k.timing().stateAt(now).signs());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ldns-signzone signs a zone with one of two SEP keys, the other only published: does kzonecheck object? */
    private static boolean kzonecheckQuirk() throws Exception {
        Path control = Files.createDirectory(dir.resolve("kzonecheck-control"));
        Path zone = control.resolve("control.test.zone");
        Files.writeString(zone, """
                $ORIGIN control.test.
                $TTL 2
                @    IN SOA ns1 hostmaster 1 3600 600 86400 2
                @    IN NS  ns1
                ns1  IN A   127.0.0.2
                www  IN A   192.0.2.1
                """);
        ExternalTool keygen = ExternalTool.require("ldns-keygen");
        String signing = keygen.run("-a", "ECDSAP256SHA256", "-k", "control.test")
                .assertSuccess()
                .stdout()
                .strip();
        String published = keygen.run("-a", "ECDSAP256SHA256", "-k", "control.test")
                .assertSuccess()
                .stdout()
                .strip();
        // ldns-keygen writes into the working directory: the files are moved next to the zone
        for (String base : List.of(signing, published)) {
            for (String ext : List.of(".key", ".private", ".ds")) {
                Path file = Path.of(base + ext);
                if (Files.exists(file)) {
                    Files.move(file, control.resolve(base + ext));
                }
            }
        }
        Files.writeString(
                zone, Files.readString(control.resolve(published + ".key")), java.nio.file.StandardOpenOption.APPEND);
        ExternalTool.require("ldns-signzone")
                .run(
                        "-o",
                        "control.test",
                        "-f",
                        zone + ".signed",
                        zone.toString(),
                        control.resolve(signing).toString())
                .assertSuccess();
        ExternalTool.Result check =
                ExternalTool.require("kzonecheck").run("-o", "control.test", "-d", "on", zone + ".signed");
        return check.exitCode() != 0
                && (check.stdout() + check.stderr()).contains("] no valid signature for a record (record type ");
    }

    private static String config(Path childConf) {
        StringBuilder zones = new StringBuilder("zones:\n");
        for (String zone : ZONES) {
            boolean csk = zone.startsWith("csk");
            zones.append("""
                      %1$s:
                        ttl: 6
                        nameservers: [ "%2$s:53" ]
                        sign:
                          zone_file: %1$s.zone
                          output: %1$s.zone.signed
                          keys: keys-%1$s
                          reload: knotc -c %3$s zone-reload %1$s
                        dnssec:
                          keys: %4$s
                          zsk_lifetime: 35s
                          ksk_lifetime: %5$s
                          dnskey_ttl: 6
                          max_zone_ttl: 6s
                          propagation_delay: 1s
                          parent: test
                          parent_nameservers: [ "127.0.0.1:%6$d" ]
                          ds_ttl: 6s
                          parent_propagation_delay: 1s
                    """.formatted(
                    zone, CHILD_ADDRESS, childConf, csk ? "csk" : "ksk+zsk", csk ? "50s" : "never", PARENT_PORT));
        }
        return zones + """
                dns:
                  resolvers: [ "%s:%d" ]
                  trust_anchors: [ "%s" ]
                rollover:
                  state_dir: state
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: mx1.pem
                        tlsa: { ttl: 6, issuer: false }
                """.formatted(UnboundResolver.ADDRESS, UnboundResolver.PORT, anchor);
    }
}
