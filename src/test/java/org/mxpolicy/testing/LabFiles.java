package org.mxpolicy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import org.mxpolicy.cert.InMemoryPki;
import org.xbill.DNS.Name;

/**
 * The secrets an interop lab writes for mxpolicy and the servers it starts: TSIG key files and a
 * server's key with its certificate chain. Private files are made readable by the owner only, as
 * mxpolicy refuses key files that others can read.
 */
public final class LabFiles {

    private LabFiles() {}

    /**
     * A TSIG key file in BIND syntax, as {@code tsig-keygen} writes it, for {@code keyName} with
     * {@code secret} (base64) and hmac-sha256.
     */
    public static Path tsigKey(Path file, Name keyName, String secret) throws IOException {
        Files.writeString(
                file,
                "key \"" + keyName.toString(true) + "\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + secret
                        + "\";\n};\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /**
     * A fresh P-256 key for {@code host} and a certificate for it issued by {@code ca}: writes
     * {@code BASE.pem} (leaf, then the issuer, as an ACME client writes {@code fullchain.pem})
     * and {@code BASE.key} (PKCS#8) in {@code dir}.
     */
    public static void serverKeyAndChain(Path dir, String base, String host, InMemoryPki.Issuer ca) throws IOException {
        KeyPair key = InMemoryPki.ec("secp256r1");
        X509Certificate leaf = InMemoryPki.issued(key, host, ca, false, host);
        Files.writeString(dir.resolve(base + ".pem"), InMemoryPki.pem(List.of(leaf, ca.certificate())));
        Path keyFile = dir.resolve(base + ".key");
        Files.writeString(
                keyFile, InMemoryPki.pem("PRIVATE KEY", key.getPrivate().getEncoded()));
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    }
}
