package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** {@code mxpolicy transparency} from logs, with the history of verdicts in the config's report store. */
class TransparencyCommandTest {

    private static final String VERIFIED = "Dec  7 10:00:00 mail postfix/smtp[101]: Verified TLS connection"
            + " established to mx.partner.example[192.0.2.25]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384"
            + " (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256\n";
    private static final String UNTRUSTED = VERIFIED.replace("Verified", "Untrusted");
    private static final String DELIVERY = "Dec  7 10:00:01 mail postfix/smtp[101]: 4R8Kp52d3Mz9vG:"
            + " to=<alice@partner.example>, relay=mx.partner.example[192.0.2.25]:25, delay=0.5,"
            + " delays=0.1/0/0.2/0.2, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n";

    @TempDir
    Path dir;

    private Path config;

    @BeforeEach
    void config() throws Exception {
        Files.copy(Path.of("examples/certs/mx1.example.com/fullchain.pem"), dir.resolve("mx1.pem"));
        config = dir.resolve("provider.yaml");
        Files.writeString(config, """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                rollover:
                  state_dir: state
                reports:
                  database: state/reports.sqlite
                """);
    }

    private Cli.Run run(Instant at, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), Clock.fixed(at, ZoneOffset.UTC));
        return new Cli.Run(code, out.toString(), err.toString());
    }

    private JsonNode report(Instant at, String log) throws Exception {
        Path file = dir.resolve("mail.log.2.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(log.getBytes(StandardCharsets.UTF_8));
        }
        Path json = dir.resolve("out/report.json");
        Cli.Run run = run(
                at,
                "transparency",
                "--log",
                file.toString(),
                "--year",
                "2026",
                "-c",
                config.toString(),
                "--format",
                "json",
                "-o",
                json.toString(),
                "--mkdir");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr()).contains("partners meet TR-03108");
        return new ObjectMapper().readTree(json.toFile()).path("partners").get(0);
    }

    @Test
    void aPartnerThatLosesDaneShowsAsAChangeInTheNextReport() throws Exception {
        JsonNode first = report(Instant.parse("2026-12-07T12:00:00Z"), VERIFIED + DELIVERY);
        assertThat(first.path("meets").path("state").asText()).isEqualTo("met");
        assertThat(first.path("changed").asBoolean()).isFalse();

        JsonNode second = report(Instant.parse("2026-12-08T12:00:00Z"), UNTRUSTED + DELIVERY);
        assertThat(second.path("dane").path("state").asText()).isEqualTo("not-met");
        assertThat(second.path("changed").asBoolean()).isTrue();
        assertThat(second.path("since").asText()).isEqualTo("2026-12-08T12:00:00Z");
        assertThat(second.path("previous").path("dane").asText()).isEqualTo("met");
        assertThat(second.path("previous").path("changes").toString())
                .isEqualTo("[\"meets TR-03108: yes → no\",\"DANE: yes → no\"]");

        JsonNode third = report(Instant.parse("2026-12-09T12:00:00Z"), UNTRUSTED + DELIVERY);
        assertThat(third.path("changed").asBoolean()).isFalse();
        assertThat(third.path("since").asText()).isEqualTo("2026-12-08T12:00:00Z");
    }

    @Test
    void htmlGoesToStdoutWithoutConfigAndBadLinesAreAWarning() throws Exception {
        Path log = dir.resolve("mail.log");
        Files.writeString(log, "garbage\n" + VERIFIED + DELIVERY);

        Cli.Run run = run(Instant.parse("2026-12-08T12:00:00Z"), "transparency", "--log", log.toString());

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("<!DOCTYPE html>").contains("<th scope=\"row\">partner.example</th>");
        assertThat(run.stderr())
                .isEqualTo("mxpolicy transparency: warning: 1 of 3 log lines could not be read (first at " + log
                        + ":1)\n");
    }

    @Test
    void aBadPartnerListIsOneLineNamingFileAndPositionAndExitTwo() throws Exception {
        Path partners = dir.resolve("partners.txt");
        Files.writeString(partners, "good.example\nbad domain\n");

        Cli.Run run = run(Instant.parse("2026-12-08T12:00:00Z"), "transparency", "--partners", partners.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errorLines())
                .containsExactly(partners + ":2:1: error: not a mail domain: 'bad domain' (one domain per line, # for"
                        + " comments) [partners.not-a-domain]");
    }

    @Test
    void aMissingLogIsBadInput() {
        Cli.Run run =
                Cli.run("transparency", "--log", dir.resolve("nothing.log").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.firstErrorLine()).contains("nothing.log").contains("no such file");
    }
}
