package org.mxpolicy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, with a fresh profile in a temporary directory, driven over the
 * DevTools protocol on loopback. Each {@link #open page} gets a browser context of its own (no
 * cookies or cache shared between pages) and reports what went wrong while it loaded.
 *
 * <p>The protocol is spoken directly (the JDK's WebSocket and Jackson) rather than through
 * WebDriver: console messages, failed requests, CSP violations, colour-scheme emulation, disabled
 * JavaScript and full-page screenshots are all DevTools features, and no driver binary has to
 * match the browser's version.
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Duration START_LIMIT = Duration.ofSeconds(60);

    private final Path profile;
    private final BackgroundProcess process;
    private final DevToolsConnection devTools;

    private HeadlessChromium(Path profile, BackgroundProcess process, DevToolsConnection devTools) {
        this.profile = profile;
        this.process = process;
        this.devTools = devTools;
    }

    /** Starts Chromium; skips the test locally (fails under CI) when it is not installed. */
    public static HeadlessChromium start() throws IOException, InterruptedException {
        ExternalTool chromium = ExternalTool.require("chromium");
        Path profile = Files.createTempDirectory("mxpolicy-chromium-");
        List<String> command = new ArrayList<>(List.of(
                chromium.path(),
                "--headless",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--no-first-run",
                "--no-default-browser-check",
                // nothing but the page under test may reach the network
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--force-color-profile=srgb",
                "--mute-audio"));
        if ("root".equals(System.getProperty("user.name"))) {
            // Chromium refuses to run as root inside its sandbox; the tests only load loopback pages.
            command.add("--no-sandbox");
        }
        command.add("about:blank");
        BackgroundProcess process =
                BackgroundProcess.start("chromium", command, Map.of(), profile.resolve("chromium.log"));
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            BoundedPoll.await(
                    "chromium's DevTools endpoint",
                    START_LIMIT,
                    () -> {
                        process.assertRunning();
                        if (!Files.isRegularFile(portFile)) {
                            return "no " + portFile;
                        }
                        List<String> lines = Files.readAllLines(portFile, StandardCharsets.UTF_8);
                        return lines.size() < 2 ? "port file not yet complete" : null;
                    },
                    process::log);
            List<String> lines = Files.readAllLines(portFile, StandardCharsets.UTF_8);
            URI endpoint = URI.create(
                    "ws://127.0.0.1:" + lines.get(0).strip() + lines.get(1).strip());
            return new HeadlessChromium(profile, process, DevToolsConnection.open(endpoint));
        } catch (RuntimeException | Error | InterruptedException e) {
            process.close();
            deleteTree(profile);
            throw e;
        }
    }

    /** A new, empty page with its own browser context, set up as {@code options} say. */
    public BrowserPage open(BrowserPage.Options options) throws InterruptedException {
        String context = devTools.send("Target.createBrowserContext", Map.of())
                .get("browserContextId")
                .asText();
        String target = devTools.send("Target.createTarget", Map.of("url", "about:blank", "browserContextId", context))
                .get("targetId")
                .asText();
        JsonNode attached = devTools.send("Target.attachToTarget", Map.of("targetId", target, "flatten", true));
        return BrowserPage.attach(
                devTools, context, target, attached.get("sessionId").asText(), options);
    }

    /** What Chromium printed, for failure messages. */
    public String log() {
        return process.log();
    }

    @Override
    public void close() {
        // SIGTERM (in BackgroundProcess.close) makes Chromium shut down its renderers and exit.
        devTools.close();
        process.close();
        deleteTree(profile);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail the test
        }
    }
}
