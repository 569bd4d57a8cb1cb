package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.config.ServeSettings.TlsProfileChoice;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/** The {@code serve} section: its TLS profile, its default, and the findings for mistakes in it. */
class ServeSettingsTest {

    private static final String DOMAINS = """
            zones: { example.com: {} }
            domains:
              - name: example.com
                mx: [{ host: mx1.example.com, cert: mx1.pem }]
            """;

    @Test
    void theProfileIsTakenFromTheConfig() throws Exception {
        ServeSettings serve = load(DOMAINS + "serve:\n  tls_profile: modern\n").serve();

        assertThat(serve.tlsProfile()).isEqualTo(TlsProfileChoice.MODERN);
        assertThat(serve.position()).isEqualTo(SourcePosition.at("test.yaml", 5, 1));
        assertThat(load(DOMAINS + "serve: { tls_profile: bsi }\n").serve().tlsProfile())
                .isEqualTo(TlsProfileChoice.BSI);
    }

    @Test
    void withoutTheSectionOrTheKeyTheProfileIsBsi() throws Exception {
        assertThat(load(DOMAINS).serve()).isEqualTo(ServeSettings.defaults());
        assertThat(load(DOMAINS).serve().tlsProfile()).isEqualTo(TlsProfileChoice.BSI);
        assertThat(load(DOMAINS + "serve:\n").serve().tlsProfile()).isEqualTo(TlsProfileChoice.BSI);
        assertThat(load(DOMAINS + "serve: {}\n").serve().tlsProfile()).isEqualTo(TlsProfileChoice.BSI);
    }

    @Test
    void aBadValueIsAnErrorAtTheValueWithTheClosestProfile() {
        assertThat(findings(DOMAINS + "serve:\n  tls_profile: BSI\n"))
                .containsExactly(
                        "test.yaml:6:16: error: 'tls_profile' must be bsi or modern, found 'BSI'; did you mean 'bsi'?"
                                + " [serve.tls-profile]");
        assertThat(findings(DOMAINS + "serve:\n  tls_profile: compatible\n"))
                .containsExactly(
                        "test.yaml:6:16: error: 'tls_profile' must be bsi or modern, found 'compatible' [serve.tls-profile]");
        assertThat(findings(DOMAINS + "serve:\n  tls_profile: [bsi]\n"))
                .singleElement()
                .asString()
                .startsWith("test.yaml:6:16: error: 'tls_profile' must be a single value")
                .endsWith("[config.type]");
        assertThat(findings(DOMAINS + "serve: bsi\n"))
                .containsExactly(
                        "test.yaml:5:8: error: 'serve' must be a map such as { tls_profile: bsi }, found the string \"bsi\""
                                + " [config.type]");
    }

    @Test
    void theStatusPagesAndTheAdminListenerAreSetUnderServe() throws Exception {
        ServeSettings serve = load(DOMAINS
                        + "serve:\n  status_check: /var/lib/mxpolicy/check.json\n  status_stale_after: 3h\n"
                        + "  status_audit: /var/lib/mxpolicy/audit.json\n"
                        + "  admin_tls_certificate: admin.crt\n  admin_tls_key: admin.key\n"
                        + "  admin_password_file: admin.passwd\n")
                .serve();
        assertThat(serve.statusCheck().map(FileReference::path)).contains("/var/lib/mxpolicy/check.json");
        assertThat(serve.staleAfter()).isEqualTo(java.time.Duration.ofHours(3));
        assertThat(serve.statusAudit().map(FileReference::path)).contains("/var/lib/mxpolicy/audit.json");
        assertThat(load(DOMAINS).serve().statusAudit()).isEmpty();
        assertThat(serve.adminCertificate().map(FileReference::path)).contains("admin.crt");
        assertThat(serve.adminKey().map(FileReference::path)).contains("admin.key");
        assertThat(serve.adminPasswords().map(FileReference::path)).contains("admin.passwd");
        assertThat(load(DOMAINS).serve().staleAfter()).isEqualTo(ServeSettings.DEFAULT_STALE_AFTER);
    }

    @Test
    void aCertificateWithoutKeyAndABadAgeAreErrorsAtTheirPositions() {
        assertThat(findings(DOMAINS + "serve:\n  admin_tls_certificate: admin.crt\n"))
                .containsExactly("test.yaml:5:1: error: 'serve' needs both admin_tls_certificate and admin_tls_key,"
                        + " or neither [config.type]");
        assertThat(findings(DOMAINS + "serve:\n  status_stale_after: soon\n"))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("test.yaml:6:23: error: 'status_stale_after' must be a duration");
        assertThat(findings(DOMAINS + "serve:\n  status_audit: [a, b]\n"))
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("test.yaml:6:17: error: 'status_audit' must be");
    }

    @Test
    void anUnknownKeyIsAnErrorWithTheKnownKeyItWasMeantToBe() {
        assertThat(findings(DOMAINS + "serve:\n  tls-profile: modern\n"))
                .containsExactly(
                        "test.yaml:6:3: error: unknown key 'tls-profile' under 'serve'; did you mean 'tls_profile'?"
                                + " [config.unknown-key]");
        assertThat(findings(DOMAINS + "serve:\n  engine: conscrypt\n"))
                .containsExactly(
                        "test.yaml:6:3: error: unknown key 'engine' under 'serve'; known keys: tls_profile, status_check,"
                                + " status_stale_after, status_audit, admin_tls_certificate, admin_tls_key, admin_password_file"
                                + " [config.unknown-key]");
        assertThat(findings(DOMAINS + "serv:\n  tls_profile: modern\n"))
                .containsExactly(
                        "test.yaml:5:1: error: unknown key 'serv' at the top level; did you mean 'serve'? [config.unknown-key]");
    }

    private static ProviderConfig load(String yaml) throws InvalidInputException {
        return ConfigLoader.load(new StringReader(yaml), "test.yaml").config();
    }

    private static List<String> findings(String yaml) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> load(yaml));
        assertThat(e).as("rejected").isNotNull();
        return e.findings().stream().map(Finding::format).toList();
    }
}
