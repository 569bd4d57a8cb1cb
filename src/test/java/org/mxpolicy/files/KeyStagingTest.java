package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.CertificateRequest;
import org.mxpolicy.cert.KeyPairMaker;
import org.mxpolicy.cert.KeyPairSpec;
import org.mxpolicy.cert.PrivateKeyPem;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.finding.InvalidInputException;

class KeyStagingTest {

    private static final String HOST = "mx1.example.org";
    private static final List<String> NAMES = List.of(HOST, "mail.example.org");

    private static KeyPair first;
    private static KeyPair second;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void keys() {
        KeyPairMaker maker = new KeyPairMaker(new SecureRandom());
        first = maker.make(KeyPairSpec.EC_P256);
        second = maker.make(KeyPairSpec.EC_P384);
    }

    private KeyStaging.Staged stage(KeyPair key) throws Exception {
        return new KeyStaging(stateDir).stage(HOST, key, CertificateRequest.create(key, NAMES, null));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static PKCS10CertificationRequest csrIn(Path file) throws Exception {
        try (PemReader reader = new PemReader(Files.newBufferedReader(file))) {
            var object = reader.readPemObject();
            assertThat(object.getType()).isEqualTo("CERTIFICATE REQUEST");
            return new PKCS10CertificationRequest(object.getContent());
        }
    }

    @Test
    void writesTheKeyPrivatelyLinksItAsNextKeyAndWritesItsRequest() throws Exception {
        KeyStaging.Staged staged = stage(first);

        String digest = sha256(first.getPublic().getEncoded());
        Path hostDir = stateDir.resolve(HOST);
        Path keyFile = hostDir.resolve("keys").resolve(digest.substring(0, 16) + ".key");
        assertThat(staged.changed()).isTrue();
        assertThat(staged.digest().hex()).isEqualTo(digest);
        assertThat(staged.keyFile()).isEqualTo(keyFile);
        assertThat(mode(keyFile)).isEqualTo("rw-------");
        assertThat(mode(hostDir.resolve("keys"))).isEqualTo("rwx------");
        assertThat(mode(hostDir).substring(3)).doesNotContain("w");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(PublicKeyReader.read(Files.newInputStream(keyFile), "key").spki())
                .isEqualTo(first.getPublic().getEncoded());

        Path link = hostDir.resolve("next.key");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("keys", digest.substring(0, 16) + ".key"));
        assertThat(new KeyStaging(stateDir).nextKeyFile(HOST)).contains(keyFile);

        Path csr = hostDir.resolve("next.csr");
        assertThat(mode(csr)).isEqualTo("rw-r--r--");
        assertThat(csrIn(csr).getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(first.getPublic().getEncoded());
        try (var files = Files.list(hostDir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("keys", "next.key", "next.csr");
        }
    }

    @Test
    void stagingTheSameKeyAgainChangesNothing() throws Exception {
        KeyStaging.Staged staged = stage(first);
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        for (Path file : List.of(staged.keyFile(), staged.csr())) {
            Files.setLastModifiedTime(file, old);
        }
        byte[] csr = Files.readAllBytes(staged.csr());

        KeyStaging.Staged again = stage(first);

        assertThat(again.changed()).isFalse();
        assertThat(again.keyFile()).isEqualTo(staged.keyFile());
        assertThat(Files.getLastModifiedTime(staged.keyFile())).isEqualTo(old);
        assertThat(Files.getLastModifiedTime(staged.csr())).isEqualTo(old);
        assertThat(Files.readAllBytes(staged.csr())).isEqualTo(csr);
    }

    @Test
    void stagingAnotherKeyRepointsTheLinkAndKeepsTheOldKey() throws Exception {
        KeyStaging.Staged old = stage(first);

        KeyStaging.Staged staged = stage(second);

        assertThat(staged.changed()).isTrue();
        assertThat(old.keyFile()).exists();
        assertThat(new KeyStaging(stateDir).nextKeyFile(HOST)).contains(staged.keyFile());
        assertThat(csrIn(staged.csr()).getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(second.getPublic().getEncoded());
        try (var files = Files.list(stateDir.resolve(HOST))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void finishesAStagingThatStoppedBeforeTheLinkWasRepointed() throws Exception {
        stage(first);
        // a run staging the second key wrote its key file and stopped there
        String stem = sha256(second.getPublic().getEncoded()).substring(0, 16);
        Path keyFile = stateDir.resolve(HOST).resolve("keys").resolve(stem + ".key");
        AtomicFiles.write(keyFile, PrivateKeyPem.encode(second.getPrivate()), AtomicFiles.PRIVATE);

        KeyStaging.Staged staged = stage(second);

        assertThat(staged.changed()).isTrue();
        assertThat(new KeyStaging(stateDir).nextKeyFile(HOST)).contains(keyFile);
        assertThat(csrIn(staged.csr()).getSubjectPublicKeyInfo().getEncoded())
                .isEqualTo(second.getPublic().getEncoded());
    }

    @Test
    void refusesDirectoriesOthersMayWriteTo() throws Exception {
        Path hostDir = Files.createDirectory(stateDir.resolve(HOST));
        Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxrwxr-x"));

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> stage(first));

        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("rollover.directory-permissions");
            assertThat(f.position().source()).isEqualTo(hostDir.toString());
            assertThat(f.message()).contains("chmod go-w");
        });
        assertThat(hostDir.resolve("keys")).doesNotExist();

        Files.setPosixFilePermissions(hostDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectory(hostDir.resolve("keys"));
        Files.setPosixFilePermissions(hostDir.resolve("keys"), PosixFilePermissions.fromString("rwx----w-"));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> stage(first))
                        .findings()
                        .get(0)
                        .position()
                        .source())
                .isEqualTo(hostDir.resolve("keys").toString());
    }

    @Test
    void refusesDirectoriesAndKeysAnotherUserOwnsAndLinksOutOfTheState() throws Exception {
        KeyStaging.Staged staged = stage(first);
        Path hostDir = stateDir.resolve(HOST);

        Files.setAttribute(staged.keyFile(), "unix:uid", 65534);
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> stage(first))
                        .getMessage())
                .contains(staged.keyFile().toString())
                .contains("owned by uid 65534");
        Files.setAttribute(staged.keyFile(), "unix:uid", 0);

        Files.setAttribute(hostDir, "unix:uid", 65534);
        InvalidInputException owner = catchThrowableOfType(InvalidInputException.class, () -> stage(second));
        assertThat(owner.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("rollover.directory-permissions");
            assertThat(f.position().source()).isEqualTo(hostDir.toString());
            assertThat(f.message()).contains("owned by uid 65534").contains("chown");
        });
        Files.setAttribute(hostDir, "unix:uid", 0);

        Path elsewhere = Files.createDirectory(stateDir.resolve("elsewhere"));
        Files.copy(staged.keyFile(), elsewhere.resolve("evil.key"));
        Files.delete(staged.nextKey());
        Files.createSymbolicLink(staged.nextKey(), Path.of("../elsewhere/evil.key"));
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> new KeyStaging(stateDir).nextKeyFile(HOST))
                        .findings()
                        .get(0)
                        .id())
                .isEqualTo("rollover.next-key");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> stage(second))
                        .getMessage())
                .contains("not at a key in keys/");
    }

    @Test
    void refusesAHostDirectoryThatIsALink() throws Exception {
        Path real = Files.createDirectory(stateDir.resolve("real"));
        Files.createSymbolicLink(stateDir.resolve(HOST), real);

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> stage(first));

        assertThat(e.getMessage()).contains("symbolic link");
        try (var files = Files.list(real)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void refusesAStagedKeyFileOthersMayReadAndNeverShowsTheKey() throws Exception {
        KeyStaging.Staged staged = stage(first);
        Files.setPosixFilePermissions(staged.keyFile(), PosixFilePermissions.fromString("rw-r--r--"));

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> stage(first));

        assertThat(e.findings()).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo("key.private-permissions");
            assertThat(f.message()).contains("chmod 600");
        });
        String secret = Base64.getEncoder().encodeToString(first.getPrivate().getEncoded());
        assertThat(e.getMessage() + staged).doesNotContain(secret.substring(secret.length() - 24));
    }

    @Test
    void refusesAKeyFileHoldingAnotherKeyAndNeverReplacesIt() throws Exception {
        String stem = sha256(first.getPublic().getEncoded()).substring(0, 16);
        Path keyFile = stateDir.resolve(HOST).resolve("keys").resolve(stem + ".key");
        Files.createDirectories(keyFile.getParent());
        AtomicFiles.write(keyFile, PrivateKeyPem.encode(second.getPrivate()), AtomicFiles.PRIVATE);
        byte[] before = Files.readAllBytes(keyFile);

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> stage(first));

        assertThat(e.findings().get(0).id()).isEqualTo("rollover.key-file");
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(before);
        assertThat(stateDir.resolve(HOST).resolve("next.key")).doesNotExist();
    }

    @Test
    void refusesANextKeyThatIsAFileRatherThanALink() throws Exception {
        Path hostDir = Files.createDirectory(stateDir.resolve(HOST));
        Path file = Files.writeString(hostDir.resolve("next.key"), "an operator's own key\n");

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> stage(first));

        assertThat(e.findings().get(0).id()).isEqualTo("rollover.next-key");
        assertThat(Files.readString(file)).isEqualTo("an operator's own key\n");
        assertThat(hostDir.resolve("next.csr")).doesNotExist();
    }

    @Test
    void keepsStateOnlyUnderHostNames() throws Exception {
        KeyStaging staging = new KeyStaging(stateDir);

        for (String host : List.of("..", "../etc", "mx1/example", "", "mx_1.example.org")) {
            assertThat(catchThrowableOfType(InvalidInputException.class, () -> staging.hostDir(host))
                            .findings()
                            .get(0)
                            .id())
                    .as(host)
                    .isEqualTo("rollover.host");
        }
        assertThat(staging.hostDir("MX1.Example.org.")).isEqualTo(stateDir.resolve(HOST));
        assertThat(staging.nextKeyFile(HOST)).isEmpty();
    }

    @Test
    void aRequestForAnotherKeyIsABug() throws Exception {
        CertificateRequest other = CertificateRequest.create(second, NAMES, null);

        assertThat(catchThrowableOfType(
                        IllegalArgumentException.class, () -> new KeyStaging(stateDir).stage(HOST, first, other)))
                .hasMessageContaining("another key");
    }
}
