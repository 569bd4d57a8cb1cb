package org.mxpolicy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/** {@code client_services.autoconfig} and {@code .autodiscover}: the certificates of the hosts serve answers for. */
class ClientServicesCertificatesTest {

    private static final String SOURCE = "p.yaml";

    private static String config(String clientServices) {
        return """
                zones:
                  example.com: {}
                domains:
                  - name: example.com
                    mx:
                      - host: mx1.example.com
                        cert: mx1.pem
                    client_services:
                      imaps: imap.example.com
                """ + clientServices.indent(6);
    }

    private static ClientServices load(String clientServices) throws Exception {
        return ConfigLoader.load(new StringReader(config(clientServices)), SOURCE)
                .config()
                .domains()
                .get(0)
                .clientServices()
                .orElseThrow();
    }

    private static List<String> errors(String clientServices) throws Exception {
        InvalidInputException e = catchThrowableOfType(
                () -> ConfigLoader.load(new StringReader(config(clientServices)), SOURCE), InvalidInputException.class);
        assertThat(e).as("no error for:%n%s", clientServices).isNotNull();
        return e.findings().stream()
                .filter(Finding::isError)
                .map(Finding::format)
                .toList();
    }

    @Test
    void bothHostsWithCertAndKey() throws Exception {
        ClientServices services = load("""
                autoconfig:
                  cert: live/autoconfig.example.com/fullchain.pem
                  key: live/autoconfig.example.com/privkey.pem
                autodiscover: { cert: ad.pem, key: ad.key }
                """);
        assertThat(services.autoconfig())
                .hasValue(new ServerCertificate(
                        new FileReference(
                                "live/autoconfig.example.com/fullchain.pem", SourcePosition.at(SOURCE, 11, 15)),
                        new FileReference("live/autoconfig.example.com/privkey.pem", SourcePosition.at(SOURCE, 12, 14)),
                        SourcePosition.at(SOURCE, 10, 7)));
        assertThat(services.autodiscover().orElseThrow().key().path()).isEqualTo("ad.key");
    }

    @Test
    void withoutThemNoHostIsServed() throws Exception {
        ClientServices services = load("");
        assertThat(services.autoconfig()).isEmpty();
        assertThat(services.autodiscover()).isEmpty();
    }

    @Test
    void certAndKeyAreBothRequired() throws Exception {
        assertThat(errors("autoconfig: { cert: ac.pem }"))
                .singleElement()
                .asString()
                .startsWith("p.yaml:10:7: error:")
                .contains("'autoconfig' is missing the required key 'key'")
                .contains("privkey.pem")
                .contains("[config.missing-key]");
        assertThat(errors("autodiscover: ad.pem"))
                .singleElement()
                .asString()
                .contains("'autodiscover' must be a map with 'cert' and 'key'");
    }

    @Test
    void misspeltKeysGetASuggestionAndNoSecondFinding() throws Exception {
        assertThat(errors("autoconfg: { cert: ac.pem, key: ac.key }"))
                .singleElement()
                .asString()
                .contains("unknown key 'autoconfg' under client_services; did you mean 'autoconfig'?");
        assertThat(errors("autodiscover: { cert: ad.pem, kye: ad.key }"))
                .singleElement()
                .asString()
                .startsWith("p.yaml:10:37:")
                .contains("unknown key 'kye' under autodiscover; did you mean 'key'?");
    }
}
