package org.mxpolicy.dnssec;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;

/**
 * The key files under {@code src/test/resources/dnssec-keys/}, made by BIND's dnssec-keygen
 * ({@code bind/}) and ldns-keygen ({@code ldns/}), and helpers to check that a key signs.
 */
public final class KeyFixtures {

    public static final Path ROOT = Path.of("src/test/resources/dnssec-keys");
    /** A fixed time for written files. */
    public static final Instant CREATED = Instant.parse("2026-03-01T12:34:56Z");

    private KeyFixtures() {}

    /** Base names ({@code K<zone>+<alg>+<tag>}) of the fixtures made by {@code tool} ("bind" or "ldns"). */
    public static List<String> baseNames(String tool) {
        try (Stream<Path> files = Files.list(ROOT.resolve(tool))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".key"))
                    .map(n -> n.substring(0, n.length() - 4))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fixture as "tool/base name". */
    public static Stream<String> all() {
        return Stream.of("bind", "ldns").flatMap(t -> baseNames(t).stream().map(b -> t + "/" + b));
    }

    public static String text(String relative) {
        try {
            return Files.readString(ROOT.resolve(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a fixture pair ("bind/Kexample.com.+013+11564"). */
    public static ZoneKey read(String toolAndBase) throws InvalidInputException {
        return KeyFiles.read(
                new StringReader(text(toolAndBase + ".key")),
                toolAndBase + ".key",
                new StringReader(text(toolAndBase + ".private")),
                toolAndBase + ".private");
    }

    /** The DS lines dnssec-dsfromkey -2 printed for the fixtures of {@code tool}, upper case as it prints them. */
    public static List<String> recordedDs(String tool) {
        return text(tool + "/dnssec-dsfromkey.txt").lines().toList();
    }

    /** Copies the fixtures of {@code tool} into {@code dir}, with the .private files 0600 as the tools make them. */
    public static void copyTo(String tool, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(tool))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("K"))
                    .toList()) {
                Path target = dir.resolve(p.getFileName().toString());
                Files.copy(p, target);
                Files.setPosixFilePermissions(
                        target,
                        PosixFilePermissions.fromString(
                                target.toString().endsWith(".private") ? "rw-------" : "rw-r--r--"));
            }
        }
    }

    /** Signs an A RRset with the key's private key and verifies it with its DNSKEY, as a resolver would. */
    public static void assertSigns(ZoneKey key) throws Exception {
        Name owner = Name.fromString("www", key.zone());
        RRset rrset = new RRset(new ARecord(owner, DClass.IN, 300, java.net.InetAddress.getByName("192.0.2.1")));
        Instant inception = Instant.parse("2026-01-01T00:00:00Z");
        Instant expiration = Instant.parse("2026-02-01T00:00:00Z");
        RRSIGRecord sig = DNSSEC.sign(rrset, key.dnskey(), key.privateKey().orElseThrow(), inception, expiration);
        DNSSEC.verify(rrset, sig, key.dnskey(), Instant.parse("2026-01-15T00:00:00Z"));
    }

    /** A generator whose randomness is fixed, for repeatable keys in tests. */
    public static KeyGenerator seededGenerator(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return new KeyGenerator(random);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
