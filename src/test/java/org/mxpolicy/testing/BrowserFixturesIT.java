package org.mxpolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mxpolicy.testing.PageProblem.Kind;

/**
 * The browser-test tools themselves, on small pages served here: each detector must find the
 * defect planted for it (a test that cannot fail proves nothing) and nothing on a clean page.
 */
class BrowserFixturesIT {

    private static final String CSP = "default-src 'none'; style-src 'self'; script-src 'self';"
            + " img-src 'self' http://127.0.0.1:*; frame-ancestors 'none'";

    private static final String CLEAN = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Clean page</title>
            <link rel="stylesheet" href="/style.css">
            <script src="/adds-marker.js" defer></script>
            </head>
            <body>
            <main>
            <h1>Clean page</h1>
            <form method="get" action="/clean.html">
            <label for="q">Domain</label> <input id="q" name="q" type="search">
            <button type="submit">Filter</button>
            </form>
            <p class="tall">Readable text.</p>
            </main>
            </body>
            </html>
            """;

    /** One defect for each detector; the line numbers matter to the validator test. */
    private static final String BROKEN = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Broken page</title>
            <link rel="stylesheet" href="/style.css">
            <script src="/logs-error.js"></script>
            </head>
            <body>
            <main>
            <h1>Broken page</h1>
            <foo>not an HTML element</foo>
            <img src="/missing.png" alt="missing">
            <img src="http://127.0.0.1:%d/refused.png" alt="refused">
            <script>window.inlineRan = true;</script>
            <p class="faint">Hardly readable text.</p>
            <input type="text">
            </main>
            </body>
            </html>
            """;

    private static final String STYLE = """
            body { background: #fff; color: #111; }
            .faint { color: #ddd; }
            .tall { margin-bottom: 2000px; }
            @media (prefers-color-scheme: dark) { body { background: #000; color: #eee; } }
            """;

    private static HttpServer server;
    private static HeadlessChromium chromium;
    private static String broken;

    @BeforeAll
    static void serveAndStart() throws IOException, InterruptedException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        broken = BROKEN.formatted(closedPort);
        Map<String, String[]> files = Map.of(
                "/clean.html", new String[] {"text/html; charset=utf-8", CLEAN},
                "/broken.html", new String[] {"text/html; charset=utf-8", broken},
                "/style.css", new String[] {"text/css", STYLE},
                "/logs-error.js", new String[] {"text/javascript", "console.error('deliberate console error');"},
                "/adds-marker.js",
                        new String[] {
                            "text/javascript",
                            "document.body.insertAdjacentHTML('beforeend', '<p id=\"marker\">scripted</p>');"
                        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/favicon.ico")) {
                // Chromium asks every site for one; a 404 would be a failed request of every page.
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            String[] file = files.get(path);
            byte[] body = (file == null ? "not found" : file[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", file == null ? "text/plain" : file[0]);
            exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
            exchange.sendResponseHeaders(file == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        chromium = HeadlessChromium.start();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private static URI page(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void aCleanPageLoadsWithoutProblems() throws Exception {
        try (BrowserPage page = chromium.open(BrowserPage.Options.DEFAULT)) {
            BrowserPage.PageLoad load = page.load(page("/clean.html?q=example.org"));

            assertThat(load.status()).isEqualTo(200);
            assertThat(load.problems()).isEmpty();
            assertThat(page.evaluate("document.getElementById('q') !== null").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void reportsConsoleErrorsFailedRequestsAndCspViolations() throws Exception {
        try (BrowserPage page = chromium.open(BrowserPage.Options.DEFAULT)) {
            List<PageProblem> problems = page.load(page("/broken.html")).problems();

            assertThat(problems).as("console.error from a script").anySatisfy(p -> {
                assertThat(p.kind()).isEqualTo(Kind.CONSOLE_ERROR);
                assertThat(p.text()).contains("deliberate console error");
            });
            assertThat(problems).as("an image answered with 404").anySatisfy(p -> {
                assertThat(p.kind()).isEqualTo(Kind.FAILED_REQUEST);
                assertThat(p.url()).endsWith("/missing.png");
                assertThat(p.text()).isEqualTo("HTTP 404");
            });
            assertThat(problems)
                    .as("an image whose server refuses the connection")
                    .anySatisfy(p -> {
                        assertThat(p.kind()).isEqualTo(Kind.FAILED_REQUEST);
                        assertThat(p.url()).endsWith("/refused.png");
                        assertThat(p.text()).contains("ERR_CONNECTION_REFUSED");
                    });
            assertThat(problems).as("an inline script the CSP blocks").anySatisfy(p -> {
                assertThat(p.kind()).isEqualTo(Kind.CSP_VIOLATION);
                assertThat(p.text()).contains("script-src");
            });
            assertThat(page.evaluate("window.inlineRan === undefined").asBoolean())
                    .as("the blocked inline script did not run")
                    .isTrue();
        }
    }

    @Test
    void pageScriptsCanBeSwitchedOff() throws Exception {
        try (BrowserPage withScripts = chromium.open(BrowserPage.Options.DEFAULT);
                BrowserPage without = chromium.open(BrowserPage.Options.DEFAULT.withoutJavaScript())) {
            withScripts.load(page("/clean.html"));
            BrowserPage.PageLoad load = without.load(page("/clean.html"));

            assertThat(withScripts.html()).contains("<p id=\"marker\">scripted</p>");
            assertThat(without.html()).doesNotContain("scripted").contains("Readable text.");
            assertThat(load.problems()).isEmpty();
            assertThat(without.evaluate("document.getElementById('marker') === null")
                            .asBoolean())
                    .as("DevTools evaluation still works where page scripts do not")
                    .isTrue();
        }
    }

    @Test
    void formsAreFilledAndSubmittedWithoutPageScripts() throws Exception {
        try (BrowserPage page = chromium.open(BrowserPage.Options.DEFAULT.withoutJavaScript())) {
            page.load(page("/clean.html"));
            page.type("#q", "example.org");

            BrowserPage.PageLoad submitted = page.click("button[type=submit]");

            assertThat(submitted.uri()).isEqualTo(page("/clean.html?q=example.org"));
            assertThat(submitted.status()).isEqualTo(200);
            assertThat(page.text()).contains("Readable text.").doesNotContain("scripted");
        }
    }

    @Test
    void emulatesDarkSchemeAndPhoneWidth() throws Exception {
        String background = "getComputedStyle(document.body).backgroundColor";
        try (BrowserPage light = chromium.open(BrowserPage.Options.DEFAULT);
                BrowserPage darkPhone =
                        chromium.open(BrowserPage.Options.DEFAULT.dark().phone())) {
            light.load(page("/clean.html"));
            darkPhone.load(page("/clean.html"));

            assertThat(light.evaluate(background).asText()).isEqualTo("rgb(255, 255, 255)");
            assertThat(darkPhone.evaluate(background).asText()).isEqualTo("rgb(0, 0, 0)");
            assertThat(light.evaluate("window.innerWidth").asInt()).isEqualTo(1280);
            assertThat(darkPhone.evaluate("window.innerWidth").asInt()).isEqualTo(390);
        }
    }

    @Test
    void screenshotsTheWholePageNotOnlyTheWindow() throws Exception {
        try (BrowserPage page = chromium.open(BrowserPage.Options.DEFAULT.phone())) {
            page.load(page("/clean.html"));

            Path shot = page.screenshot("fixture-clean-phone");

            assertThat(shot).isRegularFile();
            ByteBuffer png = ByteBuffer.wrap(Files.readAllBytes(shot));
            assertThat(png.getLong(0)).as("PNG signature").isEqualTo(0x89504E470D0A1A0AL);
            assertThat(png.getInt(16)).as("width").isEqualTo(390);
            assertThat(png.getInt(20)).as("height: the 2000px margin is in it").isGreaterThan(2000);
        }
    }

    @Test
    void validatorFindsTheInvalidElementWithItsLine() throws Exception {
        NuHtmlChecker checker = NuHtmlChecker.require();

        List<NuHtmlChecker.Error> errors = checker.check(Map.of("clean", CLEAN, "broken", broken));

        assertThat(errors).allSatisfy(e -> assertThat(e.document()).isEqualTo("broken"));
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.line()).isEqualTo(12);
            assertThat(e.message()).contains("“foo”");
        });
    }

    @Test
    void axeFindsLowContrastAndMissingLabels() throws Exception {
        AxeCore axe = AxeCore.require();
        try (BrowserPage clean = chromium.open(BrowserPage.Options.DEFAULT);
                BrowserPage broken = chromium.open(BrowserPage.Options.DEFAULT)) {
            clean.load(page("/clean.html"));
            broken.load(page("/broken.html"));

            assertThat(axe.check(clean)).isEmpty();
            assertThat(axe.check(broken)).extracting(AxeCore.Violation::rule).contains("color-contrast", "label");
            assertThat(clean.problems())
                    .as("injecting axe is no CSP violation of the page")
                    .isEmpty();
        }
    }
}
