package org.mxpolicy.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A private Linux network namespace for one test: its own loopback interface, so servers can
 * take the well-known ports (53, 25, 443) on 127.0.0.1 without touching the machine's, and its own
 * {@code /etc/resolv.conf} (and other {@code /etc} files), so programs that use the system
 * resolver (MTA-STS clients, Postfix, the JDK) ask a lab resolver.
 *
 * <p>Programs run inside it through {@code ip netns exec}, which bind-mounts each file in
 * {@code /etc/netns/NAME/} over the one of the same name in {@code /etc}. Needs root: skipped
 * otherwise, and failed under {@code CI}. {@link #close()} deletes the namespace and its
 * {@code /etc/netns} directory, as does a shutdown hook should the test JVM end first; stop the
 * programs started in it before (try-with-resources closes in reverse order).
 */
public final class NetworkNamespace implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Path NETNS_ETC = Path.of("/etc/netns");
    private static final Pattern ANSWER_COUNT = Pattern.compile("ANSWER: (\\d+)");

    private final String name;
    private final ExternalTool ip;
    private final Thread shutdownHook;

    private NetworkNamespace(String name, ExternalTool ip) {
        this.name = name;
        this.ip = ip;
        this.shutdownHook = new Thread(this::delete, "delete netns " + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Creates a namespace named {@code prefix-PID-N} with its loopback interface up.
     *
     * @param prefix a few letters naming the test, so a left-over namespace can be traced
     */
    public static NetworkNamespace create(String prefix) {
        requireRoot();
        ExternalTool ip = ExternalTool.require("ip");
        String name = prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        ip.run("netns", "add", name).assertSuccess();
        NetworkNamespace namespace = new NetworkNamespace(name, ip);
        try {
            namespace.run("ip", "link", "set", "lo", "up").assertSuccess();
        } catch (RuntimeException | Error e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    public String name() {
        return name;
    }

    /** Makes programs in the namespace use the resolver at {@code address} port 53. */
    public void useResolver(String address) {
        etcFile("resolv.conf", "nameserver " + address + "\noptions attempts:2 timeout:2\n");
    }

    /**
     * Replaces {@code /etc/FILE} for programs run in the namespace from now on ({@code hosts},
     * {@code resolv.conf}, ...). The file must exist in {@code /etc}: only existing files are covered.
     */
    public void etcFile(String file, String content) {
        try {
            Path dir = NETNS_ETC.resolve(name);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write /etc/netns/" + name + "/" + file, e);
        }
    }

    /** {@code command} prefixed so that it runs in this namespace. */
    public List<String> command(String... command) {
        List<String> all = new ArrayList<>(List.of(ip.path(), "netns", "exec", name));
        all.addAll(List.of(command));
        return all;
    }

    /** Runs {@code command} in the namespace and returns once it has finished (60 s at most). */
    public ExternalTool.Result run(String... command) {
        List<String> inNamespace = command(command);
        return ip.run(inNamespace.subList(1, inNamespace.size()).toArray(String[]::new));
    }

    /** Starts a server program in the namespace, its output in {@code log}. */
    public BackgroundProcess start(String label, Path log, Map<String, String> environment, String... command)
            throws IOException {
        return BackgroundProcess.start(label + " in netns " + name, command(command), environment, log);
    }

    /**
     * Waits until something in the namespace listens on TCP {@code port} (asked with {@code ss}
     * from iproute2, like {@code ip}), failing early with the server's log when it has exited.
     */
    public void awaitTcpListener(int port, BackgroundProcess server, Duration limit) throws InterruptedException {
        BoundedPoll.await(
                "a TCP listener on port " + port + " in netns " + name,
                limit,
                () -> {
                    server.assertRunning();
                    ExternalTool.Result listening = run("ss", "-Hltn", "sport = :" + port);
                    return listening.exitCode() == 0 && !listening.stdout().isBlank() ? null : "nothing listens";
                },
                server::log);
    }

    /**
     * Waits until the name server at {@code server} port {@code port} in the namespace answers
     * {@code name}/{@code type} with NOERROR and at least one answer record (asked with kdig).
     */
    public void awaitDnsAnswer(
            String server, int port, String name, String type, BackgroundProcess process, Duration limit)
            throws InterruptedException {
        ExternalTool.require("kdig");
        BoundedPoll.await(
                name + " " + type + " answered by " + server + "@" + port + " in netns " + this.name,
                limit,
                () -> {
                    process.assertRunning();
                    String answer = dig(server, port, name, type);
                    Matcher count = ANSWER_COUNT.matcher(answer);
                    boolean answered =
                            answer.contains("status: NOERROR") && count.find() && Integer.parseInt(count.group(1)) > 0;
                    return answered ? null : "last answer:\n" + answer;
                },
                process::log);
    }

    /** kdig's full output for one query in the namespace (a short timeout, one try). */
    public String dig(String server, int port, String name, String type) {
        ExternalTool.Result result = run(
                ExternalTool.require("kdig").path(),
                "@" + server,
                "-p",
                String.valueOf(port),
                "+time=1",
                "+retry=0",
                name,
                type);
        return result.stdout() + result.stderr();
    }

    @Override
    public void close() {
        delete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    private void delete() {
        ip.run("netns", "delete", name);
        Path dir = NETNS_ETC.resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + dir, e);
            }
        }
    }

    private static void requireRoot() {
        ExternalTool.Result id = ExternalTool.require("id").run("-u");
        if (!id.stdout().strip().equals("0")) {
            String why = "network namespaces need root (ip netns add)";
            if (System.getenv("CI") != null) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }
}
