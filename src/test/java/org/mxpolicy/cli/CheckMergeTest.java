package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.plan.Refusal;
import org.mxpolicy.plan.ZonePlan;
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
}
