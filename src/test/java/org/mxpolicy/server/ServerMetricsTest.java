package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

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
        String leafNotAfter = String.valueOf(ExampleHosts.hosts().get(0).chain().leaf().getNotAfter().toInstant()
                .getEpochSecond());

        assertThat(metrics.render()).isEqualTo("""
                # HELP mxpolicy_http_requests_total Requests answered by the policy listener, by host and status.
                # TYPE mxpolicy_http_requests_total counter
                mxpolicy_http_requests_total{host="mta-sts.example.com",status="200"} 2
                mxpolicy_http_requests_total{host="mta-sts.example.com",status="404"} 1
                mxpolicy_http_requests_total{host="mta-sts.example.net",status="200"} 1
                mxpolicy_http_requests_total{host="other",status="400"} 1
                mxpolicy_http_requests_total{host="other",status="404"} 1
                # HELP mxpolicy_certificate_not_after_seconds When each policy host's certificate expires, in seconds since the Unix epoch.
                # TYPE mxpolicy_certificate_not_after_seconds gauge
                mxpolicy_certificate_not_after_seconds{host="mta-sts.example.com"} %s
                mxpolicy_certificate_not_after_seconds{host="mta-sts.example.net"} %s
                """.formatted(leafNotAfter, String.valueOf(ExampleHosts.hosts().get(1).chain().leaf().getNotAfter()
                .toInstant().getEpochSecond())));
    }
}
