package org.mxpolicy.config;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MessageText;

/**
 * Checks the files a config names, before any of them is needed: a TSIG key file that is missing
 * or readable by others should be reported when the config is loaded, at the config line that
 * names it, and not only on the day an update has to be sent.
 *
 * <p>Every file must exist and be readable, as the kind it is (a file or a directory). Secrets
 * (TSIG keys, private keys) must also be owned by the user mxpolicy runs as and be neither
 * readable nor writable by group or others: whoever can read one can sign as the provider, and
 * whoever owns or can write one can replace it.
 *
 * <p>Files that come and go in normal operation are not checked here: the signed zone written
 * by {@code sign}, the rollover state directory (checked with its contents where it is used), and
 * the staged {@code next_key}.
 */
public final class ReferencedFiles {

    static final String FILE = "config.file";
    static final String SECRET = "config.secret-file";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    /** What a referenced file must be. */
    public enum Kind {
        /** A readable file: a certificate, a trust anchor file, a zone file. */
        FILE,
        /** A readable file only the effective user owns and may read or write: a TSIG or private key. */
        SECRET,
        /** A directory, such as a DNSSEC key directory. */
        DIRECTORY
    }

    private ReferencedFiles() {}

    /** {@link #check(ProviderConfig, Path, UserPrincipal)} for the user this process runs as. */
    public static List<Finding> check(ProviderConfig config, Path baseDir) {
        return check(config, baseDir, effectiveUser().orElse(null));
    }

    /**
     * Every problem with the files {@code config} names, each at the config position that names it.
     *
     * @param baseDir the config file's directory, against which relative paths resolve
     * @param user the user mxpolicy runs as ({@link #effectiveUser()}); null: owners are not checked
     */
    public static List<Finding> check(ProviderConfig config, Path baseDir, UserPrincipal user) {
        List<Finding> findings = new ArrayList<>(forPublishing(config, baseDir, user));
        findings.addAll(forServing(config, baseDir, user));
        findings.sort(Finding.BY_POSITION);
        return findings;
    }

    /** {@link #forPublishing(ProviderConfig, Path, UserPrincipal)} for the user this process runs as. */
    public static List<Finding> forPublishing(ProviderConfig config, Path baseDir) {
        return forPublishing(config, baseDir, effectiveUser().orElse(null));
    }

    /**
     * The problems with the files that publishing needs: TSIG keys, zone files and key directories,
     * the trust anchor file, the MX hosts' certificates and extra issuers.
     */
    public static List<Finding> forPublishing(ProviderConfig config, Path baseDir, UserPrincipal user) {
        List<Finding> findings = new ArrayList<>();
        for (ZoneSettings zone : config.zones().values()) {
            zone.update()
                    .ifPresent(u -> check(u.key(), Kind.SECRET, baseDir, user).ifPresent(findings::add));
            zone.signing().ifPresent(s -> {
                check(s.zoneFile(), Kind.FILE, baseDir, user).ifPresent(findings::add);
                check(s.keys(), Kind.DIRECTORY, baseDir, user).ifPresent(findings::add);
            });
        }
        config.dns()
                .trustAnchorFile()
                .flatMap(f -> check(f, Kind.FILE, baseDir, user))
                .ifPresent(findings::add);
        for (MailDomain domain : config.domains()) {
            for (MxHost mx : domain.mx()) {
                check(mx.cert(), Kind.FILE, baseDir, user).ifPresent(findings::add);
                for (FileReference issuer : mx.tlsa().extraIssuers()) {
                    check(issuer, Kind.FILE, baseDir, user).ifPresent(findings::add);
                }
            }
        }
        // one file named twice (the same key for two zones) is one problem per mention, in file order
        findings.sort(Finding.BY_POSITION);
        return findings;
    }

    /**
     * The problems with the files {@code serve} needs: the certificates and private keys of the
     * MTA-STS policy hosts and of the client configuration hosts.
     */
    public static List<Finding> forServing(ProviderConfig config, Path baseDir, UserPrincipal user) {
        List<Finding> findings = new ArrayList<>();
        for (MailDomain domain : config.domains()) {
            domain.mtaSts().ifPresent(m -> {
                m.cert().flatMap(f -> check(f, Kind.FILE, baseDir, user)).ifPresent(findings::add);
                m.key().flatMap(f -> check(f, Kind.SECRET, baseDir, user)).ifPresent(findings::add);
            });
            domain.clientServices().ifPresent(c -> {
                for (Optional<ServerCertificate> server : List.of(c.autoconfig(), c.autodiscover())) {
                    server.ifPresent(s -> {
                        check(s.cert(), Kind.FILE, baseDir, user).ifPresent(findings::add);
                        check(s.key(), Kind.SECRET, baseDir, user).ifPresent(findings::add);
                    });
                }
            });
        }
        findings.sort(Finding.BY_POSITION);
        return findings;
    }

    /**
     * The problem with one referenced file, if any: missing, unreadable, of the wrong kind, or a
     * secret that another user owns or that group or others may read or write.
     */
    public static Optional<Finding> check(FileReference file, Kind kind, Path baseDir, UserPrincipal user) {
        Path path = baseDir.resolve(file.path());
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return problem(FILE, file, path, "no such " + (kind == Kind.DIRECTORY ? "directory" : "file"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: existence is all that can be checked
            return Files.exists(path) ? Optional.empty() : problem(FILE, file, path, "no such file");
        } catch (AccessDeniedException e) {
            return problem(FILE, file, path, "permission denied");
        } catch (IOException e) {
            return problem(FILE, file, path, "cannot be read: " + MessageText.problem(e));
        }
        if (kind == Kind.DIRECTORY) {
            return attributes.isDirectory() ? Optional.empty() : problem(FILE, file, path, "is not a directory");
        }
        if (!attributes.isRegularFile()) {
            return problem(
                    FILE,
                    file,
                    path,
                    attributes.isDirectory() ? "is a directory, not a file" : "is not a regular file");
        }
        if (!Files.isReadable(path)) {
            return problem(FILE, file, path, "permission denied");
        }
        if (kind == Kind.SECRET) {
            if (user != null && !attributes.owner().equals(user)) {
                return problem(
                        SECRET,
                        file,
                        path,
                        "holds a secret but is owned by " + attributes.owner().getName()
                                + ", not by " + user.getName()
                                + " (the user mxpolicy runs as), who could replace it; run: chown "
                                + user.getName() + " " + shellQuote(path.toString()));
            }
            Set<PosixFilePermission> loose = EnumSet.noneOf(PosixFilePermission.class);
            loose.addAll(attributes.permissions());
            loose.retainAll(GROUP_OR_OTHERS);
            if (!loose.isEmpty()) {
                boolean readable = loose.contains(PosixFilePermission.GROUP_READ)
                        || loose.contains(PosixFilePermission.OTHERS_READ);
                return problem(
                        SECRET,
                        file,
                        path,
                        "holds a secret but is " + (readable ? "readable" : "writable")
                                + " by group or others; run: chmod 600 " + shellQuote(path.toString()));
            }
        }
        return Optional.empty();
    }

    /**
     * The user this process runs as: on Linux the owner of {@code /proc/self}, which is the
     * effective user; elsewhere the user named by {@code user.name}. Empty when neither is known,
     * and then owners are not checked.
     */
    public static Optional<UserPrincipal> effectiveUser() {
        try {
            return Optional.of(Files.getOwner(Path.of("/proc/self"), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException e) {
            try {
                return Optional.of(Path.of("")
                        .getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name")));
            } catch (IOException | UnsupportedOperationException notFound) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Finding> problem(String id, FileReference file, Path path, String what) {
        return Optional.of(Finding.error(id, file.position(), Quoting.shorten(path.toString()) + ": " + what));
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
