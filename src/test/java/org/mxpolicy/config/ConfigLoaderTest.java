package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.ClientService;
import org.mxpolicy.record.MtaStsMode;

class ConfigLoaderTest {

    private static final String GOOD = "src/test/resources/config-good/full.yaml";
    private static final String SOURCE = "full.yaml";

    private static ConfigLoader.Result loadGood() throws IOException, InvalidInputException {
        try (Reader reader = Files.newBufferedReader(Path.of(GOOD), StandardCharsets.UTF_8)) {
            return ConfigLoader.load(reader, SOURCE);
        }
    }

    private static SourcePosition at(int line, int column) {
        return SourcePosition.at(SOURCE, line, column);
    }

    private static FileReference file(String path, int line, int column) {
        return new FileReference(path, at(line, column));
    }

    @Test
    void zonesAreNormalisedAndKeepFileOrder() throws Exception {
        ProviderConfig config = loadGood().config();

        assertThat(config.source()).isEqualTo(SOURCE);
        assertThat(config.zones())
                .containsExactly(
                        Map.entry("example.com", new ZoneSettings("example.com", 7200, at(3, 3))),
                        Map.entry(
                                "mail.example.com",
                                new ZoneSettings("mail.example.com", ZoneSettings.DEFAULT_TTL, at(4, 3))),
                        Map.entry("example.net", new ZoneSettings("example.net", ZoneSettings.DEFAULT_TTL, at(5, 3))));
    }

    @Test
    void mxHostsWithEveryOptionAndWithDefaults() throws Exception {
        MailDomain domain = loadGood().config().domains().get(0);

        assertThat(domain.name()).isEqualTo("example.com");
        assertThat(domain.position()).isEqualTo(at(8, 11));
        assertThat(domain.mx())
                .containsExactly(
                        new MxHost(
                                "mx1.example.com",
                                25,
                                file("certs/mx1.example.com/fullchain.pem", 11, 15),
                                List.of(file("certs/mx1.example.com/next.key", 12, 19)),
                                new TlsaSettings(
                                        300,
                                        false,
                                        List.of(file("certs/r11.pem", 13, 58), file("certs/r10.pem", 13, 73)),
                                        0,
                                        2,
                                        at(13, 9)),
                                at(10, 15)),
                        new MxHost(
                                "mx2.mail.example.com",
                                2525,
                                file("/etc/ssl/mx2.pem", 16, 15),
                                List.of(file("next-a.key", 17, 20), file("next-b.key", 17, 32)),
                                TlsaSettings.defaults(at(14, 15)),
                                at(14, 15)));
    }

    @Test
    void mtaStsPatternsAreNormalised() throws Exception {
        MtaStsSettings mtaSts = loadGood().config().domains().get(0).mtaSts().orElseThrow();

        assertThat(mtaSts)
                .isEqualTo(new MtaStsSettings(
                        MtaStsMode.ENFORCE,
                        604800,
                        List.of(
                                new MtaStsSettings.Pattern("mx1.example.com", at(21, 12)),
                                new MtaStsSettings.Pattern("*.mail.example.com", at(21, 29))),
                        Optional.of(file("certs/mta-sts.example.com/fullchain.pem", 22, 13)),
                        Optional.of(file("certs/mta-sts.example.com/privkey.pem", 23, 12)),
                        at(18, 5)));
    }

    @Test
    void tlsRptUrisAreKeptAsWritten() throws Exception {
        TlsRptSettings tlsRpt = loadGood().config().domains().get(0).tlsRpt().orElseThrow();

        assertThat(tlsRpt)
                .isEqualTo(new TlsRptSettings(
                        List.of(
                                new TlsRptSettings.Uri("mailto:tlsrpt@example.com", at(25, 13)),
                                new TlsRptSettings.Uri("https://reports.example.com/v1/tlsrpt", at(25, 42))),
                        true,
                        at(24, 5)));
    }

    @Test
    void clientServicesInEveryFormAndOmittedOnesNotOffered() throws Exception {
        ClientServices services =
                loadGood().config().domains().get(0).clientServices().orElseThrow();

        assertThat(services.position()).isEqualTo(at(27, 5));
        assertThat(services.services())
                .containsExactly(
                        Map.entry(
                                ClientService.SUBMISSIONS,
                                List.of(
                                        new ClientServices.Endpoint("smtp1.example.com", 465, at(28, 21)),
                                        new ClientServices.Endpoint("smtp2.example.com", 465, at(28, 44)))),
                        Map.entry(
                                ClientService.IMAPS,
                                List.of(new ClientServices.Endpoint("imap.example.com", 993, at(29, 14)))),
                        Map.entry(ClientService.POP3S, List.of()),
                        Map.entry(
                                ClientService.SUBMISSION,
                                List.of(new ClientServices.Endpoint("smtp.example.com", 587, at(31, 19)))),
                        Map.entry(ClientService.IMAP, List.of()),
                        Map.entry(ClientService.POP3, List.of()));
    }

    @Test
    void aliasSharesAnMxListAndDefaultsApply() throws Exception {
        List<MailDomain> domains = loadGood().config().domains();
        MailDomain net = domains.get(1);

        assertThat(net.name()).isEqualTo("example.net");
        assertThat(net.mx()).isEqualTo(domains.get(0).mx());
        assertThat(net.mtaSts().orElseThrow())
                .isEqualTo(new MtaStsSettings(
                        MtaStsMode.TESTING, 3600, List.of(), Optional.empty(), Optional.empty(), at(35, 5)));
        assertThat(net.tlsRpt().orElseThrow().rua())
                .extracting(TlsRptSettings.Uri::value)
                .containsExactly("mailto:tls%2Brpt@example.net");
        assertThat(net.clientServices().orElseThrow().services().values())
                .allMatch(List::isEmpty)
                .hasSize(6);
    }

    @Test
    void aDomainWithOnlyMxHostsNeedsNoZoneOfItsOwn() throws Exception {
        MailDomain customer = loadGood().config().domains().get(2);

        assertThat(customer.name()).isEqualTo("customer.example");
        assertThat(customer.mtaSts()).isEmpty();
        assertThat(customer.tlsRpt()).isEmpty();
        assertThat(customer.clientServices()).isEmpty();
    }

    @Test
    void warningsComeBackWithTheConfig() throws Exception {
        assertThat(loadGood().warnings())
                .extracting(Finding::format)
                .containsExactly(
                        "full.yaml:25:42: warning: report URI 'https://reports.example.com/v1/tlsrpt' asks for reports over"
                                + " HTTPS (accepted because of allow_https); TR-03108-10-M requires reports by e-mail"
                                + " (mailto:) only [tlsrpt.https-uri]",
                        "full.yaml:35:40: warning: max_age 3600 is less than a day; senders forget the policy that soon"
                                + " after they last fetched it, and RFC 8461 section 3.2 recommends weeks, such as 604800"
                                + " [mta-sts.max-age-short]");
    }

    @Test
    void zoneForPicksTheLongestMatchingZone() throws Exception {
        ProviderConfig config = loadGood().config();

        assertThat(config.zoneFor("mx2.mail.example.com")).contains("mail.example.com");
        assertThat(config.zoneFor("_25._tcp.MX1.Example.com.")).contains("example.com");
        assertThat(config.zoneFor("example.net")).contains("example.net");
        assertThat(config.zoneFor("badexample.net")).isEmpty();
        assertThat(config.zoneFor("customer.example")).isEmpty();
    }

    @Test
    void minimalConfigGetsEveryDefault() throws Exception {
        ProviderConfig config = load("""
                zones: { example.com: }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                    mta_sts: { mode: none }
                    tls_rpt: { rua: "mailto:tlsrpt@example.com" }
                """).config();

        MxHost mx = config.domains().get(0).mx().get(0);
        assertThat(mx.port()).isEqualTo(MxHost.DEFAULT_PORT);
        assertThat(mx.nextKeys()).isEmpty();
        assertThat(mx.tlsa()).isEqualTo(TlsaSettings.defaults(mx.position()));
        assertThat(config.domains().get(0).mtaSts().orElseThrow().maxAge()).isEqualTo(MtaStsSettings.DEFAULT_MAX_AGE);
        assertThat(config.domains().get(0).tlsRpt().orElseThrow().allowHttps()).isFalse();
    }

    @Test
    void sharedMxHostWithTheSameSettingsIsFine() throws Exception {
        ConfigLoader.Result result = load("""
                zones: { example.com: , example.org: }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem, tlsa: { ttl: 600 } }]
                  - name: example.org
                    mx: [{ host: MX1.example.com., cert: mx1.pem, tlsa: { ttl: 600, issuer: true } }]
                """);

        assertThat(result.config().domains()).hasSize(2);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void yamlIntegerFormsAreAccepted() throws Exception {
        MxHost mx = load("""
                zones: { example.com: }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem, port: 0x19, tlsa: { ttl: 1_200 } }]
                """).config().domains().get(0).mx().get(0);

        assertThat(mx.port()).isEqualTo(25);
        assertThat(mx.tlsa().ttl()).isEqualTo(1200);
    }

    @Test
    void oneProblemGivesOneFinding() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> load("""
                zones: { example.com: }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem, port: 25.0 }]
                    mta_sts: { mode: enforce }
                """));

        assertThat(e.findings())
                .extracting(Finding::format)
                .containsExactly(
                        "test.yaml:4:56: error: 'port' must be an integer, found the number" + " 25.0 [config.type]");
    }

    @Test
    void anInvalidZoneDoesNotMakeEveryHostAnError() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> load("""
                zones: { example.com: { ttl: -1 } }
                domains:
                  - name: example.com
                    mx: [{ host: mx1.example.com, cert: mx1.pem }]
                    tls_rpt: { rua: "mailto:tlsrpt@example.com" }
                """));

        assertThat(e.findings()).extracting(Finding::id).containsExactly(ConfigBinder.TTL);
    }

    @Test
    void suggestionsAreCloseKeysOnly() {
        List<String> keys = List.of("host", "port", "cert", "next_key", "tlsa");

        assertThat(ConfigBinder.suggestion("tsla", keys)).contains("tlsa");
        assertThat(ConfigBinder.suggestion("next-key", keys)).contains("next_key");
        assertThat(ConfigBinder.suggestion("nextkey", keys)).contains("next_key");
        assertThat(ConfigBinder.suggestion("CERT", keys)).contains("cert");
        assertThat(ConfigBinder.suggestion("comment", keys)).isEmpty();
        assertThat(ConfigBinder.suggestion("x", keys)).isEmpty();
    }

    @Test
    void theExampleInTheReferenceLoadsWithoutWarnings() throws Exception {
        String doc = Files.readString(Path.of("docs/config.md"), StandardCharsets.UTF_8);
        int start = doc.indexOf("## Full example");
        start = doc.indexOf("```yaml\n", start) + "```yaml\n".length();
        String yaml = doc.substring(start, doc.indexOf("```", start));

        ConfigLoader.Result result = load(yaml);

        assertThat(result.warnings()).isEmpty();
        assertThat(result.config().domains())
                .extracting(MailDomain::name)
                .containsExactly("example.com", "example.net");
    }

    private static ConfigLoader.Result load(String yaml) throws InvalidInputException {
        return ConfigLoader.load(new StringReader(yaml), "test.yaml");
    }
}
