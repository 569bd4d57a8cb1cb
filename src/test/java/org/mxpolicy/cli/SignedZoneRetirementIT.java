package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.testing.ExternalTool;
import org.mxpolicy.testing.LabFiles;

/**
 * Retirement in a zone mxpolicy signs into a file, where the ledger is the only record of
 * ownership: the TLSA record of a host dropped from the config stays in the signed output while
 * the zone file's MX RRset names the host, and goes once it does not; each output verifies with
 * ldns-verify-zone, dnssec-verify and kzonecheck.
 */
class SignedZoneRetirementIT {

    private static final InMemoryPki.Issuer CA =
            InMemoryPki.intermediateCa("Signed Retirement CA", InMemoryPki.rootCa("Signed Retirement Root"));
    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aDroppedHostsTlsaStaysSignedWhileTheMxNamesItThenGoes() throws Exception {
        ExternalTool.require("ldns-verify-zone");
        ExternalTool.require("dnssec-verify");
        ExternalTool.require("kzonecheck");
        LabFiles.serverKeyAndChain(dir, "mx1", "mx1.example.test", CA);
        LabFiles.serverKeyAndChain(dir, "mx2", "mx2.example.test", CA);
        Files.createDirectory(dir.resolve("keys"));
        Files.createDirectory(dir.resolve("state"));
        zoneFile(true);
        assertThat(run(
                        NOW,
                        "keygen",
                        "--zone",
                        "example.test",
                        "-K",
                        dir.resolve("keys").toString()))
                .contains("exit 0");

        config(true);
        assertThat(run(NOW, "publish", "-c", path("provider.yaml"), "--apply", "--wait", "0"))
                .contains("exit 0");
        assertThat(signed()).contains("_25._tcp.mx2.example.test. 600 IN TLSA");
        verify();

        config(false);
        String held = run(NOW.plusSeconds(60), "publish", "-c", path("provider.yaml"), "--apply", "--wait", "0");
        assertThat(held).contains("exit 0").contains("held [retire.tlsa-named-by-mx] _25._tcp.mx2.example.test. TLSA");
        assertThat(signed()).contains("_25._tcp.mx2.example.test. 600 IN TLSA");
        verify();

        zoneFile(false);
        String gone = run(NOW.plusSeconds(120), "publish", "-c", path("provider.yaml"), "--apply", "--wait", "0");
        assertThat(gone).contains("exit 0").contains("retired [retire.deleted] _25._tcp.mx2.example.test. TLSA");
        assertThat(signed())
                .doesNotContain("_25._tcp.mx2.example.test. 600 IN TLSA")
                .contains("_25._tcp.mx1.example.test. 600 IN TLSA")
                .contains("_25._tcp.mx2.example.test. 300 IN TXT \"added by hand\"");
        assertThat(Files.readString(dir.resolve("state/_ownership/ledger.json")))
                .doesNotContain("mx2")
                .contains("_25._tcp.mx1.example.test.");
        verify();
    }

    private void verify() {
        Path signed = dir.resolve("example.test.signed");
        ExternalTool.require("ldns-verify-zone").run(signed.toString()).assertSuccess();
        ExternalTool.require("dnssec-verify")
                .run("-z", "-o", "example.test", signed.toString())
                .assertSuccess();
        ExternalTool.require("kzonecheck")
                .run("-o", "example.test", "-d", "on", signed.toString())
                .assertSuccess();
    }

    private String signed() throws IOException {
        return Files.readString(dir.resolve("example.test.signed"));
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    /** The command's output and its exit code, as {@code exit N}. */
    private static String run(Instant now, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                args, new PrintWriter(out, true), new PrintWriter(err, true), Clock.fixed(now, ZoneOffset.UTC));
        return out + "\n" + err + "\nexit " + code;
    }

    private void zoneFile(boolean mx2) throws IOException {
        Files.writeString(dir.resolve("example.test.zone"), """
                $ORIGIN example.test.
                $TTL 300
                @        IN SOA ns1 hostmaster 1 3600 600 86400 300
                @        IN NS  ns1
                @        IN MX  10 mx1
                %s
                ns1      IN A   192.0.2.53
                mx1      IN A   192.0.2.25
                mx2      IN A   192.0.2.26
                _25._tcp.mx2 IN TXT "added by hand"
                """.formatted(mx2 ? "@        IN MX  20 mx2" : ""));
    }

    private void config(boolean mx2) throws IOException {
        Files.writeString(dir.resolve("provider.yaml"), """
                zones:
                  example.test:
                    ttl: 300
                    sign:
                      zone_file: example.test.zone
                      output: example.test.signed
                      keys: keys
                rollover: { state_dir: state }
                ownership: { min_owned: 100 }
                domains:
                  - name: example.test
                    mx:
                      - host: mx1.example.test
                        cert: mx1.pem
                        tlsa: { issuer: false }
                %s
                """.formatted(mx2 ? """
                              - host: mx2.example.test
                                cert: mx2.pem
                                tlsa: { issuer: false }
                        """ : ""));
    }
}
