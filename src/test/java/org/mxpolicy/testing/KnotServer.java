package org.mxpolicy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real Knot DNS authoritative server on a free loopback port, serving one zone file exactly as
 * it is: DNSSEC signing is off, so Knot answers with the RRSIG, NSEC and NSEC3 records in the file.
 * Knot runs in the foreground as a child process and is stopped by {@link #close()} (and, should
 * the test JVM end first, by a shutdown hook). Its log is kept for failure messages.
 */
public final class KnotServer implements AutoCloseable {

    private static final InetAddress LOOPBACK = loopbackV4();
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(15);

    private final Process process;
    private final Thread shutdownHook;
    private final Path log;
    private final int port;
    private final Path conf;

    private KnotServer(Process process, Path log, int port, Path conf) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.conf = conf;
        this.shutdownHook = new Thread(process::destroyForcibly, "stop knotd " + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts {@code knotd} serving {@code zoneFile} as {@code zone}, with its configuration, run
     * directory and database under {@code workDir}, and returns once the zone answers on
     * 127.0.0.1. Skips the test (fails under {@code CI}) when Knot is not installed.
     */
    public static KnotServer serve(Path workDir, Name zone, Path zoneFile) throws IOException {
        ExternalTool.require("knotd");
        Path dir = Files.createTempDirectory(workDir, "knot");
        int port = freeLoopbackPort();
        Path conf = dir.resolve("knot.conf");
        Files.writeString(conf, config(dir, port, zone, zoneFile.toAbsolutePath()), StandardCharsets.UTF_8);
        return start(dir, conf, port, zone, Type.SOA);
    }

    /**
     * Starts {@code knotd} as a signing primary for {@code zone}: Knot makes a P-256 combined
     * signing key (algorithm 13) and signs the zone with NSEC by itself, accepts RFC 2136 updates
     * signed with the TSIG key {@code tsigKeyName} (hmac-sha256, {@code secret} in base64) and
     * keeps them in its journal. {@code zoneFile} is copied, never written. Returns once the
     * signed DNSKEY RRset is served.
     */
    public static KnotServer signing(Path workDir, Name zone, Path zoneFile, Name tsigKeyName, String secret)
            throws IOException {
        ExternalTool.require("knotd");
        ExternalTool.require("keymgr");
        ExternalTool.require("knotc");
        Path dir = Files.createTempDirectory(workDir, "knot-signing");
        Path copy = dir.resolve(zone.toString(true) + ".zone");
        Files.copy(zoneFile, copy);
        int port = freeLoopbackPort();
        Path conf = dir.resolve("knot.conf");
        Files.writeString(conf, signingConfig(dir, port, zone, copy, tsigKeyName, secret), StandardCharsets.UTF_8);
        ExternalTool.require("knotc").run("-c", conf.toString(), "conf-check").assertSuccess();
        return start(dir, conf, port, zone, Type.DNSKEY);
    }

    /** Runs knotd in the foreground and waits until it answers for {@code zone}/{@code readyType}. */
    private static KnotServer start(Path dir, Path conf, int port, Name zone, int readyType) throws IOException {
        Path log = dir.resolve("knotd.log");
        Process process = new ProcessBuilder(knotd(), "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        KnotServer server = new KnotServer(process, log, port, conf);
        try {
            server.awaitZone(zone, readyType);
        } catch (IOException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The DS records of the zone's key-signing key, as {@code keymgr ZONE ds} prints them. */
    public List<DSRecord> ds(Name zone) {
        return ds(conf, zone);
    }

    /** The DS records {@code keymgr} prints for {@code zone} of the Knot configured by {@code conf}. */
    static List<DSRecord> ds(Path conf, Name zone) {
        ExternalTool.Result result = ExternalTool.require("keymgr")
                .run("-c", conf.toString(), zone.toString(), "ds")
                .assertSuccess();
        List<DSRecord> records = new ArrayList<>();
        for (String line : result.stdout().split("\n")) {
            String[] fields = line.strip().split("\\s+", 3);
            if (fields.length == 3 && fields[1].equals("DS")) {
                try {
                    records.add((DSRecord) Record.fromString(
                            Name.fromString(fields[0], Name.root), Type.DS, DClass.IN, 3600, fields[2], Name.root));
                } catch (IOException e) {
                    throw new AssertionError("keymgr printed a DS that does not parse: " + line, e);
                }
            }
        }
        if (records.isEmpty()) {
            fail("keymgr printed no DS for " + zone + ":\n" + result.stdout() + result.stderr());
        }
        return records;
    }

    /** Runs {@code knotc} with this server's configuration, e.g. {@code zone-read}. */
    public ExternalTool.Result knotc(String... args) {
        List<String> command = new ArrayList<>(List.of("-c", conf.toString()));
        command.addAll(List.of(args));
        return ExternalTool.require("knotc").run(command.toArray(String[]::new));
    }

    /** Where this server listens, on 127.0.0.1. */
    public InetSocketAddress address() {
        return new InetSocketAddress(LOOPBACK, port);
    }

    /** The UDP and TCP port Knot listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** A resolver that asks this server, and nothing else, with a short timeout. */
    public SimpleResolver resolver() {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(LOOPBACK, port));
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver;
    }

    /** What Knot has logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    /** The server, database and log sections: block-style YAML, as Knot rejects flow maps. */
    private static List<String> serverConfig(Path dir, int port) {
        List<String> lines = new ArrayList<>();
        lines.add("server:");
        lines.add("    rundir: \"" + dir + "\"");
        lines.add("    listen: 127.0.0.1@" + port);
        lines.add("database:");
        lines.add("    storage: \"" + dir + "\"");
        lines.add("log:");
        lines.add("  - target: stderr");
        lines.add("    any: info");
        return lines;
    }

    /** Serving a zone file as it is. */
    private static String config(Path dir, int port, Name zone, Path zoneFile) {
        List<String> lines = serverConfig(dir, port);
        lines.add("zone:");
        lines.add("  - domain: " + zone);
        lines.add("    file: \"" + zoneFile + "\"");
        // Serve the signatures in the file as they are, and never write the file back.
        lines.add("    dnssec-signing: off");
        lines.add("    zonefile-load: whole");
        lines.add("    zonefile-sync: -1");
        lines.add("    journal-content: none");
        return String.join("\n", lines) + "\n";
    }

    /** Block-style YAML again; short signature lifetimes keep Knot's re-signing visible in tests. */
    static String signingConfig(Path dir, int port, Name zone, Path zoneFile, Name tsigKeyName, String secret) {
        List<String> lines = serverConfig(dir, port);
        lines.add("key:");
        lines.add("  - id: " + tsigKeyName);
        lines.add("    algorithm: hmac-sha256");
        lines.add("    secret: " + secret);
        lines.add("acl:");
        lines.add("  - id: update");
        lines.add("    key: " + tsigKeyName);
        // transfer too: publish reads the ownership markers of a zone it has no ledger for by AXFR
        lines.add("    action: [update, transfer]");
        lines.add("policy:");
        lines.add("  - id: lab");
        lines.add("    algorithm: ecdsap256sha256");
        lines.add("    single-type-signing: on");
        lines.add("    rrsig-lifetime: 2d");
        lines.add("    rrsig-refresh: 1d");
        lines.add("zone:");
        lines.add("  - domain: " + zone);
        lines.add("    file: \"" + zoneFile + "\"");
        lines.add("    dnssec-signing: on");
        lines.add("    dnssec-policy: lab");
        lines.add("    acl: update");
        // Updates live in the journal; the copied zone file stays as it was given.
        lines.add("    journal-content: changes");
        lines.add("    zonefile-sync: -1");
        return String.join("\n", lines) + "\n";
    }

    private void awaitZone(Name zone, int type) throws IOException {
        SimpleResolver resolver = resolver();
        resolver.setTimeout(Duration.ofMillis(500));
        Message query = Message.newQuery(Record.newRecord(zone, type, DClass.IN));
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("knotd exited with " + process.exitValue() + " before serving " + zone + "; its log:\n" + log());
            }
            try {
                Message response = resolver.send(query);
                if (response.getRcode() == Rcode.NOERROR
                        && !response.getSection(Section.ANSWER).isEmpty()) {
                    return;
                }
                lastProblem = "answer " + Rcode.string(response.getRcode()) + " without " + Type.string(type);
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            sleep(Duration.ofMillis(100));
        }
        fail("knotd did not serve " + zone + " on 127.0.0.1@" + port + " within " + STARTUP_LIMIT.toSeconds() + " s ("
                + lastProblem + "); its log:\n" + log());
    }

    /** A port free for both UDP and TCP on the loopback address at the time of asking. */
    private static int freeLoopbackPort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
                int port = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.setReuseAddress(false);
                    tcp.bind(new InetSocketAddress(LOOPBACK, port));
                    return port;
                } catch (IOException tcpTaken) {
                    // try another UDP port
                }
            }
        }
        throw new IOException("no port free for both UDP and TCP on " + LOOPBACK);
    }

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String knotd() {
        for (String candidate : new String[] {"/usr/sbin/knotd", "/usr/local/sbin/knotd"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "knotd";
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for knotd", e);
        }
    }
}
