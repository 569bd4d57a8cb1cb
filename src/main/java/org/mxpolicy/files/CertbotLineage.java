package org.mxpolicy.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.files.AtomicFiles.WriteFailedException;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.rollover.CertificateHistory;

/**
 * A certbot certificate lineage, as a deploy hook is given it in {@code RENEWED_LINEAGE}:
 * {@code live/<name>/{cert,chain,fullchain,privkey}.pem} are symbolic links to
 * {@code ../../archive/<name>/{cert,chain,fullchain,privkey}N.pem}, and each renewal writes
 * version N+1 into the archive before re-pointing the four links to it.
 *
 * <p>mxpolicy reads the lineage to learn which key a renewal put live, and when that key's TLSA
 * record is not yet served long enough (or is unknown), puts the previous version back.
 *
 * <h2>Order of the links when restoring</h2>
 *
 * <p>Four links cannot be replaced in one step, and an MTA reads its key and certificate as two
 * files (Postfix starts a new smtpd, which loads them, whenever one is needed, not only on
 * reload). No order of four renames keeps a reader that opens the key, then the certificate,
 * from seeing one of each version between two renames; the window is made as short as it can be
 * (consecutive renames of {@code privkey.pem} and {@code fullchain.pem}), and OpenSSL refuses a
 * key that does not match its certificate, so such a reader fails to offer TLS rather than
 * serving a wrong pair. The MTA is reloaded only after all four links are in place.
 *
 * <p>The order that matters is the one for a crash, and it is {@code chain}, {@code privkey},
 * {@code fullchain}, {@code cert}: the files that hold the leaf come after the key, and
 * {@code cert.pem}, where the deploy hook and mxpolicy read which key is live, comes last. So
 * whoever sees the restored leaf in {@code cert.pem} also finds the restored key and chain; a
 * crash before the last rename leaves {@code cert.pem} showing the rejected key, so the next run
 * of the hook sees it again and finishes the restore. Replacing {@code privkey.pem} last would
 * instead let a crash leave a restored {@code cert.pem} beside the rejected key, which a rerun
 * would take for a lineage already restored.
 */
public final class CertbotLineage implements CertificateHistory {

    /** The environment variable certbot sets for deploy hooks to the lineage's live directory. */
    public static final String RENEWED_LINEAGE = "RENEWED_LINEAGE";
    /** The environment variable certbot sets for deploy hooks to the renewed names, space-separated. */
    public static final String RENEWED_DOMAINS = "RENEWED_DOMAINS";

    /** The four files of a version. */
    public enum Kind {
        CERT,
        CHAIN,
        FULLCHAIN,
        PRIVKEY;

        /** {@code cert}, {@code chain}, {@code fullchain}, {@code privkey}: the stem of the file names. */
        public String stem() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The name of the live link, for example {@code privkey.pem}. */
        public String liveName() {
            return stem() + ".pem";
        }
    }

    /** The order links are re-pointed in when restoring; see the class comment. */
    static final List<Kind> RESTORE_ORDER = List.of(Kind.CHAIN, Kind.PRIVKEY, Kind.FULLCHAIN, Kind.CERT);

    private static final Pattern ARCHIVE_FILE =
            Pattern.compile("(cert|chain|fullchain|privkey)([1-9][0-9]{0,8})\\.pem");

    /**
     * One version in the archive, complete when all four files exist.
     *
     * @param number the version, counting from 1
     * @param files the archive file of each kind
     */
    public record Version(int number, Map<Kind, Path> files) {

        public Version {
            files = Collections.unmodifiableMap(new EnumMap<>(files));
        }

        public Path cert() {
            return files.get(Kind.CERT);
        }

        public Path chain() {
            return files.get(Kind.CHAIN);
        }

        public Path fullchain() {
            return files.get(Kind.FULLCHAIN);
        }

        public Path privkey() {
            return files.get(Kind.PRIVKEY);
        }

        public boolean complete() {
            return files.size() == Kind.values().length;
        }
    }

    /** What a restore did. */
    public enum Outcome {
        /** At least one link was re-pointed. */
        RESTORED,
        /** Every link already pointed where it should. */
        UNCHANGED
    }

    private final Path live;
    private final Path archive;
    private final Map<Kind, Path> linkTargets;
    private final Map<Kind, Integer> liveVersions;
    private final NavigableMap<Integer, Version> versions;

    private CertbotLineage(
            Path live,
            Path archive,
            Map<Kind, Path> linkTargets,
            Map<Kind, Integer> liveVersions,
            NavigableMap<Integer, Version> versions) {
        this.live = live;
        this.archive = archive;
        this.linkTargets = linkTargets;
        this.liveVersions = liveVersions;
        this.versions = versions;
    }

    /**
     * The lineage certbot names in {@code RENEWED_LINEAGE}.
     *
     * @throws InvalidInputException when the variable is not set, as when mxpolicy is not run as
     *     certbot's deploy hook, or the lineage is not as certbot makes it
     */
    public static CertbotLineage fromEnvironment(Map<String, String> environment) throws InvalidInputException {
        String value = environment.get(RENEWED_LINEAGE);
        if (value == null || value.isBlank()) {
            throw notSet(RENEWED_LINEAGE);
        }
        return read(Path.of(value.strip()));
    }

    /**
     * The names certbot renewed, from {@code RENEWED_DOMAINS}: lower case, in certbot's order,
     * each once.
     */
    public static List<String> renewedDomains(Map<String, String> environment) throws InvalidInputException {
        String value = environment.get(RENEWED_DOMAINS);
        if (value == null || value.isBlank()) {
            throw notSet(RENEWED_DOMAINS);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : value.strip().split("\\s+", -1)) {
            String lower = name.toLowerCase(Locale.ROOT);
            names.add(lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower);
        }
        return List.copyOf(names);
    }

    private static InvalidInputException notSet(String variable) {
        return new InvalidInputException(
                "certbot.environment",
                SourcePosition.file("$" + variable),
                "is not set: run this as certbot's deploy hook (certbot renew --deploy-hook ...), which sets it");
    }

    /**
     * Reads a lineage from its live directory.
     *
     * @throws InvalidInputException when a live file is missing, not a link, or points at a file
     *     that is missing or not named as certbot names archive files
     */
    public static CertbotLineage read(Path liveDir) throws InvalidInputException {
        Path live = liveDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(live)) {
            throw new InvalidInputException(
                    "certbot.lineage",
                    SourcePosition.file(liveDir.toString()),
                    Files.exists(live)
                            ? "is not a directory: give certbot's live directory (/etc/letsencrypt/live/NAME)"
                            : "no such directory: give certbot's live directory (/etc/letsencrypt/live/NAME)");
        }
        Map<Kind, Path> targets = new EnumMap<>(Kind.class);
        Map<Kind, Integer> liveVersions = new EnumMap<>(Kind.class);
        Path archive = null;
        for (Kind kind : Kind.values()) {
            Path link = live.resolve(kind.liveName());
            SourcePosition where = SourcePosition.file(link.toString());
            if (!Files.isSymbolicLink(link)) {
                throw new InvalidInputException(
                        "certbot.lineage",
                        where,
                        Files.exists(link, LinkOption.NOFOLLOW_LINKS)
                                ? "is not a symbolic link: certbot keeps the live files as links into its archive; this"
                                        + " directory is not a certbot lineage"
                                : "is missing: this directory is not a complete certbot lineage");
            }
            Path target = readLink(link);
            Path resolved = live.resolve(target).normalize();
            Matcher m = ARCHIVE_FILE.matcher(String.valueOf(resolved.getFileName()));
            if (!m.matches() || !m.group(1).equals(kind.stem())) {
                throw new InvalidInputException(
                        "certbot.lineage",
                        where,
                        "points at " + target + ", not at an archive file " + kind.stem()
                                + "N.pem as certbot makes it");
            }
            if (!Files.isRegularFile(resolved)) {
                throw new InvalidInputException(
                        "certbot.lineage", where, "points at " + target + ", which does not exist");
            }
            if (archive == null) {
                archive = resolved.getParent();
            } else if (!archive.equals(resolved.getParent())) {
                throw new InvalidInputException(
                        "certbot.lineage",
                        where,
                        "points into " + resolved.getParent() + ", but the other links into " + archive
                                + ": certbot keeps one archive directory per lineage");
            }
            targets.put(kind, target);
            liveVersions.put(kind, Integer.parseInt(m.group(2)));
        }
        return new CertbotLineage(live, archive, targets, liveVersions, scanArchive(archive));
    }

    private static Path readLink(Path link) throws InvalidInputException {
        try {
            return Files.readSymbolicLink(link);
        } catch (IOException e) {
            throw new InvalidInputException(
                    "certbot.lineage", SourcePosition.file(link.toString()), "cannot read the link: " + e.getMessage());
        }
    }

    private static NavigableMap<Integer, Version> scanArchive(Path archive) throws InvalidInputException {
        Map<Integer, Map<Kind, Path>> found = new TreeMap<>();
        try (var entries = Files.list(archive)) {
            for (Path file : (Iterable<Path>) entries::iterator) {
                Matcher m = ARCHIVE_FILE.matcher(file.getFileName().toString());
                if (m.matches() && Files.isRegularFile(file)) {
                    found.computeIfAbsent(Integer.parseInt(m.group(2)), v -> new EnumMap<>(Kind.class))
                            .put(Kind.valueOf(m.group(1).toUpperCase(Locale.ROOT)), file);
                }
            }
        } catch (IOException e) {
            throw new InvalidInputException(
                    "certbot.lineage",
                    SourcePosition.file(archive.toString()),
                    "cannot list the archive directory: " + e.getMessage());
        }
        NavigableMap<Integer, Version> versions = new TreeMap<>();
        found.forEach((number, files) -> versions.put(number, new Version(number, files)));
        return versions;
    }

    /** The lineage's name, the live directory's name (the first domain, as certbot chooses it). */
    public String name() {
        return live.getFileName().toString();
    }

    /** The live directory. */
    @Override
    public Path liveDir() {
        return live;
    }

    /** Whether {@code certificate} is one of the lineage's live files (through its directory or a link to it). */
    public boolean holds(Path certificate) {
        Path cert = certificate.toAbsolutePath().normalize();
        Path live = this.live.toAbsolutePath().normalize();
        try {
            return cert.startsWith(live)
                    || (Files.exists(cert)
                            && Files.exists(live)
                            && cert.getParent() != null
                            && Files.isSameFile(cert.getParent(), live));
        } catch (IOException e) {
            return false;
        }
    }

    /** The archive directory the live links point into. */
    public Path archiveDir() {
        return archive;
    }

    /** The version each live link points at. */
    public Map<Kind, Integer> liveVersions() {
        return Collections.unmodifiableMap(new EnumMap<>(liveVersions));
    }

    /** Whether all four live links point at the same version. */
    public boolean consistent() {
        return new TreeSet<>(liveVersions.values()).size() == 1;
    }

    /**
     * The live version N. When the links point at different versions (certbot or a restore
     * stopped half way), the highest: the version certbot was putting live, or a restore was
     * taking away.
     */
    public Version current() {
        int number = Collections.max(liveVersions.values());
        // every live link points at an existing file of this version, so the archive lists it
        return versions.get(number);
    }

    /** The highest complete version below the current one (N-1, or lower when N-1 is gone). */
    public Optional<Version> previous() {
        return completeBelow(current().number());
    }

    /** Every version in the archive, complete or not, from the oldest. */
    public List<Version> versions() {
        return List.copyOf(versions.values());
    }

    /** The newest complete version whose certificate is for this key, the version to go back to. */
    public Optional<Version> newestWithKey(SubjectPublicKey key) throws InvalidInputException {
        for (Version version : versions.descendingMap().values()) {
            if (version.complete() && key.equals(keyOf(version))) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }

    /** The key of a version's certificate ({@code certN.pem}). */
    public static SubjectPublicKey keyOf(Version version) throws InvalidInputException {
        Path cert = version.cert();
        if (cert == null) {
            throw new InvalidInputException(
                    "certbot.lineage",
                    SourcePosition.file(version.files()
                            .values()
                            .iterator()
                            .next()
                            .getParent()
                            .toString()),
                    "version " + version.number() + " has no cert" + version.number() + ".pem");
        }
        try (InputStream in = Files.newInputStream(cert)) {
            return SubjectPublicKey.of(
                    CertificateChainReader.read(in, cert.toString()).leaf(), SourcePosition.file(cert.toString()));
        } catch (IOException e) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file(cert.toString()), "cannot read it: " + e.getMessage());
        }
    }

    @Override
    public String restoreKey(SubjectPublicKey key) throws MxpolicyException {
        Optional<Version> good = newestWithKey(key);
        return (good.isPresent() ? restore(good.get()) : restorePrevious())
                .name()
                .toLowerCase(Locale.ROOT);
    }

    @Override
    public String restoreEarlier() throws MxpolicyException {
        return restorePrevious().name().toLowerCase(Locale.ROOT);
    }

    /**
     * Takes the newest version out of service: re-points the four live links to the highest
     * complete version below the newest. The newest is the highest version any live link points
     * at or the archive holds completely, which after a renewal is the version certbot just put
     * live. Running it again, after a crash half way or after it finished, re-points only what
     * is not yet restored, and nothing once every link is below the newest version.
     *
     * <p>When certbot renewed again after a restore, the version before the newest is the
     * version taken out before; {@link #newestWithKey} with the key in service finds the version
     * to go back to then.
     *
     * @throws InvalidInputException when the archive has no complete version below the newest
     */
    public Outcome restorePrevious() throws InvalidInputException, WriteFailedException {
        int newest = Math.max(
                Collections.max(liveVersions.values()),
                versions.entrySet().stream()
                        .filter(e -> e.getValue().complete())
                        .mapToInt(Map.Entry::getKey)
                        .max()
                        .orElse(0));
        if (liveVersions.values().stream().allMatch(v -> v < newest)) {
            return Outcome.UNCHANGED;
        }
        Version target = completeBelow(newest)
                .orElseThrow(() -> new InvalidInputException(
                        "certbot.no-previous",
                        SourcePosition.file(archive.toString()),
                        "holds no complete version before version " + newest
                                + ", so there is no earlier certificate and key to put back"));
        return restore(target);
    }

    /**
     * Re-points the four live links to a complete version, in {@link #RESTORE_ORDER}, each by
     * renaming a new link over the old one. Links already pointing there are left alone, so
     * running it again after a crash finishes the job.
     */
    public Outcome restore(Version target) throws InvalidInputException, WriteFailedException {
        if (!target.complete() || !target.equals(versions.get(target.number()))) {
            throw new InvalidInputException(
                    "certbot.lineage",
                    SourcePosition.file(archive.toString()),
                    "version " + target.number() + " is not complete in this archive: all four of cert, chain,"
                            + " fullchain and privkey" + target.number() + ".pem are needed");
        }
        Outcome outcome = Outcome.UNCHANGED;
        for (Kind kind : RESTORE_ORDER) {
            if (liveVersions.get(kind) == target.number()) {
                continue;
            }
            Path link = live.resolve(kind.liveName());
            // keep certbot's form of the target (../../archive/NAME/...), only the version changes
            Path newTarget = linkTargets.get(kind).resolveSibling(kind.stem() + target.number() + ".pem");
            try {
                AtomicLinks.replace(link, newTarget);
            } catch (IOException e) {
                throw new WriteFailedException(link, e);
            }
            linkTargets.put(kind, newTarget);
            liveVersions.put(kind, target.number());
            outcome = Outcome.RESTORED;
        }
        return outcome;
    }

    private Optional<Version> completeBelow(int number) {
        List<Version> below =
                new ArrayList<>(versions.headMap(number, false).descendingMap().values());
        return below.stream().filter(Version::complete).findFirst();
    }

    @Override
    public String toString() {
        return "CertbotLineage[" + live + ", live versions " + liveVersions + "]";
    }
}
