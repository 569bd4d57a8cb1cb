package org.mxpolicy.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Postfix {@code smtpd} on a free port of 127.0.0.1 (or on a given port of a
 * {@link NetworkNamespace}'s loopback, see {@link Builder#in}), as the MX a probe talks to. Each
 * instance has a directory of its own for configuration, queue and data (so the master lock,
 * the pid file and the sockets never collide) and its own {@code myhostname}, so several can run
 * at once next to each other and next to a system Postfix.
 *
 * <p>Postfix runs with {@code postfix start-fg} in a session of its own ({@code setsid}), logs to
 * a file through {@code maillog_file}, and is stopped with {@code postfix stop} by {@link #close()}
 * or, should the test JVM end first, by a shutdown hook. The directory is made under the system
 * temporary directory rather than a test's {@code @TempDir}, because the {@code postfix} user
 * must be able to enter it and {@code @TempDir} is private to root.
 */
public final class PostfixServer implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(30);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(20);
    private static final Pattern PEM_CERTIFICATE =
            Pattern.compile("-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\\s]+-----END CERTIFICATE-----");
    /** The daemons an smtpd needs around it; chroot off, as the directories are private to the test. */
    private static final String MASTER_SERVICES = """
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd
            """;

    private final Path dir;
    private final Process process;
    private final String host;
    private final int port;
    /** Where Postfix runs, or null for the machine's own network. */
    private final NetworkNamespace namespace;

    private final Thread shutdownHook;

    private PostfixServer(Path dir, Process process, String host, int port, NetworkNamespace namespace) {
        this.dir = dir;
        this.host = host;
        this.process = process;
        this.port = port;
        this.namespace = namespace;
        this.shutdownHook = new Thread(this::stop, "stop postfix " + dir);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Settings for a Postfix instance, started by {@link #start()}. */
    public static final class Builder {
        private final String hostName;
        private Path key;
        private Path chain;
        private boolean starttls = true;
        private NetworkNamespace namespace;
        private int namespacePort;
        private String namespaceAddress = "127.0.0.1";
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final StringBuilder services = new StringBuilder();

        private Builder(String hostName) {
            this.hostName = hostName;
        }

        /** The private key and the chain (leaf first) smtpd presents after STARTTLS. */
        public Builder certificate(Path key, Path chain) {
            this.key = key;
            this.chain = chain;
            return this;
        }

        /** Whether the EHLO response offers STARTTLS ({@code smtpd_tls_security_level} may or none). */
        public Builder starttls(boolean offered) {
            this.starttls = offered;
            return this;
        }

        /**
         * Runs Postfix inside {@code namespace}, on 127.0.0.1:{@code port} there (25, so that
         * clients in the namespace find it as an MX on the standard port), instead of on a free
         * port of the machine's loopback. Only programs run in the namespace reach it.
         */
        public Builder in(NetworkNamespace namespace, int port) {
            this.namespace = namespace;
            this.namespacePort = port;
            return this;
        }

        /**
         * Listens on {@code address} (another loopback address, such as 127.0.0.2) instead of
         * 127.0.0.1 in the namespace, so that several instances serve port 25 side by side as the MX
         * hosts of different domains.
         */
        public Builder listenOn(String address) {
            this.namespaceAddress = address;
            return this;
        }

        /** Any further {@code main.cf} setting, such as {@code smtpd_tls_protocols}. */
        public Builder set(String name, String value) {
            settings.put(name, value);
            return this;
        }

        /** A further {@code master.cf} service, such as a {@code pipe} transport, in master.cf syntax. */
        public Builder service(String masterCf) {
            services.append(masterCf).append('\n');
            return this;
        }

        /**
         * Checks the configuration with {@code postfix check}, starts Postfix and returns once
         * the port greets. Skips the test (fails under {@code CI}) without Postfix.
         */
        public PostfixServer start() throws IOException {
            ExternalTool.require("postfix");
            ExternalTool.require("setsid");
            if (starttls && key == null) {
                throw new IllegalStateException("STARTTLS needs a certificate");
            }
            Path dir = Files.createTempDirectory("mxpolicy-postfix-");
            try {
                return launch(dir, this);
            } catch (IOException | RuntimeException | Error e) {
                deleteTree(dir);
                throw e;
            }
        }
    }

    /** A Postfix that calls itself {@code hostName} in its greeting. */
    public static Builder builder(String hostName) {
        return new Builder(hostName);
    }

    private static PostfixServer launch(Path dir, Builder options) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        ExternalTool.require("chown").run("postfix", data.toString()).assertSuccess();
        if (options.key != null) {
            installCertificate(conf, options.key, options.chain);
        }
        int port = options.namespace == null ? freeLoopbackPort() : options.namespacePort;
        Files.writeString(conf.resolve("main.cf"), mainCf(dir, options), StandardCharsets.UTF_8);
        Files.writeString(
                conf.resolve("master.cf"),
                options.namespaceAddress + ":" + port + " inet n - n - - smtpd\n" + MASTER_SERVICES + options.services,
                StandardCharsets.UTF_8);
        postfix(dir, "check").assertSuccess();
        Path log = dir.resolve("postfix.log");
        List<String> command = List.of("setsid", postfixCommand(), "-c", conf.toString(), "start-fg");
        if (options.namespace != null) {
            command = options.namespace.command(command.toArray(String[]::new));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        PostfixServer server = new PostfixServer(dir, process, options.namespaceAddress, port, options.namespace);
        try {
            server.awaitGreeting();
        } catch (IOException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static String mainCf(Path dir, Builder options) {
        Map<String, String> main = new LinkedHashMap<>();
        main.put("compatibility_level", "3.6");
        main.put("myhostname", options.hostName);
        main.put("mydestination", "");
        main.put("relay_domains", "");
        main.put("smtpd_relay_restrictions", "reject");
        main.put("alias_maps", "");
        main.put("alias_database", "");
        // Postfix accepts only addresses of an interface here (lo has 127.0.0.1/8); the
        // master.cf line binds the listener to the address asked for.
        main.put("inet_interfaces", "127.0.0.1");
        main.put("inet_protocols", "ipv4");
        main.put("queue_directory", dir.resolve("queue").toString());
        main.put("data_directory", dir.resolve("data").toString());
        // postlogd appends to the file Postfix was started with as stdout.
        main.put("maillog_file", "/dev/stdout");
        main.put("smtpd_banner", "$myhostname ESMTP");
        main.put("smtpd_tls_security_level", options.starttls ? "may" : "none");
        if (options.key != null) {
            main.put("smtpd_tls_chain_files", dir.resolve("conf/key.pem") + ", " + dir.resolve("conf/chain.pem"));
        }
        main.putAll(options.settings);
        StringBuilder text = new StringBuilder();
        main.forEach(
                (name, value) -> text.append(name).append(" = ").append(value).append('\n'));
        return text.toString();
    }

    /** The address smtpd listens on (inside the namespace, when it runs in one). */
    public InetSocketAddress address() {
        return new InetSocketAddress(loopback(), port);
    }

    public int port() {
        return port;
    }

    /**
     * A shell command that copies {@code key} and {@code chain} into this instance's
     * configuration and reloads it, as an MTA reload command after a renewal does.
     */
    public String reloadCommand(Path key, Path chain) {
        Path conf = dir.resolve("conf");
        return "cp " + key + " " + conf.resolve("key.pem") + " && cp " + chain + " " + conf.resolve("chain.pem")
                + " && " + postfixCommand() + " -c " + conf + " reload";
    }

    /**
     * Puts a new key and chain in place and reloads Postfix ({@code postfix reload}). smtpd
     * processes started after the reload present the new certificate; one that was idle before
     * may still serve a connection with the old one, so a test polls until it sees the change.
     */
    public void replaceCertificate(Path key, Path chain) throws IOException {
        installCertificate(dir.resolve("conf"), key, chain);
        postfix(dir, "reload").assertSuccess();
    }

    /**
     * The leaf certificate smtpd presents after STARTTLS now, as a client sees it (asked with
     * {@code openssl s_client}, inside the namespace when Postfix runs in one). After a reload an
     * smtpd started before it may serve one more connection with the old certificate, so a test
     * polls this until it shows the new one; when openssl shows no certificate this throws an
     * {@link IllegalStateException} with its output, which such a poll counts as "not yet".
     */
    public X509Certificate presentedLeaf() {
        ExternalTool openssl = ExternalTool.require("openssl");
        String[] args = {"s_client", "-starttls", "smtp", "-connect", "127.0.0.1:" + port};
        ExternalTool.Result seen;
        if (namespace == null) {
            seen = openssl.run(args);
        } else {
            List<String> command = new ArrayList<>(List.of(openssl.path()));
            command.addAll(List.of(args));
            seen = namespace.run(command.toArray(String[]::new));
        }
        Matcher pem = PEM_CERTIFICATE.matcher(seen.stdout());
        if (!pem.find()) {
            throw new IllegalStateException(
                    "openssl s_client showed no certificate:\n" + seen.stdout() + seen.stderr());
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.group().getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("openssl s_client showed a certificate that does not parse", e);
        }
    }

    /** {@code postqueue -f}: the deferred mails are tried again now. */
    public void flushQueue() {
        ExternalTool.require("postqueue")
                .run("-c", dir.resolve("conf").toString(), "-f")
                .assertSuccess();
    }

    /** The file Postfix logs to ({@code maillog_file}), as a sending MTA's log is read. */
    public Path logFile() {
        return dir.resolve("postfix.log");
    }

    /** What Postfix has logged so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("postfix.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read the Postfix log: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs anyway
        }
    }

    /** {@code postfix stop}; should Postfix not end, every process it started is killed. */
    private synchronized void stop() {
        List<ProcessHandle> started = new ArrayList<>(process.descendants().toList());
        started.add(process.toHandle());
        if (process.isAlive()) {
            try {
                new ProcessBuilder(postfixCommand(), "-c", dir.resolve("conf").toString(), "stop")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start()
                        .waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
                process.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS);
            } catch (IOException e) {
                // fall through to killing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ProcessHandle handle : started) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
        deleteTree(dir);
    }

    private void awaitGreeting() throws IOException {
        if (namespace != null) {
            awaitGreetingInNamespace();
            return;
        }
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("postfix exited with " + process.exitValue() + " before greeting on port " + port + "; its log:\n"
                        + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(address(), 1000);
                socket.setSoTimeout(2000);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                String line = in.readLine();
                if (line != null && line.startsWith("220 ")) {
                    OutputStream out = socket.getOutputStream();
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                }
                lastProblem = "greeting " + line;
            } catch (IOException e) {
                lastProblem = e.toString();
            }
            sleep(Duration.ofMillis(100));
        }
        fail("postfix did not greet on 127.0.0.1:" + port + " within " + STARTUP_LIMIT.toSeconds() + " s ("
                + lastProblem + "); its log:\n" + log());
    }

    /**
     * The JVM cannot open sockets in another namespace, so bash's {@code /dev/tcp} reads the
     * greeting there (each try bounded by {@code timeout}).
     */
    private void awaitGreetingInNamespace() {
        String bash = ExternalTool.require("bash").path();
        String timeout = ExternalTool.require("timeout").path();
        String greet = "exec 3<>/dev/tcp/" + host + "/" + port + " && head -n 1 <&3 && printf 'QUIT\\r\\n' >&3";
        try {
            BoundedPoll.await(
                    "a greeting on " + host + ":" + port + " in netns " + namespace.name(),
                    STARTUP_LIMIT,
                    () -> {
                        if (!process.isAlive()) {
                            fail("postfix exited with " + process.exitValue() + " before greeting; its log:\n" + log());
                        }
                        ExternalTool.Result greeting = namespace.run(timeout, "5", bash, "-c", greet);
                        return greeting.stdout().startsWith("220 ")
                                ? null
                                : "greeting " + greeting.stdout() + greeting.stderr();
                    },
                    this::log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for postfix", e);
        }
    }

    private static void installCertificate(Path conf, Path key, Path chain) throws IOException {
        Path keyCopy = conf.resolve("key.pem.new");
        Files.copy(key, keyCopy, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(keyCopy, PosixFilePermissions.fromString("rw-------"));
        Files.move(
                keyCopy, conf.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path chainCopy = conf.resolve("chain.pem.new");
        Files.copy(chain, chainCopy, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
                chainCopy,
                conf.resolve("chain.pem"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static ExternalTool.Result postfix(Path dir, String command) {
        return ExternalTool.require("postfix").run("-c", dir.resolve("conf").toString(), command);
    }

    private static String postfixCommand() {
        for (String candidate : new String[] {"/usr/sbin/postfix", "/usr/local/sbin/postfix"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "postfix";
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, loopback())) {
            return socket.getLocalPort();
        }
    }

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // A leftover directory in /tmp is untidy, not a test failure.
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for postfix", e);
        }
    }
}
