package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.AxeCore;
import org.mxpolicy.testing.BrowserPage;
import org.mxpolicy.testing.BrowserPage.Options;
import org.mxpolicy.testing.HeadlessChromium;
import org.mxpolicy.testing.Launcher;
import org.mxpolicy.testing.NuHtmlChecker;

/**
 * The status pages of {@code mxpolicy serve}'s admin listener in a real browser: the packaged
 * server shows the JSON of a check run of 20,000 domains (one of them named with markup, with a
 * finding whose message is a script), and every page must load without console errors, failed
 * requests or CSP violations, work without JavaScript, validate, and pass axe's WCAG A/AA rules in
 * light and dark. Screenshots of every page are kept under {@code target/screenshots/}.
 */
class StatusPagesBrowserIT {

    private static final int DOMAINS = 20_000;
    /** The domains of the report file that is checked like a page (axe takes minutes over 1000 rows). */
    private static final int REPORT_DOMAINS = 40;
    /** A domain name and a finding that run script wherever they are not escaped. */
    private static final String HOSTILE_DOMAIN = "<script>xss.example";

    private static final String HOSTILE_MESSAGE =
            "<script>window.mxpolicyXss = 1</script><img src=x onerror=\"window.mxpolicyXss = 2\">";

    private static final List<String> MX_HOSTS = List.of("mx1.example.com", "mx2.example.com");

    @TempDir
    static Path dir;

    private static ServeProcess serve;
    private static HeadlessChromium chromium;
    /** {@code mxpolicy report --format html} of 40 domains, and of the 20,000. */
    private static Path report;

    private static Path bigReport;

    @BeforeAll
    static void serveTwentyThousandDomains() throws IOException, InterruptedException {
        Files.createSymbolicLink(dir.resolve("certs"), Path.of("examples/certs").toAbsolutePath());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path check = dir.resolve("check.json");
        Files.writeString(check, checkJson(DOMAINS, now));
        Path smallCheck = dir.resolve("small-check.json");
        Files.writeString(smallCheck, checkJson(REPORT_DOMAINS, now));
        report = dir.resolve("report.html");
        bigReport = dir.resolve("big-report.html");
        Launcher.run("report", "--check", smallCheck.toString(), "--format", "html", "-o", report.toString())
                .assertSuccess();
        Launcher.run("report", "--check", check.toString(), "--format", "html", "-o", bigReport.toString())
                .assertSuccess();
        Path audit = dir.resolve("audit.json");
        Files.writeString(audit, auditJson());
        Path config = dir.resolve("provider.yaml");
        Files.writeString(
                config,
                Files.readString(Path.of("examples/provider.yaml")) + "serve:\n  status_check: " + check
                        + "\n  status_audit: " + audit + "\n");
        serve = ServeProcess.start(config, dir.resolve("serve.log"));
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (chromium != null) {
            chromium.close();
        }
        if (serve != null) {
            serve.close();
        }
    }

    /**
     * What {@code mxpolicy audit --format json -o} writes of its requirement tables, for one
     * domain the check knows and one it does not, with markup in an evidence.
     */
    static String auditJson() throws IOException {
        List<Map<String, Object>> domains = new ArrayList<>();
        for (String name : List.of(domainName(7), HOSTILE_DOMAIN)) {
            List<Map<String, Object>> requirements = new ArrayList<>();
            for (String[] r : List.of(
                    new String[] {"03-M", "MTA to MTA inbound transport encryption", "pass", "12 checks pass"},
                    new String[] {"05-M", "Inbound DANE transport encryption", "fail", HOSTILE_MESSAGE},
                    new String[] {"07-R", "Inbound MTA-STS transport encryption", "warn", "mta-sts.max-age: short"},
                    new String[] {"10-M", "Receiving TLSRPT reports", "unknown", "no answer"},
                    new String[] {"12-R", "Secure CA", "not_applicable", "no certificate"})) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("requirement", r[0]);
                m.put("title", r[1]);
                m.put("verdict", r[2]);
                m.put("evidence", r[3]);
                requirements.add(m);
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("domain", name);
            d.put("status", "CRITICAL");
            d.put("requirements", requirements);
            d.put("findings", List.of());
            d.put("mx", List.of());
            domains.add(d);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("status", "CRITICAL");
        top.put("exit_code", 2);
        top.put("rules", "TR-03116-4 (Stand 2022, 2022-01-24)");
        top.put("domains", domains);
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(top);
    }

    /**
     * What {@code mxpolicy check --format json -o} writes, for many domains served by two MX hosts:
     * most fine, every seventh with a stale MTA-STS id, every thirteenth without TLS-RPT.
     */
    static String checkJson(int count, Instant startedAt) throws IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> domains = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = domainName(i);
            boolean reports = i % 13 != 0;
            domains.add(domain(name, reports));
            results.add(result(
                    i % 7 == 0 ? "WARNING" : "OK",
                    i % 7 == 0 ? "mta-sts.id-stale" : "mta-sts.ok",
                    name,
                    i % 7 == 0 ? "the policy changed but its id did not" : "policy served as published"));
            results.add(result(
                    reports ? "OK" : "WARNING",
                    reports ? "tlsrpt.ok" : "tlsrpt.missing",
                    name,
                    reports ? "TLS-RPT record published" : "no _smtp._tls record"));
        }
        domains.add(domain(HOSTILE_DOMAIN, true));
        results.add(result("CRITICAL", "mta-sts.fetch", HOSTILE_DOMAIN, HOSTILE_MESSAGE));
        for (String host : MX_HOSTS) {
            results.add(result("OK", "tlsa.disk-matched", "_25._tcp." + host, "3 1 1 matches the key in use"));
            results.add(result("OK", "dane.verified", host, "DANE-verified STARTTLS on port 25"));
        }
        List<Map<String, Object>> expiries = new ArrayList<>();
        for (String host : MX_HOSTS) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("kind", "certificate");
            e.put("subject", host);
            e.put("source", "certs/" + host + "/fullchain.pem");
            e.put("not_after", startedAt.plus(Duration.ofDays(40)).toString());
            expiries.add(e);
        }
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("status", "CRITICAL");
        top.put("exit_code", 2);
        top.put("started_at", startedAt.toString());
        top.put("seconds", 12.5);
        top.put("results", results);
        top.put("plans", List.of());
        top.put("expiries", expiries);
        top.put("domains", domains);
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(top);
    }

    static String domainName(int i) {
        return String.format(Locale.ROOT, "d%05d.example", i);
    }

    private static Map<String, Object> domain(String name, boolean reports) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("domain", name);
        d.put("mx", MX_HOSTS);
        d.put("tls_reports", reports);
        d.put("mta_sts", Map.of("mode", "enforce", "id", "20261201T000000"));
        return d;
    }

    private static Map<String, Object> result(String status, String id, String subject, String message) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("status", status);
        r.put("id", id);
        r.put("subject", subject);
        r.put("message", message);
        return r;
    }

    private static URI admin(String path) {
        return admin(serve, path);
    }

    private static URI admin(ServeProcess server, String path) {
        return URI.create("http://127.0.0.1:" + server.adminPort + path);
    }

    private static String encoded(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Every page of the 20,000-domain site and the report file, by the name their screenshots carry. */
    private static Map<String, URI> pages() {
        Map<String, URI> pages = served(serve);
        pages.put("report", report.toUri());
        return pages;
    }

    private static Map<String, URI> served(ServeProcess server) {
        Map<String, URI> pages = new LinkedHashMap<>();
        pages.put("overview", admin(server, "/"));
        pages.put("overview-page-2", admin(server, "/?page=2&size=10"));
        pages.put("overview-filtered", admin(server, "/?q=d0001&level=warning&sort=name&order=asc"));
        pages.put("overview-search-markup", admin(server, "/?q=" + encoded("<script>")));
        pages.put("domain", admin(server, "/domain/" + domainName(7)));
        pages.put("domain-hostile", admin(server, "/domain/" + encoded(HOSTILE_DOMAIN)));
        pages.put("mx-host", admin(server, "/mx/" + MX_HOSTS.get(0)));
        pages.put("tr-03108", admin(server, "/tr-03108"));
        return pages;
    }

    @Test
    void everyPageLoadsWithoutErrorsInLightDarkAndPhoneLayouts() throws Exception {
        Map<String, Options> layouts = new LinkedHashMap<>();
        layouts.put("light", Options.DEFAULT);
        layouts.put("dark", Options.DEFAULT.dark());
        layouts.put("phone", Options.DEFAULT.phone());
        layouts.put("phone-dark", Options.DEFAULT.phone().dark());
        for (Map.Entry<String, Options> layout : layouts.entrySet()) {
            try (BrowserPage page = chromium.open(layout.getValue())) {
                for (Map.Entry<String, URI> p : pages().entrySet()) {
                    BrowserPage.PageLoad load = page.load(p.getValue());

                    if (!p.getKey().equals("report")) {
                        assertThat(load.status()).as("%s", p.getValue()).isEqualTo(200);
                    }
                    assertThat(load.problems())
                            .as("%s (%s)", p.getValue(), layout.getKey())
                            .isEmpty();
                    page.screenshot("status-" + p.getKey() + "-" + layout.getKey());
                    if (layout.getValue().viewport().mobile()) {
                        assertThat(page.evaluate("document.documentElement.scrollWidth")
                                        .asInt())
                                .as("%s fits a phone's width without scrolling sideways", p.getValue())
                                .isLessThanOrEqualTo(BrowserPage.Viewport.PHONE.width());
                    }
                }
            }
        }
    }

    @Test
    void theReportOfTwentyThousandDomainsLoadsAsOneFile() throws Exception {
        try (BrowserPage page = chromium.open(Options.DEFAULT)) {
            BrowserPage.PageLoad load = page.load(bigReport.toUri());

            assertThat(load.problems()).isEmpty();
            assertThat(page.evaluate("document.querySelectorAll('table.overview tbody tr').length")
                            .asInt())
                    .isPositive();
            page.screenshot("status-report-20000-domains-top");
        }
    }

    @Test
    void theReportFileHasARowForEveryDomain() throws Exception {
        try (BrowserPage page = chromium.open(Options.DEFAULT)) {
            page.load(bigReport.toUri());

            assertThat(page.evaluate("document.querySelectorAll('table.overview tbody tr').length")
                            .asInt())
                    .isEqualTo(DOMAINS + 1);
        }
    }

    @Test
    void theOverviewOfTwentyThousandDomainsIsPaginated() throws Exception {
        try (BrowserPage page = chromium.open(Options.DEFAULT)) {
            page.load(admin("/"));

            assertThat(page.evaluate("document.querySelectorAll('table.overview tbody tr').length")
                            .asInt())
                    .isEqualTo(100);
            assertThat(page.text()).contains("of " + (DOMAINS + 1) + " domains");
            assertThat(page.evaluate("document.querySelector('nav.pages a[rel=next]') !== null")
                            .asBoolean())
                    .isTrue();
        }
    }

    @Test
    void filtersSortingAndPagesWorkWithoutJavaScript() throws Exception {
        try (BrowserPage page = chromium.open(Options.DEFAULT.withoutJavaScript())) {
            page.load(admin("/"));
            page.type("#q", "d0000");
            BrowserPage.PageLoad filtered = page.click("form.filter button[type=submit]");

            assertThat(filtered.uri().getQuery()).contains("q=d0000");
            assertThat(rowNames(page)).hasSize(9).allSatisfy(n -> assertThat(n).startsWith("d0000"));
            assertThat(filtered.problems()).isEmpty();

            page.click("table.overview thead th:first-child a");
            List<String> ascending = rowNames(page);
            page.click("table.overview thead th:first-child a");
            List<String> descending = rowNames(page);

            assertThat(ascending).isSorted().hasSize(9);
            List<String> reversed = new ArrayList<>(ascending);
            java.util.Collections.reverse(reversed);
            assertThat(descending).containsExactlyElementsOf(reversed);

            page.load(admin("/?sort=name&order=asc"));
            assertThat(rowNames(page).get(0)).isEqualTo(HOSTILE_DOMAIN);
            page.click("nav.pages a[rel=next]");
            assertThat(rowNames(page)).first().isEqualTo(domainName(100));
        }
    }

    private static List<String> rowNames(BrowserPage page) throws InterruptedException {
        List<String> names = new ArrayList<>();
        page.evaluate("[...document.querySelectorAll('table.overview tbody th')].map(th => th.textContent.trim())")
                .forEach(n -> names.add(n.asText()));
        return names;
    }

    @Test
    void markupInADomainNameOrFindingIsShownAsTextAndNeverRuns() throws Exception {
        try (BrowserPage page = chromium.open(Options.DEFAULT)) {
            for (URI uri : List.of(
                    admin("/?q=" + encoded("<script>")),
                    admin("/domain/" + encoded(HOSTILE_DOMAIN)),
                    admin("/tr-03108"),
                    report.toUri())) {
                BrowserPage.PageLoad load = page.load(uri);

                assertThat(load.problems())
                        .as("%s: a script the CSP blocked would show here", uri)
                        .isEmpty();
                assertThat(page.text()).as("%s", uri).contains(HOSTILE_DOMAIN);
                assertThat(page.evaluate("typeof window.mxpolicyXss").asText()).isEqualTo("undefined");
                assertThat(page.evaluate("document.querySelectorAll('main script, main img').length")
                                .asInt())
                        .isZero();
            }
            for (URI uri : List.of(admin("/domain/" + encoded(HOSTILE_DOMAIN)), admin("/tr-03108"), report.toUri())) {
                page.load(uri);
                assertThat(page.text()).as("%s", uri).contains(HOSTILE_MESSAGE);
            }
        }
    }

    @Test
    void theValidatorFindsNoErrors() throws Exception {
        NuHtmlChecker checker = NuHtmlChecker.require();
        HttpClient http = HttpClient.newHttpClient();
        Map<String, String> documents = new LinkedHashMap<>();
        documents.put("report", Files.readString(report));
        documents.put("big-report", Files.readString(bigReport));
        for (Map.Entry<String, URI> p : served(serve).entrySet()) {
            HttpResponse<String> response =
                    http.send(HttpRequest.newBuilder(p.getValue()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s", p.getValue()).isEqualTo(200);
            documents.put(p.getKey(), response.body());
        }

        assertThat(checker.check(documents)).isEmpty();
    }

    @Test
    void axeFindsNoAccessibilityViolationsInLightOrDark() throws Exception {
        AxeCore axe = AxeCore.require();
        for (Options options : List.of(Options.DEFAULT, Options.DEFAULT.dark())) {
            try (BrowserPage page = chromium.open(options)) {
                for (URI uri : pages().values()) {
                    page.load(uri);

                    assertThat(axe.check(page))
                            .as("%s in %s", uri, options.colorScheme())
                            .isEmpty();
                }
            }
        }
    }
}
