package org.mxpolicy.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mxpolicy.cert.InMemoryPki;

/**
 * A throwaway Dovecot IMAP server from Debian's package: IMAPS only (implicit TLS, a certificate
 * for {@code localhost} issued by a test CA) on a free loopback port, one user from a passwd-file
 * whose Maildir lies in a temporary directory, run in the foreground with {@code dovecot -F}.
 * Under root the mailbox belongs to {@code nobody}, as Dovecot refuses mail access as root.
 */
public final class DovecotServer implements AutoCloseable {

    public static final String USER = "reports";
    public static final String PASSWORD = "tlsrpt-secret";
    /** The name the server certificate is issued for. */
    public static final String HOST = "localhost";

    private static final Duration START_LIMIT = Duration.ofSeconds(30);
    private static final String MAIL_USER = "nobody";
    private static final String MAIL_GROUP = "nogroup";

    private final Path dir;
    private final int port;
    private final BackgroundProcess process;
    private final UserPrincipal owner;
    private final GroupPrincipal group;
    private int delivered;

    private DovecotServer(Path dir, int port, BackgroundProcess process, UserPrincipal owner, GroupPrincipal group) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.owner = owner;
        this.group = group;
    }

    /** Starts Dovecot; skips the test locally (fails under CI) when it is not installed. */
    public static DovecotServer start(InMemoryPki.Issuer ca) throws IOException, InterruptedException {
        return start(ca, true);
    }

    /**
     * Starts Dovecot, announcing MOVE (RFC 6851) or not, as an older server does; it still accepts
     * the command, so a client that sends it anyway is not caught by this.
     */
    public static DovecotServer start(InMemoryPki.Issuer ca, boolean move) throws IOException, InterruptedException {
        ExternalTool dovecot = ExternalTool.require("dovecot");
        Path dir = Files.createTempDirectory("mxpolicy-dovecot-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        LabFiles.serverKeyAndChain(dir, "imap", HOST, ca);
        boolean root = "root".equals(System.getProperty("user.name"));
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal owner = root ? users.lookupPrincipalByName(MAIL_USER) : Files.getOwner(dir);
        GroupPrincipal group = root
                ? users.lookupPrincipalByGroupName(MAIL_GROUP)
                : Files.readAttributes(dir, PosixFileAttributes.class).group();
        int uid = (Integer) Files.getAttribute(dir, "unix:uid");
        int gid = (Integer) Files.getAttribute(dir, "unix:gid");
        Path home = dir.resolve("home");
        for (String sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(home.resolve("Maildir").resolve(sub));
        }
        if (root) {
            chown(home, owner, group);
            uid = (Integer) Files.getAttribute(home, "unix:uid");
            gid = (Integer) Files.getAttribute(home, "unix:gid");
        }
        Files.writeString(
                dir.resolve("passwd"), USER + ":{PLAIN}" + PASSWORD + ":" + uid + ":" + gid + "::" + home + "\n");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Files.createDirectories(dir.resolve("run"));
        Path conf = dir.resolve("dovecot.conf");
        Files.writeString(conf, """
                base_dir = %1$s/run
                state_dir = %1$s/run
                instance_name = mxpolicy-test-%2$d
                log_path = /dev/stderr
                protocols = imap
                listen = 127.0.0.1
                service imap-login {
                  inet_listener imap {
                    port = 0
                  }
                  inet_listener imaps {
                    port = %2$d
                    ssl = yes
                  }
                }
                ssl = required
                ssl_cert = <%1$s/imap.pem
                ssl_key = <%1$s/imap.key
                ssl_min_protocol = TLSv1.2
                disable_plaintext_auth = yes
                auth_mechanisms = plain login
                passdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                userdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                mail_location = maildir:~/Maildir
                first_valid_uid = 1
                namespace inbox {
                  inbox = yes
                  separator = /
                }
                %3$s
                """.formatted(
                        dir, port, move ? "" : "imap_capability = IMAP4rev1 LITERAL+ NAMESPACE CHILDREN UIDPLUS IDLE"));
        BackgroundProcess process = BackgroundProcess.start(
                "dovecot", List.of(dovecot.path(), "-F", "-c", conf.toString()), Map.of(), dir.resolve("dovecot.log"));
        DovecotServer server = new DovecotServer(dir, port, process, owner, group);
        try {
            BoundedPoll.await(
                    "dovecot listening on port " + port,
                    START_LIMIT,
                    () -> {
                        process.assertRunning();
                        new Socket(InetAddress.getLoopbackAddress(), port).close();
                        return null;
                    },
                    process::log);
        } catch (RuntimeException | Error | InterruptedException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return port;
    }

    public String log() {
        return process.log();
    }

    /** Delivers a mail into the INBOX as a local delivery agent does: written to tmp/, renamed into new/. */
    public void deliver(byte[] mail) throws IOException {
        Path maildir = maildir("INBOX");
        String name = System.currentTimeMillis() + ".M" + delivered++ + ".mxpolicy-test";
        Path tmp = maildir.resolve("tmp").resolve(name);
        Files.write(tmp, mail);
        chown(tmp, owner, group);
        Files.move(tmp, maildir.resolve("new").resolve(name));
    }

    /** Drops every IMAP connection of the user ({@code doveadm kick}), as a server restart does. */
    public void kick() {
        ExternalTool.require("doveadm")
                .run("-c", dir.resolve("dovecot.conf").toString(), "kick", USER)
                .assertSuccess();
    }

    /** How many mails are in an IMAP folder ({@code INBOX}, or another folder by name). */
    public long count(String folder) throws IOException {
        Path maildir = maildir(folder);
        long n = 0;
        for (String sub : List.of("new", "cur")) {
            Path d = maildir.resolve(sub);
            if (Files.isDirectory(d)) {
                try (Stream<Path> files = Files.list(d)) {
                    n += files.filter(Files::isRegularFile).count();
                }
            }
        }
        return n;
    }

    /** Maildir++: INBOX is the Maildir itself, any other folder the subdirectory {@code .NAME}. */
    private Path maildir(String folder) {
        Path root = dir.resolve("home").resolve("Maildir");
        return folder.equals("INBOX") ? root : root.resolve("." + folder.replace('/', '.'));
    }

    private static void chown(Path top, UserPrincipal owner, GroupPrincipal group) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : paths.toList()) {
                Files.setOwner(p, owner);
                Files.getFileAttributeView(p, PosixFileAttributeView.class).setGroup(group);
            }
        }
    }

    @Override
    public void close() {
        process.close();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory left behind is no reason to fail the test
        }
    }
}
