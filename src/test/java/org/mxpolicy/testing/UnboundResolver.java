package org.mxpolicy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * unbound as the recursive resolver of a {@link NetworkNamespace}, on 127.0.0.1:53 there, so that
 * {@code /etc/resolv.conf} can name it ({@link NetworkNamespace#useResolver}). It knows only its
 * stub zones (each sent to a lab authoritative server such as {@link KnotAuthority}); with trust
 * anchors it validates DNSSEC and sets the AD flag, as Postfix's DANE support and posttls-finger
 * need. Without, it resolves without validation.
 */
public final class UnboundResolver implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(20);
    public static final String ADDRESS = "127.0.0.1";
    public static final int PORT = 53;

    private final BackgroundProcess unbound;

    private UnboundResolver(BackgroundProcess unbound) {
        this.unbound = unbound;
    }

    /** Collects the stub zones and trust anchors, then starts unbound. */
    public static Builder in(NetworkNamespace namespace) {
        return new Builder(namespace);
    }

    /** What unbound has logged so far. */
    public String log() {
        return unbound.log();
    }

    @Override
    public void close() {
        unbound.close();
    }

    /** The resolver's zones and anchors. */
    public static final class Builder {
        private final NetworkNamespace namespace;
        private final Map<String, String> stubZones = new LinkedHashMap<>();
        private final List<String> trustAnchors = new ArrayList<>();
        private Duration cacheMaxTtl;

        private Builder(NetworkNamespace namespace) {
            this.namespace = namespace;
        }

        /** Sends queries for {@code zone} and below to the authoritative server at {@code address@port}. */
        public Builder stubZone(String zone, String address, int port) {
            stubZones.put(zone, address + "@" + port);
            return this;
        }

        /** A DS or DNSKEY record in presentation format; with at least one, unbound validates. */
        public Builder trustAnchor(String record) {
            trustAnchors.add(record);
            return this;
        }

        /**
         * Caps the TTL of what unbound caches, and so of what it answers with, as resolvers
         * configured with {@code cache-max-ttl} do; unset, unbound's default (a day) applies.
         */
        public Builder cacheMaxTtl(Duration ttl) {
            cacheMaxTtl = ttl;
            return this;
        }

        /**
         * Starts unbound and returns once it answers {@code probeName}/{@code probeType} (a name in
         * a stub zone, so the path to the authoritative server is known to work).
         */
        public UnboundResolver start(Path workDir, String probeName, String probeType)
                throws IOException, InterruptedException {
            if (stubZones.isEmpty()) {
                throw new IllegalStateException("a lab resolver needs at least one stub zone");
            }
            ExternalTool unbound = ExternalTool.require("unbound");
            Path dir = Files.createTempDirectory(workDir, "unbound");
            Path conf = dir.resolve("unbound.conf");
            Files.writeString(conf, config(dir), StandardCharsets.UTF_8);
            ExternalTool.require("unbound-checkconf").run(conf.toString()).assertSuccess();
            BackgroundProcess process = namespace.start(
                    "unbound", dir.resolve("unbound.log"), Map.of(), unbound.path(), "-d", "-c", conf.toString());
            UnboundResolver resolver = new UnboundResolver(process);
            try {
                namespace.awaitDnsAnswer(ADDRESS, PORT, probeName, probeType, process, STARTUP_LIMIT);
            } catch (RuntimeException | Error | InterruptedException e) {
                resolver.close();
                throw e;
            }
            return resolver;
        }

        private String config(Path dir) {
            List<String> lines = new ArrayList<>(List.of(
                    "server:",
                    "    interface: " + ADDRESS,
                    "    port: " + PORT,
                    "    do-ip6: no",
                    "    do-daemonize: no",
                    "    chroot: \"\"",
                    "    username: \"\"",
                    "    directory: \"" + dir + "\"",
                    "    pidfile: \"" + dir.resolve("unbound.pid") + "\"",
                    "    use-syslog: no",
                    "    logfile: \"\"",
                    "    verbosity: 1",
                    "    num-threads: 1",
                    // The authoritative servers of the lab are on loopback addresses.
                    "    do-not-query-localhost: no",
                    "    val-log-level: 2",
                    "    module-config: \"" + (trustAnchors.isEmpty() ? "iterator" : "validator iterator") + "\""));
            if (cacheMaxTtl != null) {
                lines.add("    cache-max-ttl: " + cacheMaxTtl.toSeconds());
            }
            for (String anchor : trustAnchors) {
                lines.add("    trust-anchor: \"" + anchor.replace("\"", "\\\"") + "\"");
            }
            for (String zone : stubZones.keySet()) {
                // unbound answers names under test. (RFC 6761) itself unless told not to.
                if (zone.equals("test") || zone.endsWith(".test") || zone.endsWith(".test.")) {
                    lines.add("    local-zone: \"test.\" nodefault");
                    break;
                }
            }
            stubZones.forEach((zone, server) -> {
                lines.add("stub-zone:");
                lines.add("    name: \"" + zone + "\"");
                lines.add("    stub-addr: " + server);
            });
            lines.add("remote-control:");
            lines.add("    control-enable: no");
            return String.join("\n", lines) + "\n";
        }
    }
}
