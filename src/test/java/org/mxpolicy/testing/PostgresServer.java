package org.mxpolicy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster from Debian's package: {@code initdb} in a temporary directory,
 * started with {@code pg_ctl} on a free loopback port with trust authentication, stopped and
 * deleted by {@link #close}. PostgreSQL refuses to run as root, so under root the cluster belongs
 * to the {@code postgres} user and its programs run through {@code runuser}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String SUPERUSER = "postgres";

    private final Path dir;
    private final List<String> asOwner;
    private final ExternalTool pgCtl;
    private final int port;
    private int databases;

    private PostgresServer(Path dir, List<String> asOwner, ExternalTool pgCtl, int port) {
        this.dir = dir;
        this.asOwner = asOwner;
        this.pgCtl = pgCtl;
        this.port = port;
    }

    /** Starts a cluster; skips the test locally (fails under CI) when PostgreSQL is not installed. */
    public static PostgresServer start() throws IOException {
        ExternalTool initdb = ExternalTool.require(program("initdb"));
        ExternalTool pgCtl = ExternalTool.require(program("pg_ctl"));
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> asOwner = new ArrayList<>();
        Path dir = Files.createTempDirectory("mxpolicy-pg-");
        if (root) {
            asOwner.addAll(List.of(ExternalTool.require("runuser").path(), "-u", SUPERUSER, "--"));
            UserPrincipal owner =
                    dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SUPERUSER);
            Files.setOwner(dir, owner);
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        PostgresServer server = new PostgresServer(dir, asOwner, pgCtl, port);
        server.run(
                        initdb,
                        "-D",
                        dir.resolve("data").toString(),
                        "-A",
                        "trust",
                        "-U",
                        SUPERUSER,
                        "--no-sync",
                        "-E",
                        "UTF8")
                .assertSuccess();
        server.run(
                        pgCtl,
                        "-D",
                        dir.resolve("data").toString(),
                        "-l",
                        dir.resolve("server.log").toString(),
                        "-w",
                        "-o",
                        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
                        "start")
                .assertSuccess();
        return server;
    }

    /** The program from PATH, or else from the newest {@code /usr/lib/postgresql/N/bin}, where Debian puts it. */
    private static String program(String name) throws IOException {
        if (ExternalTool.installed(name)) {
            return name;
        }
        Path lib = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> versions = Files.list(lib)) {
                return versions.map(v -> v.resolve("bin").resolve(name))
                        .filter(Files::isExecutable)
                        .max(Comparator.comparing(Path::toString))
                        .map(Path::toString)
                        .orElse(name);
            }
        }
        return name;
    }

    private ExternalTool.Result run(ExternalTool tool, String... args) {
        if (asOwner.isEmpty()) {
            return tool.run(args);
        }
        List<String> command = new ArrayList<>(asOwner.subList(1, asOwner.size()));
        command.add(tool.path());
        command.addAll(List.of(args));
        return ExternalTool.require(asOwner.get(0)).run(command.toArray(String[]::new));
    }

    /** A new, empty database; its {@code postgresql://} URI. */
    public String createDatabase() throws SQLException {
        String name = "reports_" + ++databases;
        try (Connection c = DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + port + "/postgres", SUPERUSER, "");
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
        }
        return "postgresql://" + SUPERUSER + "@127.0.0.1:" + port + "/" + name;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        run(pgCtl, "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
