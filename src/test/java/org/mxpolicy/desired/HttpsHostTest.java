package org.mxpolicy.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;

/** The hosts {@code serve} answers for, from the config and the desired state. */
class HttpsHostTest {

    private static final String YAML = """
            zones: { example.com: {}, example.net: {} }
            domains:
              - name: example.com
                mx: [{ host: mx1.example.com, cert: mx1.pem }]
                mta_sts: { mode: enforce, cert: sts.pem, key: sts.key }
                client_services:
                  imaps: imap.example.com:993
                  submissions: smtp.example.com:465
                  autoconfig: { cert: ac.pem, key: ac.key }
                  autodiscover: { cert: ad.pem, key: ad.key }
              - name: example.net
                mx: [{ host: mx1.example.com, cert: mx1.pem }]
                mta_sts: { mode: testing }
            """;

    @Test
    void policyHostsServeThePoliciesOfTheDesiredStateAndClientHostsTheirDomainsSettings() throws Exception {
        ProviderConfig config =
                ConfigLoader.load(new StringReader(YAML), "test.yaml").config();
        MtaStsPolicy policy = new MtaStsPolicy(MtaStsMode.ENFORCE, List.of("mx1.example.com"), 604800);
        DesiredState desired = new DesiredState(
                List.of(),
                List.of(new DomainPolicy("example.com", policy), new DomainPolicy("example.net", policy)),
                List.of(),
                List.of(),
                List.of(),
                Map.of(),
                Set.of());
        List<Finding> warnings = new ArrayList<>();

        List<HttpsHost> hosts = HttpsHost.of(config, desired, warnings);

        assertThat(hosts)
                .extracting(HttpsHost::host)
                .containsExactly("mta-sts.example.com", "autoconfig.example.com", "autodiscover.example.com");
        assertThat(hosts.get(0).policy()).contains(policy);
        assertThat(hosts.get(0).cert().path()).isEqualTo("sts.pem");
        assertThat(hosts.get(1).clientSettings().orElseThrow().domain()).isEqualTo("example.com");
        assertThat(hosts.get(2).key().path()).isEqualTo("ad.key");
        assertThat(warnings).extracting(Finding::id).containsExactly("serve.no-cert");
        assertThat(warnings.get(0).message()).startsWith("mta-sts.example.net is not served");
    }

    @Test
    void aPolicyHostHasAPolicyAndAClientHostSettings() {
        FileReference file = new FileReference("x.pem", SourcePosition.file("test.yaml"));
        assertThatThrownBy(() -> new HttpsHost(
                        HttpsHost.Kind.POLICY,
                        "example.com",
                        "mta-sts.example.com",
                        Optional.empty(),
                        Optional.empty(),
                        file,
                        file))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpsHost(
                        HttpsHost.Kind.AUTOCONFIG,
                        "example.com",
                        "autoconfig.example.com",
                        Optional.empty(),
                        Optional.empty(),
                        file,
                        file))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
