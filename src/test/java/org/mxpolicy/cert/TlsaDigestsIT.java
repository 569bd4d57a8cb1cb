package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.record.TlsaRecordSet;
import org.mxpolicy.testing.ExternalTool;

/**
 * TLSA data and derived public keys, checked against what openssl, ldns-dane (ldnsutils) and
 * tlsa (hash-slinger) compute for keys and certificates made by openssl. Everything runs on
 * local files: ldns-dane with {@code -c} and tlsa with {@code --certificate} do not connect.
 */
class TlsaDigestsIT {

    private static final String HOST = "mx.example.org";

    @TempDir
    static Path dir;

    private static ExternalTool openssl;

    @BeforeAll
    static void makeCertificates() {
        openssl = ExternalTool.require("openssl");
        selfSigned("rsa", "rsa:2048");
        selfSigned("p256", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
        selfSigned("p384", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");
        selfSigned("ed25519", "ed25519");

        // The chain: root (P-384) -> intermediate (P-256) -> leaf (RSA).
        write("ca.ext", "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n");
        write("leaf.ext", "basicConstraints=critical,CA:false\nsubjectAltName=DNS:" + HOST + "\n");
        openssl(
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-384",
                "-nodes",
                "-keyout",
                path("root.key"),
                "-out",
                path("root.pem"),
                "-subj",
                "/CN=Interop Root",
                "-days",
                "30",
                "-addext",
                "basicConstraints=critical,CA:true");
        openssl(
                "req",
                "-new",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                path("int.key"),
                "-out",
                path("int.csr"),
                "-subj",
                "/CN=Interop Intermediate");
        openssl(
                "x509",
                "-req",
                "-in",
                path("int.csr"),
                "-CA",
                path("root.pem"),
                "-CAkey",
                path("root.key"),
                "-set_serial",
                "2",
                "-days",
                "30",
                "-extfile",
                path("ca.ext"),
                "-out",
                path("int.pem"));
        openssl(
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                path("leaf.key"),
                "-out",
                path("leaf.csr"),
                "-subj",
                "/CN=" + HOST);
        openssl(
                "x509",
                "-req",
                "-in",
                path("leaf.csr"),
                "-CA",
                path("int.pem"),
                "-CAkey",
                path("int.key"),
                "-set_serial",
                "3",
                "-days",
                "30",
                "-extfile",
                path("leaf.ext"),
                "-out",
                path("leaf.pem"));
        write("fullchain.pem", read("leaf.pem") + read("int.pem") + read("root.pem"));
        write("shuffled.pem", read("int.pem") + read("root.pem") + read("leaf.pem"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rsa", "p256", "p384", "ed25519"})
    void matchesOpensslDigests(String kind) throws Exception {
        X509Certificate cert = leafOf(kind + ".pem");
        String spki = opensslSpki(kind + ".pem");
        String der = opensslCertificateDer(kind + ".pem");

        assertThat(TlsaRecord.of(3, 1, 0, cert).presentation()).isEqualTo("3 1 0 " + hex(spki));
        assertThat(TlsaRecord.of(3, 1, 1, cert).presentation()).isEqualTo("3 1 1 " + digest("-sha256", spki));
        assertThat(TlsaRecord.of(3, 1, 2, cert).presentation()).isEqualTo("3 1 2 " + digest("-sha512", spki));
        assertThat(TlsaRecord.of(3, 0, 1, cert).presentation()).isEqualTo("3 0 1 " + digest("-sha256", der));
        assertThat(TlsaRecord.of(3, 0, 0, cert).presentation()).isEqualTo("3 0 0 " + hex(der));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "rsa, 1, 1", "p256, 1, 1", "p384, 1, 1", "ed25519, 1, 1",
        "rsa, 1, 2", "p256, 1, 0", "p384, 0, 1", "ed25519, 1, 2",
    })
    void matchesLdnsDane(String kind, int selector, int matching) throws Exception {
        ExternalTool ldnsDane = ExternalTool.require("ldns-dane");
        String out = ldnsDane.run(
                        "-c",
                        path(kind + ".pem"),
                        "create",
                        HOST,
                        "25",
                        "3",
                        String.valueOf(selector),
                        String.valueOf(matching))
                .assertSuccess()
                .stdout();

        assertThat(ownerOf(out)).isEqualTo("_25._tcp." + HOST + ".");
        assertThat(rdataOf(out))
                .isEqualTo(TlsaRecord.of(3, selector, matching, leafOf(kind + ".pem"))
                        .presentation());
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "rsa, 1, 1",
        "p256, 1, 1",
        "p384, 1, 1",
        "ed25519, 1, 1",
        "rsa, 1, 2",
        "p256, 1, 0",
        "p384, 0, 1",
    })
    void matchesHashSlinger(String kind, int selector, int matching) throws Exception {
        ExternalTool tlsa = ExternalTool.require("tlsa");
        String out = tlsa.run(
                        "--create",
                        "--usage",
                        "3",
                        "--selector",
                        String.valueOf(selector),
                        "--mtype",
                        String.valueOf(matching),
                        "--certificate",
                        path(kind + ".pem"),
                        "--port",
                        "25",
                        HOST)
                .assertSuccess()
                .stdout();

        assertThat(rdataOf(out))
                .isEqualTo(TlsaRecord.of(3, selector, matching, leafOf(kind + ".pem"))
                        .presentation());
    }

    @Test
    void issuerRecordsOfARealChain() throws Exception {
        CertificateChain chain = CertificateChainReader.read(stream("shuffled.pem"), "shuffled.pem");
        String intermediate = digest("-sha256", opensslSpki("int.pem"));
        String root = digest("-sha256", opensslSpki("root.pem"));
        String leaf = digest("-sha256", opensslSpki("leaf.pem"));

        assertThat(HostNames.covers(chain.leaf(), HOST)).isTrue();
        TlsaRecordSet set = TlsaRecordSet.forMx(HOST, 25, chain, List.of(), List.of(), true, 1, 1);
        assertThat(set.records())
                .extracting(TlsaRecord::presentation)
                .containsExactlyInAnyOrder("3 1 1 " + leaf, "2 1 1 " + intermediate, "2 1 1 " + root);

        if (ExternalTool.installed("ldns-dane")) {
            ExternalTool ldnsDane = ExternalTool.require("ldns-dane");
            // -o counts from the end of the chain: 0 is the root, 1 the intermediate.
            assertThat(rdataOf(ldnsDane.run("-c", path("fullchain.pem"), "-o", "1", "create", HOST, "25", "2", "1", "1")
                            .assertSuccess()
                            .stdout()))
                    .isEqualTo("2 1 1 " + intermediate);
            assertThat(rdataOf(ldnsDane.run("-c", path("fullchain.pem"), "-o", "0", "create", HOST, "25", "2", "1", "2")
                            .assertSuccess()
                            .stdout()))
                    .isEqualTo(TlsaRecord.of(2, 1, 2, chain.issuers().get(1)).presentation());
            assertThat(rdataOf(ldnsDane.run("-c", path("fullchain.pem"), "create", HOST, "25", "3", "1", "1")
                            .assertSuccess()
                            .stdout()))
                    .isEqualTo("3 1 1 " + leaf);
        }
        if (ExternalTool.installed("tlsa")) {
            // Given a chain, tlsa asks interactively which certificate to use; give it the CA alone.
            assertThat(rdataOf(ExternalTool.require("tlsa")
                            .run(
                                    "--create",
                                    "--usage",
                                    "2",
                                    "--selector",
                                    "1",
                                    "--mtype",
                                    "1",
                                    "--certificate",
                                    path("int.pem"),
                                    "--port",
                                    "25",
                                    HOST)
                            .assertSuccess()
                            .stdout()))
                    .isEqualTo("2 1 1 " + intermediate);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rsa-pkcs8, genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048",
        "p256-pkcs8, genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256",
        "p521-pkcs8, genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-521",
        "bp256-pkcs8, genpkey -algorithm EC -pkeyopt ec_paramgen_curve:brainpoolP256r1",
        "ed25519-pkcs8, genpkey -algorithm ed25519",
        "ed448-pkcs8, genpkey -algorithm ed448",
        "p384-ecparam, ecparam -name secp384r1 -genkey",
    })
    void derivesTheSamePublicKeyAsOpenssl(String name, String generate) throws Exception {
        List<String> args = new ArrayList<>(List.of(generate.split(" ")));
        args.addAll(List.of("-out", path(name + ".key")));
        openssl(args.toArray(String[]::new));
        String expected = opensslKeySpki(name + ".key");

        assertThat(keyHex(name + ".key")).isEqualTo(expected);
        openssl("pkey", "-in", path(name + ".key"), "-pubout", "-out", path(name + ".pub"));
        assertThat(keyHex(name + ".pub")).isEqualTo(expected);
        openssl("pkey", "-in", path(name + ".key"), "-outform", "DER", "-out", path(name + ".der"));
        assertThat(keyHex(name + ".der")).isEqualTo(expected);

        if (name.startsWith("rsa")) {
            openssl("rsa", "-in", path(name + ".key"), "-traditional", "-out", path(name + ".pkcs1"));
            assertThat(read(name + ".pkcs1")).startsWith("-----BEGIN RSA PRIVATE KEY-----");
            assertThat(keyHex(name + ".pkcs1")).isEqualTo(expected);
        }
        if (name.startsWith("p") || name.startsWith("bp")) {
            openssl("ec", "-in", path(name + ".key"), "-out", path(name + ".sec1"));
            openssl("ec", "-in", path(name + ".key"), "-no_public", "-out", path(name + ".sec1-no-public"));
            assertThat(read(name + ".sec1")).startsWith("-----BEGIN EC PRIVATE KEY-----");
            assertThat(keyHex(name + ".sec1")).isEqualTo(expected);
            assertThat(keyHex(name + ".sec1-no-public")).isEqualTo(expected);
        }
    }

    @Test
    void refusesEncryptedKeys() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", path("plain.key"));
        openssl("pkey", "-in", path("plain.key"), "-aes256", "-passout", "pass:secret", "-out", path("pkcs8-enc.key"));
        openssl("ec", "-in", path("plain.key"), "-aes256", "-passout", "pass:secret", "-out", path("sec1-enc.key"));

        for (String file : List.of("pkcs8-enc.key", "sec1-enc.key")) {
            try {
                PublicKeyReader.read(stream(file), file);
                throw new AssertionError(file + " was read");
            } catch (InvalidInputException e) {
                assertThat(e.findings()).singleElement().satisfies(f -> {
                    assertThat(f.id()).isEqualTo("key.encrypted");
                    assertThat(f.position().line()).isEqualTo(1);
                });
            }
        }
    }

    @Test
    void refusesKeysTooWeakToPin() throws Exception {
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", path("weak.key"));
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", path("k1.key"));

        for (String file : List.of("weak.key", "k1.key")) {
            try {
                PublicKeyReader.read(stream(file), file);
                throw new AssertionError(file + " was read");
            } catch (InvalidInputException e) {
                assertThat(e.findings())
                        .singleElement()
                        .satisfies(f -> assertThat(f.id()).isEqualTo("cert.unsupported-key"));
            }
        }
    }

    // --- helpers

    private static void selfSigned(String name, String... newkey) {
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-newkey"));
        args.addAll(List.of(newkey));
        args.addAll(List.of(
                "-nodes",
                "-keyout",
                path(name + ".key"),
                "-out",
                path(name + ".pem"),
                "-subj",
                "/CN=" + HOST,
                "-days",
                "30",
                "-addext",
                "subjectAltName=DNS:" + HOST));
        openssl(args.toArray(String[]::new));
    }

    private static String openssl(String... args) {
        return openssl.run(args).assertSuccess().stdout();
    }

    /** The certificate's SPKI as openssl extracts it, written to a file; returns its name. */
    private static String opensslSpki(String cert) {
        openssl("x509", "-in", path(cert), "-noout", "-pubkey", "-out", path(cert + ".pub.pem"));
        openssl("pkey", "-pubin", "-in", path(cert + ".pub.pem"), "-outform", "DER", "-out", path(cert + ".spki.der"));
        return cert + ".spki.der";
    }

    private static String opensslCertificateDer(String cert) {
        openssl("x509", "-in", path(cert), "-outform", "DER", "-out", path(cert + ".der"));
        return cert + ".der";
    }

    /** The hex SPKI of {@code openssl pkey -pubout -outform DER}. */
    private static String opensslKeySpki(String key) {
        openssl("pkey", "-in", path(key), "-pubout", "-outform", "DER", "-out", path(key + ".spki.der"));
        return hex(key + ".spki.der");
    }

    /** {@code openssl dgst -r} prints "hex *file". */
    private static String digest(String algorithm, String file) {
        return openssl("dgst", algorithm, "-r", path(file))
                .strip()
                .split("\\s+")[0]
                .toLowerCase(Locale.ROOT);
    }

    private static String keyHex(String file) throws InvalidInputException {
        return HexFormat.of().formatHex(PublicKeyReader.read(stream(file), file).spki());
    }

    private static X509Certificate leafOf(String file) throws InvalidInputException {
        return CertificateChainReader.read(stream(file), file).leaf();
    }

    /** The owner of the TLSA line a tool prints, for example {@code _25._tcp.mx.example.org.}. */
    private static String ownerOf(String output) {
        return tlsaLine(output).split("\\s+")[0];
    }

    /** "usage selector matching hex" of the TLSA line a tool prints, hex in lower case. */
    private static String rdataOf(String output) {
        String[] fields = tlsaLine(output).split("\\s+");
        int n = fields.length;
        return String.join(" ", fields[n - 4], fields[n - 3], fields[n - 2], fields[n - 1].toLowerCase(Locale.ROOT));
    }

    private static String tlsaLine(String output) {
        return output.lines()
                .filter(l -> l.matches(".*\\sTLSA\\s.*"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no TLSA record in:\n" + output));
    }

    private static String hex(String file) {
        try {
            return HexFormat.of().formatHex(Files.readAllBytes(dir.resolve(file)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String path(String file) {
        return dir.resolve(file).toString();
    }

    private static InputStream stream(String file) {
        try {
            return new ByteArrayInputStream(Files.readAllBytes(dir.resolve(file)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void write(String file, String text) {
        try {
            Files.writeString(dir.resolve(file), text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
