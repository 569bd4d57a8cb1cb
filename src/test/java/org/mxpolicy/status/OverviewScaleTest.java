package org.mxpolicy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.rollover.RolloverState;

/** The overview of a hosting provider's 20,000 domains: paged, sorted and filtered on the server. */
class OverviewScaleTest {

    static final int DOMAINS = 20_000;

    /** Every 50th domain serves another MTA-STS policy, every 7th has no TLS-RPT record. */
    static String checkJson(int domains) {
        StringBuilder json = new StringBuilder(domains * 600);
        json.append("{\"status\":\"CRITICAL\",\"exit_code\":2,\"started_at\":\"2026-12-07T22:00:00Z\",\"results\":[");
        String sep = "";
        for (int i = 0; i < domains; i++) {
            String d = String.format("customer%05d.example", i);
            json.append(sep);
            sep = ",";
            if (i % 50 == 0) {
                result(json, "CRITICAL", "mta-sts.policy-differs", d, "the policy served differs");
            } else {
                result(json, "OK", "mta-sts.ok", d, "policy id 20261201T000000 published and served (mode enforce)");
            }
            json.append(',');
            if (i % 7 == 0) {
                result(json, "WARNING", "tlsrpt.missing", d, "no v=TLSRPTv1 record");
            } else {
                result(json, "OK", "tlsrpt.ok", d, "TLS-RPT: v=TLSRPTv1; rua=mailto:tlsrpt@" + d);
            }
        }
        for (String host : List.of("mx1.hoster.example", "mx2.hoster.example")) {
            json.append(',');
            result(json, "OK", "tlsa.disk-matched", host, "the certificate on disk matches a published TLSA record");
        }
        json.append("],\"plans\":[],\"expiries\":[],\"domains\":[");
        sep = "";
        for (int i = 0; i < domains; i++) {
            String d = String.format("customer%05d.example", i);
            json.append(sep)
                    .append("{\"domain\":\"")
                    .append(d)
                    .append("\",\"mx\":[\"mx1.hoster.example\",\"mx2.hoster.example\"],\"tls_reports\":true,")
                    .append("\"mta_sts\":{\"mode\":\"enforce\",\"id\":\"20261201T000000\"}}");
            sep = ",";
        }
        return json.append("]}").toString();
    }

    private static void result(StringBuilder json, String status, String id, String subject, String message) {
        json.append("{\"status\":\"")
                .append(status)
                .append("\",\"id\":\"")
                .append(id)
                .append("\",\"subject\":\"")
                .append(subject)
                .append("\",\"message\":\"")
                .append(message)
                .append("\"}");
    }

    @Test
    void twentyThousandDomainsArePagedWorstFirstAndEachPageIsSmall() throws Exception {
        StatusModel model = new StatusModel(CheckJson.read(
                new ByteArrayInputStream(checkJson(DOMAINS).getBytes(StandardCharsets.UTF_8)), "check.json"));
        assertThat(model.rows()).hasSize(DOMAINS);
        // 400 critical (every 50th of 0..19999), 2858 multiples of 7 of which 58 are multiples of 350
        assertThat(model.counts().get(Level.CRITICAL)).isEqualTo(400);
        assertThat(model.counts().get(Level.WARNING)).isEqualTo(2858 - 58);
        StatusSite site = new StatusSite(
                new StatusSource() {
                    @Override
                    public Optional<StatusModel> check() {
                        return Optional.of(model);
                    }

                    @Override
                    public Optional<RolloverState> rollover(String host) {
                        return Optional.empty();
                    }

                    @Override
                    public String checkLocation() {
                        return "check.json";
                    }
                },
                StatusFixtures.CLOCK,
                Duration.ofMinutes(20),
                Duration.ofHours(1));

        String first = site.overview(Map.of()).html();
        assertThat(first).contains("20000 of 20000 domains, page 1 of 200.");
        assertThat(count(first, "<tr class=\"row-")).isEqualTo(100);
        assertThat(first).contains("<a href=\"domain/customer00000.example\">").contains("row-critical");
        assertThat(first).doesNotContain("row-ok");
        // a page of the page's size, whatever the number of domains
        assertThat(first.length()).isLessThan(200_000);

        String last = site.overview(Map.of("page", List.of("200"))).html();
        assertThat(count(last, "<tr class=\"row-")).isEqualTo(100);
        assertThat(last).contains("row-ok").doesNotContain("row-critical").contains("rel=\"prev\"");
        assertThat(last).doesNotContain("rel=\"next\"");

        String byName = site.overview(Map.of("sort", List.of("name"), "order", List.of("desc"), "size", List.of("10")))
                .html();
        assertThat(byName).contains("page 1 of 2000");
        assertThat(byName.indexOf("customer19999.example")).isLessThan(byName.indexOf("customer19990.example"));

        String filtered = site.overview(Map.of("q", List.of("customer1235"), "level", List.of("critical")))
                .html();
        assertThat(filtered).contains("1 of 20000 domains.").contains("customer12350.example");

        String asked = site.overview(Map.of("size", List.of("5000"))).html();
        assertThat(count(asked, "<tr class=\"row-"))
                .as("a request is held to MAX_SIZE rows")
                .isEqualTo(1000);

        String report = StatusSite.report(model, StatusFixtures.CLOCK.instant(), Duration.ofMinutes(20));
        assertThat(count(report, "<tr class=\"row-"))
                .as("the report file has every domain")
                .isEqualTo(DOMAINS);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
