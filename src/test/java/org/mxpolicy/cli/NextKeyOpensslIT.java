package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.cert.CertificateRequest;
import org.mxpolicy.cert.HostNames;
import org.mxpolicy.cert.KeyPairMaker;
import org.mxpolicy.cert.KeyPairSpec;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.files.KeyStaging;
import org.mxpolicy.testing.ExternalTool;

/**
 * Staged next keys and their certificate requests, as openssl reads them: the key file and the
 * request's public key give the SubjectPublicKeyInfo (and so the TLSA 3 1 1 data) mxpolicy
 * computed, the request's self-signature verifies, it asks for every name, and a CA made with
 * openssl issues a certificate from it that carries the staged key.
 */
class NextKeyOpensslIT {

    private static final String HOST = "mx1.example.org";
    private static final List<String> NAMES = List.of(HOST, "mail.example.org", "*.mx.example.org");

    @TempDir
    static Path dir;

    private static ExternalTool openssl;

    @BeforeAll
    static void certificateAuthority() {
        openssl = ExternalTool.require("openssl");
        openssl.run(
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:P-384",
                        "-nodes",
                        "-keyout",
                        dir.resolve("ca.key").toString(),
                        "-out",
                        dir.resolve("ca.pem").toString(),
                        "-subj",
                        "/CN=Interop CA",
                        "-days",
                        "30",
                        "-addext",
                        "basicConstraints=critical,CA:true")
                .assertSuccess();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "ec-p256, ecdsa-with-SHA256, NIST CURVE: P-256",
        "ec-p384, ecdsa-with-SHA384, NIST CURVE: P-384",
        "rsa-2048, sha256WithRSAEncryption, Public-Key: (2048 bit)",
        "ed25519, ED25519, ED25519",
    })
    void opensslReadsTheStagedKeyAndRequest(String type, String signature, String keyText) throws Exception {
        Path stateDir = dir.resolve(type);
        var key = new KeyPairMaker(new SecureRandom()).make(KeyPairSpec.parse(type, null));
        KeyStaging.Staged staged =
                new KeyStaging(stateDir).stage(HOST, key, CertificateRequest.create(key, NAMES, null));
        String nextKey = stateDir.resolve(HOST).resolve("next.key").toString();
        String csr = staged.csr().toString();

        Path keySpki = dir.resolve(type + "-key.der");
        openssl.run("pkey", "-in", nextKey, "-pubout", "-outform", "DER", "-out", keySpki.toString())
                .assertSuccess();
        assertThat(Files.readAllBytes(keySpki)).isEqualTo(staged.publicKey().spki());

        var verified =
                openssl.run("req", "-in", csr, "-verify", "-noout", "-text").assertSuccess();
        assertThat(verified.stdout() + verified.stderr()).contains("verify OK");
        assertThat(verified.stdout())
                .contains(
                        "Subject: CN = " + HOST,
                        signature,
                        keyText,
                        "DNS:mx1.example.org, DNS:mail.example.org, DNS:*.mx.example.org");

        String requestPublicKey = openssl.run("req", "-in", csr, "-pubkey", "-noout")
                .assertSuccess()
                .stdout();
        assertThat(opensslDigest(requestPublicKey)).isEqualTo(staged.digest().hex());

        Path issued = dir.resolve(type + "-issued.pem");
        openssl.run(
                        "x509",
                        "-req",
                        "-in",
                        csr,
                        "-CA",
                        dir.resolve("ca.pem").toString(),
                        "-CAkey",
                        dir.resolve("ca.key").toString(),
                        "-set_serial",
                        "7",
                        "-days",
                        "30",
                        "-copy_extensions",
                        "copy",
                        "-out",
                        issued.toString())
                .assertSuccess();
        try (var in = Files.newInputStream(issued)) {
            var leaf = CertificateChainReader.read(in, issued.toString()).leaf();
            assertThat(SubjectPublicKey.of(leaf)).isEqualTo(staged.publicKey());
            assertThat(HostNames.dnsNames(leaf)).containsExactlyElementsOf(NAMES);
        }
    }

    /** SHA-256 of the DER key as openssl dgst computes it, from the PEM public key. */
    private static String opensslDigest(String publicKeyPem) throws Exception {
        Path pem = Files.writeString(Files.createTempFile(dir, "pub", ".pem"), publicKeyPem);
        Path der = pem.resolveSibling(pem.getFileName() + ".der");
        openssl.run("pkey", "-pubin", "-in", pem.toString(), "-outform", "DER", "-out", der.toString())
                .assertSuccess();
        String out = openssl.run("dgst", "-sha256", "-r", der.toString())
                .assertSuccess()
                .stdout();
        return out.substring(0, out.indexOf(' '));
    }
}
