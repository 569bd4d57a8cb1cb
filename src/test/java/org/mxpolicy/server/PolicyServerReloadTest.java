package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.mxpolicy.cert.HostNames;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;

/** A running server takes new hosts, policies and certificates without a restart. */
class PolicyServerReloadTest {

    private static final String COM = "mta-sts.example.com";
    private static final String NET = "mta-sts.example.net";
    private static final String PATH = "/.well-known/mta-sts.txt";

    @Test
    void reloadAddsHostsAndReplacesPoliciesOnTheSameListener() throws Exception {
        List<PolicyHost> example = ExampleHosts.hosts();
        PolicyHost com =
                example.stream().filter(h -> h.host().equals(COM)).findFirst().orElseThrow();
        PolicyHost net =
                example.stream().filter(h -> h.host().equals(NET)).findFirst().orElseThrow();
        SSLContext trust = ExampleHosts.clientTrustingTestCa();
        try (PolicyServer server = PolicyServer.start(
                ServedHosts.of(List.of(com)),
                new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0),
                ServerLimits.DEFAULT,
                line -> {})) {
            TlsClient client = new TlsClient(trust, server.port());
            assertThat(client.request("GET", COM, PATH).body())
                    .isEqualTo(com.policy().bytes());
            assertThatThrownBy(() -> client.request("GET", NET, PATH)).isInstanceOf(IOException.class);

            MtaStsPolicy changed = new MtaStsPolicy(MtaStsMode.TESTING, List.of("mx9.example.com"), 86400);
            server.reload(ServedHosts.of(List.of(new PolicyHost(COM, changed, com.chain(), com.key()), net)));

            TlsClient.Response newCom = client.request("GET", COM, PATH);
            assertThat(newCom.body()).isEqualTo(changed.bytes());
            TlsClient.Response newNet = client.request("GET", NET, PATH);
            assertThat(newNet.status()).isEqualTo(200);
            assertThat(newNet.body()).isEqualTo(net.policy().bytes());
            assertThat(HostNames.dnsNames(newNet.certificate())).containsExactly(NET);
        }
    }

    @Test
    void aReloadWithoutHostsIsRefusedAndTheOldHostsStay() throws Exception {
        List<PolicyHost> hosts = ExampleHosts.hosts();
        try (PolicyServer server = PolicyServer.start(
                ServedHosts.of(hosts),
                new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0),
                ServerLimits.DEFAULT,
                line -> {})) {
            assertThatThrownBy(() -> server.reload(ServedHosts.of(List.of())))
                    .isInstanceOf(ServerException.class)
                    .hasMessageContaining("still serving the previous ones");
            TlsClient client = new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port());
            assertThat(client.request("GET", NET, PATH).status()).isEqualTo(200);
        }
    }
}
