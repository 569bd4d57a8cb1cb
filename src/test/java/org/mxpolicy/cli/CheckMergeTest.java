package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.check.ReportMetrics;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.plan.Refusal;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportSummary;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** A shard's JSON report read back by {@code --merge} is the report that was written, plan and refusals included. */
class CheckMergeTest {

    @TempDir
    Path dir;

    @Test
    void aReportSurvivesTheJsonRoundTrip() throws Exception {
        Name owner = Name.fromString("_25._tcp.mx1.example.com.");
        TLSARecord old =
                new TLSARecord(owner, DClass.IN, 600, 3, 1, 1, HexFormat.of().parseHex("ab".repeat(32)));
        TLSARecord fresh =
                new TLSARecord(owner, DClass.IN, 600, 3, 1, 1, HexFormat.of().parseHex("cd".repeat(32)));
        Name smtp = Name.fromString("_smtp._tls.example.com.");
        TXTRecord report = new TXTRecord(smtp, DClass.IN, 3600, List.of("v=TLSRPTv1; rua=mailto:\"tls\"@example.com"));
        RrsetChange tlsa = new RrsetChange(owner, Type.TLSA, List.of(old), List.of(fresh));
        RrsetChange txt = new RrsetChange(smtp, Type.TXT, List.of(), List.of(report));
        ZonePlan plan = new ZonePlan(
                Name.fromString("example.com."),
                List.of(tlsa, txt),
                List.of(new Refusal("plan.drops-live-tlsa", tlsa, "in use"), new Refusal("plan.x", null, "whole")));
        CheckReport original = new CheckReport(
                Instant.parse("2026-12-07T20:00:00.123Z"),
                Duration.ofMillis(2500),
                List.of(
                        new CheckResult(CheckStatus.CRITICAL, "plan.drops-live-tlsa", "example.com", "in use"),
                        new CheckResult(CheckStatus.OK, "dane.verified", "mx1.example.com", "fine")),
                List.of(plan),
                List.of(new Expiry("certificate", "mx1.example.com", "disk", Instant.parse("2027-01-01T00:00:00Z"))));
        Path file = dir.resolve("shard.json");
        Files.writeString(
                file,
                CheckOutput.json.render(
                        original, false, Map.of("shard", Map.of("index", 1, "count", 1, "config", "ab"))));

        CheckMerge.Merged merged = CheckMerge.merge(List.of(file), null, null);

        for (CheckOutput format : CheckOutput.values()) {
            assertThat(format.render(merged.report(), false)).isEqualTo(format.render(original, false));
        }
        assertThat(merged.report().status()).isEqualTo(CheckStatus.CRITICAL);
        assertThat(merged.shards()).containsExactly(1);
    }

    @Test
    void theTlsReportSamplesOfTwoShardsAreThoseOfOneUnshardedCheck() throws Exception {
        Instant start = Instant.parse("2026-12-07T20:00:00Z");
        ReportSummary.Group a = new ReportSummary.Group(
                "a.example",
                "tlsa",
                "",
                90,
                10,
                3,
                start.minusSeconds(86400),
                start.minusSeconds(3600),
                Map.of("validation-failure", 10L),
                Map.of("Example Org", 10L));
        ReportSummary.Group b = new ReportSummary.Group(
                "b.example",
                "sts",
                "mx1.example.com",
                50,
                0,
                1,
                start.minusSeconds(7200),
                start.minusSeconds(7200),
                Map.of(),
                Map.of());
        ReportStore.LastReport lastA = new ReportStore.LastReport("a.example", start.minusSeconds(3600));
        ReportStore.LastReport lastB = new ReportStore.LastReport("b.example", start.minusSeconds(7200));
        Duration window = Duration.ofDays(7);
        CheckReport whole = report(
                start, new ReportMetrics(window, List.of(a, b), List.of(lastA, lastB)), "a.example", "b.example");
        Path one = shard(1, report(start, new ReportMetrics(window, List.of(b), List.of(lastB)), "b.example"));
        Path two = shard(2, report(start, new ReportMetrics(window, List.of(a), List.of(lastA)), "a.example"));

        CheckMerge.Merged merged = CheckMerge.merge(List.of(one, two), null, null);

        assertThat(CheckOutput.prometheus.render(merged.report(), false))
                .isEqualTo(CheckOutput.prometheus.render(whole, false))
                .contains("mxpolicy_tlsrpt_failed_sessions{domain=\"a.example\",policy_type=\"tlsa\","
                        + "result_type=\"validation-failure\"} 10")
                .contains(
                        "mxpolicy_tlsrpt_sessions{domain=\"b.example\",policy_type=\"sts\",result=\"successful\"} 50");
        assertThat(merged.report().reports()).contains(whole.reports().get());
    }

    @Test
    void shardsThatJudgedReportsOverDifferentWindowsAreNotMerged() throws Exception {
        Instant start = Instant.parse("2026-12-07T20:00:00Z");
        Path one = shard(1, report(start, new ReportMetrics(Duration.ofDays(7), List.of(), List.of()), "a.example"));
        Path two = shard(2, report(start, new ReportMetrics(Duration.ofDays(1), List.of(), List.of()), "b.example"));

        assertThatThrownBy(() -> CheckMerge.merge(List.of(one, two), null, null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("judged the TLS reports over 86400 s, another shard over 604800 s");
    }

    private static CheckReport report(Instant start, ReportMetrics metrics, String... domains) {
        return new CheckReport(
                start,
                Duration.ofSeconds(1),
                Stream.of(domains)
                        .map(d -> new CheckResult(CheckStatus.OK, "tlsrpt.failure-rate", d, "fine"))
                        .toList(),
                List.of(),
                List.of(),
                Optional.of(metrics));
    }

    private Path shard(int index, CheckReport report) throws Exception {
        return Files.writeString(
                dir.resolve("shard-" + index + ".json"),
                CheckOutput.json.render(
                        report, false, Map.of("shard", Map.of("index", index, "count", 2, "config", "ab"))));
    }
}
