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
import java.util.Map;
import org.xbill.DNS.DClass;
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

    private final BackgroundProcess knotd;
    private final int port;

    private KnotServer(BackgroundProcess knotd, int port) {
        this.knotd = knotd;
        this.port = port;
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
        BackgroundProcess knotd = BackgroundProcess.start("knotd", List.of(knotd(), "-c", conf.toString()), Map.of(),
                dir.resolve("knotd.log"));
        KnotServer server = new KnotServer(knotd, port);
        try {
            server.awaitZone(zone);
        } catch (IOException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
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
        return knotd.log();
    }

    @Override
    public void close() {
        knotd.close();
    }

    /** Block-style YAML: Knot rejects flow maps in its configuration. */
    private static String config(Path dir, int port, Name zone, Path zoneFile) {
        List<String> lines = new ArrayList<>();
        lines.add("server:");
        lines.add("    rundir: \"" + dir + "\"");
        lines.add("    listen: 127.0.0.1@" + port);
        lines.add("database:");
        lines.add("    storage: \"" + dir + "\"");
        lines.add("log:");
        lines.add("  - target: stderr");
        lines.add("    any: info");
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

    private void awaitZone(Name zone) throws IOException {
        SimpleResolver resolver = resolver();
        resolver.setTimeout(Duration.ofMillis(500));
        Message query = Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN));
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            knotd.assertRunning();
            try {
                Message response = resolver.send(query);
                if (response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty()) {
                    return;
                }
                lastProblem = "answer " + Rcode.string(response.getRcode()) + " without SOA";
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            sleep(Duration.ofMillis(100));
        }
        fail("knotd did not serve " + zone + " on 127.0.0.1@" + port + " within " + STARTUP_LIMIT.toSeconds()
                + " s (" + lastProblem + "); its log:\n" + log());
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
