package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxpolicy.audit.OwnEndpoint;
import org.mxpolicy.files.ConfigFile;

class OwnEndpointsTest {

    @Test
    void theExampleConfigsClientServicesAndHttpsHostsAreTheEndpointsAudited() throws Exception {
        Map<String, List<OwnEndpoint>> own = OwnEndpoints.of(
                ConfigFile.load(Path.of("examples/provider.yaml")).config());

        assertThat(own).containsKeys("example.com", "example.net");
        assertThat(own.get("example.com"))
                .extracting(e -> e.service() + " " + e.host() + ":" + e.port() + " " + e.start() + " "
                        + e.requirement().id())
                .containsExactly(
                        "submissions smtp.example.com:465 IMPLICIT 01-M",
                        "imaps imap.example.com:993 IMPLICIT 01-M",
                        "submission smtp.example.com:587 SMTP 02-R",
                        "imap imap.example.com:143 IMAP 02-R",
                        "autoconfig autoconfig.example.com:443 IMPLICIT 01-M",
                        "autodiscover autodiscover.example.com:443 IMPLICIT 01-M",
                        "mta-sts mta-sts.example.com:443 IMPLICIT 07-R");
        assertThat(own.get("example.com").get(0).implicitTlsMail()).isTrue();
        assertThat(own.get("example.com").get(4).implicitTlsMail()).isFalse();
    }
}
