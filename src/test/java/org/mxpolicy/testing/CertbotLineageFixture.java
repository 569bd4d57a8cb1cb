package org.mxpolicy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxpolicy.cert.InMemoryPki;

/**
 * A certbot configuration directory with one lineage, laid out as certbot 2 lays it out:
 * {@code archive/NAME/{cert,chain,fullchain,privkey}N.pem} (privkey 0600) and
 * {@code live/NAME/*.pem} as relative links {@code ../../archive/NAME/...N.pem}. {@link #renew}
 * does what {@code certbot renew} does: writes version max+1 into the archive, then re-points
 * the links one by one (unlink, symlink) in certbot's order: cert, privkey, chain, fullchain.
 */
public final class CertbotLineageFixture {

    /** certbot's own order of the four kinds ({@code storage.ALL_FOUR}). */
    public static final List<String> KINDS = List.of("cert", "privkey", "chain", "fullchain");

    private static final Pattern VERSIONED = Pattern.compile("[a-z]+(\\d+)\\.pem");

    private final String name;
    private final Path live;
    private final Path archive;

    private CertbotLineageFixture(Path configDir, String name) {
        this.name = name;
        this.live = configDir.resolve("live").resolve(name);
        this.archive = configDir.resolve("archive").resolve(name);
    }

    /** An empty lineage under {@code configDir} (like /etc/letsencrypt); add versions next. */
    public static CertbotLineageFixture create(Path configDir, String name) {
        CertbotLineageFixture lineage = new CertbotLineageFixture(configDir, name);
        try {
            Files.createDirectories(lineage.live);
            Files.createDirectories(lineage.archive);
            Files.writeString(lineage.live.resolve("README"), "This directory contains your keys and certificates.\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lineage;
    }

    /** The live directory, what certbot passes as {@code RENEWED_LINEAGE}. */
    public Path live() {
        return live;
    }

    public Path archive() {
        return archive;
    }

    /** An archive file, for example {@code file("privkey", 2)}. */
    public Path file(String kind, int version) {
        return archive.resolve(kind + version + ".pem");
    }

    /**
     * Writes the next version's four archive files without touching the links, as certbot
     * does before it re-points them.
     *
     * @param chain the leaf first, then its issuers
     * @return the new version number
     */
    public int addVersion(KeyPair key, List<X509Certificate> chain) {
        int version = highestVersion() + 1;
        List<X509Certificate> issuers = chain.subList(1, chain.size());
        try {
            Files.writeString(file("cert", version), InMemoryPki.pem(chain.get(0)), StandardCharsets.US_ASCII);
            Files.writeString(file("chain", version), InMemoryPki.pem(issuers), StandardCharsets.US_ASCII);
            Files.writeString(file("fullchain", version), InMemoryPki.pem(chain), StandardCharsets.US_ASCII);
            Path privkey = file("privkey", version);
            Files.createFile(
                    privkey, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(
                    privkey, InMemoryPki.pem("PRIVATE KEY", key.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return version;
    }

    /** What a successful {@code certbot renew} leaves: a new version, live. Returns its number. */
    public int renew(KeyPair key, List<X509Certificate> chain) {
        int version = addVersion(key, chain);
        pointAll(version);
        return version;
    }

    /** Points every live link at a version, in certbot's order. */
    public void pointAll(int version) {
        KINDS.forEach(kind -> point(kind, version));
    }

    /** Points one live link at a version, as certbot does: unlink, then symlink. */
    public void point(String kind, int version) {
        Path link = live.resolve(kind + ".pem");
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("..", "..", "archive", name, kind + version + ".pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The version a live link points at. */
    public int liveVersion(String kind) {
        try {
            Matcher m = VERSIONED.matcher(Files.readSymbolicLink(live.resolve(kind + ".pem"))
                    .getFileName()
                    .toString());
            if (!m.matches()) {
                throw new IllegalStateException("live " + kind + ".pem points at no versioned file");
            }
            return Integer.parseInt(m.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw target of a live link, as stored. */
    public Path linkTarget(String kind) {
        try {
            return Files.readSymbolicLink(live.resolve(kind + ".pem"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int highestVersion() {
        try (var files = Files.list(archive)) {
            return files.map(p -> VERSIONED.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1)))
                    .max()
                    .orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
