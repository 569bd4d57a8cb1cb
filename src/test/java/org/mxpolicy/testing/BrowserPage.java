package org.mxpolicy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One tab of {@link HeadlessChromium}: loads a page, collects the {@link PageProblem}s the browser
 * reports while it does, evaluates JavaScript in it, and saves screenshots under
 * {@code target/screenshots/} as test artefacts.
 */
public final class BrowserPage implements AutoCloseable {

    /** Where screenshots go, relative to the project directory Maven runs the tests in. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** Chromium cannot draw a texture taller than this; longer pages are cut. */
    private static final int MAX_SCREENSHOT_HEIGHT = 16_384;

    /** How long the page must be quiet after its load event before it counts as loaded. */
    private static final Duration SETTLE = Duration.ofMillis(300);

    private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);

    /**
     * A window size; {@code mobile} makes Chromium lay the page out as a phone does, so a page
     * without {@code <meta name="viewport">} is laid out 980 pixels wide and shrunk.
     */
    public record Viewport(int width, int height, boolean mobile) {
        public static final Viewport DESKTOP = new Viewport(1280, 900, false);
        /** A common phone, in CSS pixels. */
        public static final Viewport PHONE = new Viewport(390, 844, true);
    }

    public enum ColorScheme {
        LIGHT,
        DARK
    }

    /** How the page is set up before anything is loaded into it. */
    public record Options(Viewport viewport, ColorScheme colorScheme, boolean javaScript) {
        public static final Options DEFAULT = new Options(Viewport.DESKTOP, ColorScheme.LIGHT, true);

        public Options dark() {
            return new Options(viewport, ColorScheme.DARK, javaScript);
        }

        public Options phone() {
            return new Options(Viewport.PHONE, colorScheme, javaScript);
        }

        /** The page's own scripts do not run (DevTools {@link #evaluate} still does). */
        public Options withoutJavaScript() {
            return new Options(viewport, colorScheme, false);
        }
    }

    /** The outcome of {@link #load}: the document's HTTP status and what went wrong meanwhile. */
    public record PageLoad(URI uri, int status, List<PageProblem> problems) {}

    private final DevToolsConnection devTools;
    private final String context;
    private final String target;
    private final String session;
    private final List<PageProblem> problems = new ArrayList<>();
    private final Map<String, String> requestUrls = new ConcurrentHashMap<>();
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile int documentStatus;
    private volatile long lastEventNanos = System.nanoTime();

    private BrowserPage(DevToolsConnection devTools, String context, String target, String session) {
        this.devTools = devTools;
        this.context = context;
        this.target = target;
        this.session = session;
    }

    static BrowserPage attach(
            DevToolsConnection devTools, String context, String target, String session, Options options)
            throws InterruptedException {
        BrowserPage page = new BrowserPage(devTools, context, target, session);
        devTools.onEvents(session, page::onEvent);
        for (String domain : List.of("Page", "Runtime", "Log", "Network", "Audits")) {
            page.send(domain + ".enable", Map.of());
        }
        page.send("Network.setCacheDisabled", Map.of("cacheDisabled", true));
        Viewport viewport = options.viewport();
        page.send(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width",
                        viewport.width(),
                        "height",
                        viewport.height(),
                        "deviceScaleFactor",
                        1,
                        "mobile",
                        viewport.mobile()));
        page.send(
                "Emulation.setEmulatedMedia",
                Map.of(
                        "features",
                        List.of(Map.of(
                                "name",
                                "prefers-color-scheme",
                                "value",
                                options.colorScheme().name().toLowerCase(java.util.Locale.ROOT)))));
        page.send("Emulation.setScriptExecutionDisabled", Map.of("value", !options.javaScript()));
        return page;
    }

    /**
     * Loads {@code uri} and waits for its load event and a moment of quiet after it (late CSP
     * reports, failed images). The problems returned are those of this load only.
     *
     * @throws AssertionError when the page cannot be reached at all
     */
    public PageLoad load(URI uri) throws InterruptedException {
        synchronized (problems) {
            problems.clear();
        }
        documentStatus = 0;
        loaded = new CompletableFuture<>();
        JsonNode navigation = send("Page.navigate", Map.of("url", uri.toString()));
        if (navigation.hasNonNull("errorText")) {
            throw new AssertionError(
                    "cannot load " + uri + ": " + navigation.get("errorText").asText());
        }
        awaitLoad(uri.toString());
        return new PageLoad(uri, documentStatus, problems());
    }

    private void awaitLoad(String what) throws InterruptedException {
        try {
            loaded.get(LOAD_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(what + " did not finish loading within " + LOAD_LIMIT.toSeconds() + " s", e);
        }
        long deadline = System.nanoTime() + LOAD_LIMIT.toNanos();
        while (System.nanoTime() - lastEventNanos < SETTLE.toNanos() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /**
     * Types {@code text} into the form field {@code selector} names, as a keyboard does (no page
     * script needed).
     */
    public void type(String selector, String text) throws InterruptedException {
        int document = send("DOM.getDocument", Map.of("depth", 0))
                .path("root")
                .path("nodeId")
                .asInt();
        int node = send("DOM.querySelector", Map.of("nodeId", document, "selector", selector))
                .path("nodeId")
                .asInt();
        if (node == 0) {
            throw new AssertionError("no element " + selector + " to type into");
        }
        send("DOM.focus", Map.of("nodeId", node));
        send("Input.insertText", Map.of("text", text));
    }

    /**
     * Clicks the element {@code selector} names with the mouse, as a person does, and waits for
     * the page it leads to (a link or a submit button); works with page scripts disabled.
     */
    public PageLoad click(String selector) throws InterruptedException {
        JsonNode box = evaluate("(() => { const e = document.querySelector(" + jsString(selector) + ");"
                + " if (!e) return null; e.scrollIntoView({block: 'center'});"
                + " const r = e.getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        if (box.isNull()) {
            throw new AssertionError("no element " + selector + " to click");
        }
        synchronized (problems) {
            problems.clear();
        }
        documentStatus = 0;
        loaded = new CompletableFuture<>();
        for (String type : List.of("mousePressed", "mouseReleased")) {
            send(
                    "Input.dispatchMouseEvent",
                    Map.of(
                            "type",
                            type,
                            "x",
                            box.get("x").asDouble(),
                            "y",
                            box.get("y").asDouble(),
                            "button",
                            "left",
                            "clickCount",
                            1));
        }
        awaitLoad(selector);
        return new PageLoad(URI.create(evaluate("location.href").asText()), documentStatus, problems());
    }

    /** The text of the page as it is rendered (what a person can read, without markup). */
    public String text() throws InterruptedException {
        return evaluate("document.body.innerText").asText();
    }

    private static String jsString(String value) {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(value)
                .toString();
    }

    /** The problems reported since the last {@link #load}, including those after it. */
    public List<PageProblem> problems() {
        synchronized (problems) {
            return List.copyOf(problems);
        }
    }

    /**
     * Evaluates a JavaScript expression in the page (awaiting it when it is a promise) and returns
     * its value as JSON. DevTools evaluation is not subject to the page's CSP, and it runs even
     * where the page's own scripts are disabled.
     *
     * @throws AssertionError when the expression throws
     */
    public JsonNode evaluate(String expression) throws InterruptedException {
        return evaluate(expression, DevToolsConnection.COMMAND_LIMIT);
    }

    /** {@link #evaluate(String)}, allowing the expression {@code limit} to finish. */
    public JsonNode evaluate(String expression, Duration limit) throws InterruptedException {
        JsonNode result = devTools.send(
                session,
                "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true),
                limit);
        if (result.has("exceptionDetails")) {
            JsonNode details = result.get("exceptionDetails");
            throw new AssertionError("evaluating in the page failed: "
                    + details.path("exception")
                            .path("description")
                            .asText(details.path("text").asText()));
        }
        JsonNode value = result.path("result").get("value");
        return value == null ? NullNode.getInstance() : value;
    }

    /** The document as the browser has parsed it (serialised DOM), with or without JavaScript. */
    public String html() throws InterruptedException {
        int root = send("DOM.getDocument", Map.of("depth", 0))
                .path("root")
                .path("nodeId")
                .asInt();
        return send("DOM.getOuterHTML", Map.of("nodeId", root))
                .path("outerHTML")
                .asText();
    }

    /**
     * Saves a screenshot of the whole page (not only the window) as
     * {@code target/screenshots/NAME.png}, to be looked at, not compared pixel by pixel.
     */
    public Path screenshot(String name) throws InterruptedException, IOException {
        JsonNode size = send("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        double width = Math.max(1, Math.ceil(size.path("width").asDouble()));
        double height = Math.min(
                MAX_SCREENSHOT_HEIGHT, Math.max(1, Math.ceil(size.path("height").asDouble())));
        JsonNode shot = send(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
        return file;
    }

    private JsonNode send(String method, Map<String, ?> params) throws InterruptedException {
        return devTools.send(session, method, params);
    }

    private void onEvent(JsonNode message) {
        lastEventNanos = System.nanoTime();
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Runtime.consoleAPICalled" -> {
                String type = params.path("type").asText();
                if (type.equals("error") || type.equals("assert")) {
                    List<String> args = new ArrayList<>();
                    params.path("args")
                            .forEach(arg -> args.add(
                                    arg.has("value")
                                            ? arg.get("value").asText()
                                            : arg.path("description").asText()));
                    String url = params.path("stackTrace")
                            .path("callFrames")
                            .path(0)
                            .path("url")
                            .asText();
                    report(PageProblem.Kind.CONSOLE_ERROR, url, "console." + type + ": " + String.join(" ", args));
                }
            }
            case "Runtime.exceptionThrown" -> {
                JsonNode details = params.path("exceptionDetails");
                report(
                        PageProblem.Kind.CONSOLE_ERROR,
                        details.path("url").asText(),
                        "uncaught "
                                + details.path("exception")
                                        .path("description")
                                        .asText(details.path("text").asText()));
            }
            case "Log.entryAdded" -> {
                JsonNode entry = params.path("entry");
                // Network errors are reported from the Network events below, with their status.
                if (entry.path("level").asText().equals("error")
                        && !entry.path("source").asText().equals("network")) {
                    String text = entry.path("text").asText();
                    report(
                            text.contains("Content Security Policy")
                                    ? PageProblem.Kind.CSP_VIOLATION
                                    : PageProblem.Kind.CONSOLE_ERROR,
                            entry.path("url").asText(),
                            text);
                }
            }
            case "Network.requestWillBeSent" ->
                requestUrls.put(
                        params.path("requestId").asText(),
                        params.path("request").path("url").asText());
            case "Network.responseReceived" -> {
                int status = params.path("response").path("status").asInt();
                String url = params.path("response").path("url").asText();
                // The main frame's id is the target's; the navigation's answer may come after this.
                if (params.path("type").asText().equals("Document")
                        && params.path("frameId").asText().equals(target)) {
                    documentStatus = status;
                } else if (status >= 400) {
                    report(PageProblem.Kind.FAILED_REQUEST, url, "HTTP " + status);
                }
            }
            case "Network.loadingFailed" -> {
                String url = requestUrls.getOrDefault(params.path("requestId").asText(), "");
                String blocked = params.path("blockedReason").asText();
                if (blocked.equals("csp")) {
                    report(PageProblem.Kind.CSP_VIOLATION, url, "blocked by Content-Security-Policy");
                } else if (!params.path("canceled").asBoolean()) {
                    report(
                            PageProblem.Kind.FAILED_REQUEST,
                            url,
                            params.path("errorText").asText() + (blocked.isEmpty() ? "" : " (" + blocked + ")"));
                }
            }
            case "Audits.issueAdded" -> {
                JsonNode issue = params.path("issue");
                if (issue.path("code").asText().equals("ContentSecurityPolicyIssue")) {
                    JsonNode details = issue.path("details").path("contentSecurityPolicyIssueDetails");
                    report(
                            PageProblem.Kind.CSP_VIOLATION,
                            details.path("blockedURL").asText(),
                            "violates " + details.path("violatedDirective").asText() + " ("
                                    + details.path("contentSecurityPolicyViolationType")
                                            .asText() + ")");
                }
            }
            default -> {
                // other events are of no interest
            }
        }
    }

    private void report(PageProblem.Kind kind, String url, String text) {
        synchronized (problems) {
            problems.add(new PageProblem(kind, url, text));
        }
    }

    @Override
    public void close() {
        devTools.forget(session);
        try {
            devTools.send("Target.closeTarget", Map.of("targetId", target));
            devTools.send("Target.disposeBrowserContext", Map.of("browserContextId", context));
        } catch (AssertionError e) {
            // the browser is going away anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
