package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {

    @Test
    void countsRequestsByPolicyHostAndStatusAndLumpsOtherHostsTogether() throws Exception {
        ServerMetrics metrics = new ServerMetrics(ExampleHosts.hosts());
        metrics.count(Optional.of("mta-sts.example.net"), 200);
        metrics.count(Optional.of("mta-sts.example.com"), 200);
        metrics.count(Optional.of("mta-sts.example.com"), 200);
        metrics.count(Optional.of("mta-sts.example.com"), 404);
        metrics.count(Optional.of("attacker-chosen.example"), 404);
        metrics.count(Optional.empty(), 400);
        String leafNotAfter = String.valueOf(ExampleHosts.hosts()
                .get(0)
                .chain()
                .leaf()
                .getNotAfter()
                .toInstant()
                .getEpochSecond());

        assertThat(metrics.render()).isEqualTo("""
                # HELP mxpolicy_http_requests_total Requests answered by the HTTPS listener, by host and status.
                # TYPE mxpolicy_http_requests_total counter
                mxpolicy_http_requests_total{host="mta-sts.example.com",status="200"} 2
                mxpolicy_http_requests_total{host="mta-sts.example.com",status="404"} 1
                mxpolicy_http_requests_total{host="mta-sts.example.net",status="200"} 1
                mxpolicy_http_requests_total{host="other",status="400"} 1
                mxpolicy_http_requests_total{host="other",status="404"} 1
                # HELP mxpolicy_certificate_not_after_seconds When each host's certificate expires, in seconds since the Unix epoch.
                # TYPE mxpolicy_certificate_not_after_seconds gauge
                mxpolicy_certificate_not_after_seconds{host="mta-sts.example.com"} %s
                mxpolicy_certificate_not_after_seconds{host="mta-sts.example.net"} %s
                # HELP mxpolicy_reloads_total Reloads of the config and certificates tried, by result.
                # TYPE mxpolicy_reloads_total counter
                mxpolicy_reloads_total{result="failure"} 0
                mxpolicy_reloads_total{result="success"} 0
                # HELP mxpolicy_last_reload_success 1 when the last reload took effect or none was tried, 0 when it failed and the previous config is still served.
                # TYPE mxpolicy_last_reload_success gauge
                mxpolicy_last_reload_success 1
                # HELP mxpolicy_last_reload_timestamp_seconds When the last reload was tried, in seconds since the Unix epoch; 0 before the first.
                # TYPE mxpolicy_last_reload_timestamp_seconds gauge
                mxpolicy_last_reload_timestamp_seconds 0
                """.formatted(
                        leafNotAfter,
                        String.valueOf(ExampleHosts.hosts()
                                .get(1)
                                .chain()
                                .leaf()
                                .getNotAfter()
                                .toInstant()
                                .getEpochSecond())));
    }

    @Test
    void reloadsAreCountedByResultAndTheLastOneIsShown() throws Exception {
        ServerMetrics metrics = new ServerMetrics(ExampleHosts.hosts());
        metrics.reloaded(true, Instant.parse("2026-11-26T10:00:00Z"));
        metrics.reloaded(true, Instant.parse("2026-11-26T11:00:00Z"));
        metrics.reloaded(false, Instant.parse("2026-11-26T12:00:00Z"));

        assertThat(metrics.render())
                .contains("mxpolicy_reloads_total{result=\"failure\"} 1\n")
                .contains("mxpolicy_reloads_total{result=\"success\"} 2\n")
                .contains("mxpolicy_last_reload_success 0\n")
                .contains("mxpolicy_last_reload_timestamp_seconds 1795694400\n");

        metrics.reloaded(true, Instant.parse("2026-11-26T13:00:00Z"));
        assertThat(metrics.render()).contains("mxpolicy_last_reload_success 1\n");
    }

    @Test
    void clientConfigurationHostsAreHostLabelsToo() throws Exception {
        ServerMetrics metrics = new ServerMetrics(java.util.List.of());
        metrics.certificates(ExampleHosts.served().certificates());
        metrics.count(Optional.of("autodiscover.example.com"), 200);
        assertThat(metrics.render())
                .contains("mxpolicy_http_requests_total{host=\"autodiscover.example.com\",status=\"200\"} 1\n")
                .contains("mxpolicy_certificate_not_after_seconds{host=\"autoconfig.example.com\"} ");
    }
}
