package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.record.MtaStsMode;

/** The forms of the config for many domains: {@code mx_hosts}, {@code profiles} and {@code {domain}} paths. */
class HostedConfigTest {

    private static final String HOSTS = """
            zones:
              example.com: {}
              c1.example: {}
              c2.example: {}
            mx_hosts:
              - host: mx1.example.com
                cert: mx1.pem
                tlsa: { ttl: 600 }
              - host: mx2.example.com
                cert: mx2.pem
            profiles:
              hosted:
                mx: [mx1.example.com, mx2.example.com]
                mta_sts: { mode: enforce, cert: "live/mta-sts.{domain}/fullchain.pem", key: "live/mta-sts.{domain}/privkey.pem" }
                tls_rpt: { rua: "mailto:tlsrpt@example.com" }
            """;

    private static ProviderConfig load(String text) throws InvalidInputException {
        return ConfigLoader.load(new StringReader(text), "hosted.yaml").config();
    }

    private static List<String> errors(String text) {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class, () -> ConfigLoader.load(new StringReader(text), "hosted.yaml"));
        assertThat(e).as("expected errors").isNotNull();
        return e.findings().stream()
                .filter(Finding::isError)
                .map(Finding::format)
                .toList();
    }

    @Test
    void aDomainNamesSharedMxHostsAndTakesItsProfile() throws Exception {
        ProviderConfig config = load(HOSTS + """
                domains:
                  - { name: c1.example, profile: hosted }
                  - { name: C2.Example., profile: hosted }
                """);

        MailDomain c1 = config.domains().get(0);
        MailDomain c2 = config.domains().get(1);
        assertThat(c1.mx()).extracting(MxHost::host).containsExactly("mx1.example.com", "mx2.example.com");
        // one bound host, however many domains name it
        assertThat(c1.mx().get(0)).isSameAs(c2.mx().get(0));
        assertThat(c1.mx().get(0).tlsa().ttl()).isEqualTo(600);
        assertThat(c1.mtaSts().orElseThrow().mode()).isEqualTo(MtaStsMode.ENFORCE);
        assertThat(c1.mtaSts().orElseThrow().cert().orElseThrow().path())
                .isEqualTo("live/mta-sts.c1.example/fullchain.pem");
        assertThat(c2.mtaSts().orElseThrow().key().orElseThrow().path())
                .isEqualTo("live/mta-sts.c2.example/privkey.pem");
        assertThat(c2.tlsRpt()).isPresent();
    }

    @Test
    void aDomainsOwnSettingWinsOverItsProfiles() throws Exception {
        ProviderConfig config = load(HOSTS + """
                domains:
                  - name: c1.example
                    profile: hosted
                    mx: [mx2.example.com]
                    mta_sts: { mode: testing, mx: [mx2.example.com] }
                """);

        MailDomain c1 = config.domains().get(0);
        assertThat(c1.mx()).extracting(MxHost::host).containsExactly("mx2.example.com");
        assertThat(c1.mtaSts().orElseThrow().mode()).isEqualTo(MtaStsMode.TESTING);
        assertThat(c1.mtaSts().orElseThrow().cert()).isEmpty();
        assertThat(c1.tlsRpt()).as("from the profile").isPresent();
    }

    @Test
    void anUnknownMxHostOrProfileIsNamedWithTheNearestKnownOne() {
        List<String> errors = errors(HOSTS + """
                domains:
                  - { name: c1.example, profile: hostd }
                  - { name: c2.example, mx: [mx3.example.com] }
                """);

        assertThat(errors)
                .containsExactly(
                        "hosted.yaml:17:34: error: no profile 'hostd' under 'profiles'; did you mean 'hosted'?"
                                + " [config.unknown-profile]",
                        "hosted.yaml:18:30: error: mx host 'mx3.example.com' is not defined under 'mx_hosts'; did"
                                + " you mean 'mx1.example.com'?; define it there or give it as a map with 'host' and"
                                + " 'cert' [config.unknown-mx-host]");
    }

    @Test
    void aProfileOrMxHostNoDomainUsesIsAWarning() throws Exception {
        ConfigLoader.Result result = ConfigLoader.load(new StringReader(HOSTS + """
                domains:
                  - { name: c1.example, mx: [mx1.example.com] }
                """), "hosted.yaml");

        assertThat(result.warnings())
                .extracting(Finding::format)
                .containsExactly(
                        "hosted.yaml:9:11: warning: mx host 'mx2.example.com' under 'mx_hosts' is not named by any"
                                + " domain, so no records are written for it [config.unused-mx-host]",
                        "hosted.yaml:12:3: warning: profile 'hosted' is not used by any domain"
                                + " [config.unused-profile]");
    }

    @Test
    void aProfileWithAnUnknownKeyIsReportedOnceAtTheProfile() {
        List<String> errors = errors(HOSTS.replace("    tls_rpt:", "    tls-report: 1\n    tls_rpt:") + """
                domains:
                  - { name: c1.example, profile: hosted }
                  - { name: c2.example, profile: hosted }
                """);

        assertThat(errors).singleElement().asString().startsWith("hosted.yaml:15:5: error: unknown key 'tls-report'");
    }
}
