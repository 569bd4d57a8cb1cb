package org.mxpolicy.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.keyroll.KeyId;
import org.mxpolicy.keyroll.KeyPhase;
import org.mxpolicy.keyroll.KeyRole;
import org.mxpolicy.keyroll.KeyStatus;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.rollover.RolloverState.KeyEntry;
import org.mxpolicy.rollover.RolloverState.NextKey;
import org.mxpolicy.rollover.RolloverState.RetiringKey;
import org.mxpolicy.testing.GoldenFiles;

/**
 * The pages of the small check run, rendered with a fixed clock, against reviewed files under
 * {@code golden/status/}; and every value written as text, never as markup.
 */
class StatusPagesGoldenTest {

    /** mx1.example.com: a next key whose record is served and aging, and a retiring key. */
    static RolloverState rollover() {
        Instant t = StatusFixtures.NOW;
        return new RolloverState(
                "mx1.example.com",
                key("current key of mx1", "ECDSA P-256", t.minus(Duration.ofDays(30))),
                Optional.of(new NextKey(
                        key("next key of mx1", "ECDSA P-256", t.minus(Duration.ofDays(2))),
                        Optional.of(t.minus(Duration.ofHours(20))),
                        Duration.ofHours(24))),
                Optional.of(new RetiringKey(key("old key of mx1", "RSA 2048", t.minus(Duration.ofDays(1))), false)),
                t.minus(Duration.ofHours(20)));
    }

    private static KeyEntry key(String bytes, String description, Instant since) {
        byte[] spki = bytes.getBytes(StandardCharsets.US_ASCII);
        try {
            String hex = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(spki));
            return new KeyEntry(spki, hex, description, since);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The audit of example.net and partner.example, written five hours before the pages' clock. */
    static AuditRun audit(Instant written) throws Exception {
        try (java.io.InputStream in = StatusPagesGoldenTest.class.getResourceAsStream("/status/audit-small.json")) {
            return AuditJson.read(in, written, "audit-small.json");
        }
    }

    static StatusSite site() throws Exception {
        return site(Optional.of(audit(StatusFixtures.NOW.minus(Duration.ofHours(5)))));
    }

    /**
     * example.net's keys: a key-signing key in use, a zone-signing key retired two days ago and
     * waiting to be removed tomorrow, and its successor active since then.
     */
    static ZoneKeys keys() {
        Instant t = StatusFixtures.NOW;
        return new ZoneKeys(
                "example.net",
                Optional.of(t.minus(Duration.ofMinutes(30))),
                List.of(
                        key(20001, KeyRole.KSK, KeyPhase.ACTIVE, "none due", null, t, -200, -199, null),
                        key(
                                30001,
                                KeyRole.ZSK,
                                KeyPhase.RETIRED,
                                "removed at 2026-12-08 23:00 UTC",
                                t.plus(Duration.ofDays(1)),
                                t,
                                -100,
                                -99,
                                -2),
                        key(30002, KeyRole.ZSK, KeyPhase.ACTIVE, "none due", null, t, -5, -2, null)));
    }

    private static ZoneKeys.Key key(
            int tag,
            KeyRole role,
            KeyPhase phase,
            String next,
            Instant nextAt,
            Instant t,
            int publish,
            int activate,
            Integer inactive) {
        List<ZoneKeys.Event> events = new java.util.ArrayList<>();
        events.add(new ZoneKeys.Event("publish", t.plus(Duration.ofDays(publish))));
        events.add(new ZoneKeys.Event("activate", t.plus(Duration.ofDays(activate))));
        if (inactive != null) {
            events.add(new ZoneKeys.Event("inactive", t.plus(Duration.ofDays(inactive))));
        }
        return new ZoneKeys.Key(
                new KeyStatus(
                        new KeyId(13, tag), "Kexample.net.+013+" + tag, role, phase, next, Optional.ofNullable(nextAt)),
                events);
    }

    static StatusSite site(Optional<AuditRun> audit) throws Exception {
        StatusModel model = StatusFixtures.small();
        RolloverState state = rollover();
        StatusSource source = new StatusSource() {
            @Override
            public Optional<StatusModel> check() {
                return Optional.of(model);
            }

            @Override
            public Optional<AuditRun> audit() {
                return audit;
            }

            @Override
            public Optional<ZoneKeys> keys(String zone, Instant now) {
                return zone.equals("example.net") ? Optional.of(StatusPagesGoldenTest.keys()) : Optional.empty();
            }

            @Override
            public Optional<RolloverState> rollover(String host) {
                return host.equals(state.host()) ? Optional.of(state) : Optional.empty();
            }

            @Override
            public String checkLocation() {
                return "/var/lib/mxpolicy/check.json";
            }
        };
        return new StatusSite(source, StatusFixtures.CLOCK, Duration.ofMinutes(20), Duration.ofHours(1));
    }

    @Test
    void overview() throws Exception {
        StatusSite.Page page = site().overview(Map.of());
        assertThat(page.status()).isEqualTo(200);
        GoldenFiles.assertMatches("status/overview.html", page.html());
    }

    @Test
    void overviewFilteredAndPaged() throws Exception {
        StatusSite.Page page = site().overview(Map.of(
                "q", List.of("example"), "sort", List.of("name"), "size", List.of("2"), "page", List.of("2")));
        GoldenFiles.assertMatches("status/overview-page-2.html", page.html());
    }

    @Test
    void domainPage() throws Exception {
        GoldenFiles.assertMatches(
                "status/domain-example.net.html", site().domain("example.net").html());
    }

    @Test
    void hostPageWithItsRollover() throws Exception {
        GoldenFiles.assertMatches(
                "status/mx-mx1.example.com.html", site().host("mx1.example.com").html());
    }

    @Test
    void tr03108PageWithEachDomainsRequirements() throws Exception {
        StatusSite.Page page = site().tr03108(Map.of());
        assertThat(page.status()).isEqualTo(200);
        GoldenFiles.assertMatches("status/tr-03108.html", page.html());
    }

    @Test
    void theTr03108ViewIsThereOnlyWithAnAudit() throws Exception {
        StatusSite without = site(Optional.empty());
        assertThat(without.tr03108(Map.of()).status()).isEqualTo(404);
        assertThat(without.overview(Map.of()).html()).doesNotContain("tr-03108");
        assertThat(without.domain("example.net").html()).doesNotContain("TR-03108");
        assertThat(site().overview(Map.of()).html()).contains("<a href=\"tr-03108\">TR-03108 view</a>");
        assertThat(site().domain("example.com").html())
                .contains("The last audit did not audit example.com.")
                .doesNotContain("TR-03108-05-M");
    }

    @Test
    void anOldAuditIsSaidToBeStale() throws Exception {
        StatusSite site = site(Optional.of(audit(StatusFixtures.NOW.minus(Duration.ofDays(3)))));
        assertThat(site.tr03108(Map.of()).html())
                .contains("<strong>Stale audit:</strong> written 2026-12-04 23:00 UTC, 3 d ago (more than 2 d).");
        assertThat(site.domain("example.net").html()).contains("<strong>Stale audit:</strong>");
    }

    @Test
    void aScriptInAnAuditsEvidenceIsShownAsText() throws Exception {
        StatusSite site = site();
        for (String html : List.of(
                site.tr03108(Map.of()).html(), site.domain("example.net").html())) {
            assertThat(html)
                    .doesNotContain("<script")
                    .contains("reports go to &lt;script&gt;alert(1)&lt;/script&gt;, which enforces");
        }
    }

    @Test
    void standaloneReport() throws Exception {
        String html = StatusSite.report(StatusFixtures.small(), StatusFixtures.NOW, Duration.ofMinutes(20));
        // the stylesheet is inside, checked by its own file; the rest is the golden file
        assertThat(html).contains("<style>" + StatusPages.stylesheet() + "</style>");
        assertThat(html).doesNotContain("href=");
        GoldenFiles.assertMatches("status/report.html", html.replace(StatusPages.stylesheet(), "/* style.css */"));
    }

    @Test
    void unknownDomainsAndHostsAre404AndAMissingFile503() throws Exception {
        assertThat(site().domain("example.invalid").status()).isEqualTo(404);
        assertThat(site().host("<script>").status()).isEqualTo(404);
        assertThat(site().host("<script>").html())
                .contains("no MX host &lt;script&gt;")
                .doesNotContain("<script>");
        StatusSource empty = new StatusSource() {
            @Override
            public Optional<StatusModel> check() {
                return Optional.empty();
            }

            @Override
            public Optional<RolloverState> rollover(String host) {
                return Optional.empty();
            }

            @Override
            public String checkLocation() {
                return "/var/lib/mxpolicy/check.json";
            }
        };
        StatusSite.Page page = new StatusSite(empty, StatusFixtures.CLOCK, Duration.ofMinutes(20), Duration.ofHours(1))
                .overview(Map.of());
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.html()).contains("no check run saved yet at /var/lib/mxpolicy/check.json");
    }

    @Test
    void aScriptInADomainNameOrAReportFieldIsShownAsText() throws Exception {
        String evil = "<script>alert(1)</script>";
        String json = "{\"started_at\":\"2026-12-07T22:00:00Z\",\"results\":["
                + "{\"status\":\"CRITICAL\",\"id\":\"mx.missing\",\"subject\":\"" + evil + "\",\"message\":\"" + evil
                + "\"}],\"expiries\":[{\"kind\":\"certificate\",\"subject\":\"" + evil
                + "\",\"source\":\"disk\",\"not_after\":\"2027-01-01T00:00:00Z\"}],"
                + "\"domains\":[{\"domain\":\"" + evil + "\",\"mx\":[\"" + evil + "\"],\"tls_reports\":true,"
                + "\"mta_sts\":{\"mode\":\"" + evil + "\",\"id\":\"\\\"onmouseover='x'\"}}]}";
        StatusModel model = new StatusModel(
                CheckJson.read(new java.io.ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "evil.json"));
        StatusSource source = new StatusSource() {
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
                return "evil.json";
            }
        };
        StatusSite site = new StatusSite(source, StatusFixtures.CLOCK, Duration.ofMinutes(20), Duration.ofHours(1));
        List<String> pages = List.of(
                site.overview(Map.of("q", List.of("<script>"))).html(),
                site.overview(Map.of()).html(),
                site.domain(evil).html(),
                site.host(evil).html(),
                StatusSite.report(model, StatusFixtures.NOW, Duration.ofMinutes(20)));
        for (String html : pages) {
            assertThat(html).doesNotContain("<script").doesNotContain("onmouseover='x'\"");
        }
        assertThat(pages.get(0)).contains("value=\"&lt;script&gt;\"");
        assertThat(pages.get(1)).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(pages.get(2)).contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
        assertThat(pages.get(3)).contains("certificate &lt;script&gt;alert(1)&lt;/script&gt;");
    }
}
