package org.mxpolicy.cert;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads the private key a TLS server signs its handshakes with ({@code privkey.pem}), unencrypted
 * PEM in PKCS#8 (RFC 5958, {@code PRIVATE KEY}), PKCS#1 (RFC 8017 appendix A.1.2,
 * {@code RSA PRIVATE KEY}) or SEC1 (RFC 5915, {@code EC PRIVATE KEY}) form. The key comes back as
 * a JDK key object, so the JDK's TLS implementation can use it. Messages name the file and the
 * PEM block, never key material.
 */
public final class PrivateKeyReader {

    static final String EXPECTED =
            "an unencrypted private key in PEM (privkey.pem: PRIVATE KEY, RSA PRIVATE KEY" + " or EC PRIVATE KEY)";

    private static final String EC_PARAMETERS = "EC PARAMETERS";

    /**
     * The largest key file read, 1 MiB, for private and public keys alike; a PEM key takes a few
     * KiB, but a key may be given as a certificate chain.
     */
    public static final InputLimit SIZE_LIMIT = new InputLimit("key file", "key.size", 1024 * 1024);

    private PrivateKeyReader() {}

    /**
     * Reads the one private key of a file.
     *
     * @param source the file name used in messages
     * @throws InvalidInputException when the file holds no private key, more than one, an
     *     encrypted key, or something that is not a key
     */
    public static PrivateKey read(InputStream in, String source) throws InvalidInputException {
        InputBytes input = InputBytes.read(in, source, SIZE_LIMIT, EXPECTED);
        try {
            SourcePosition file = SourcePosition.file(source);
            String text = input.text();
            if (input.isDer() || !PemBlock.isPem(text)) {
                throw new InvalidInputException(
                        "key.not-a-key", file, "has no PEM block (-----BEGIN PRIVATE KEY-----): give " + EXPECTED);
            }
            List<PemBlock> keys = keyBlocks(PemBlock.scan(text, source, "key"), source);
            PemBlock block = keys.get(0);
            if (block.label().equals("ENCRYPTED PRIVATE KEY") || block.hasEncryptionHeader()) {
                throw new InvalidInputException(
                        "key.encrypted",
                        block.position(),
                        "the private key is encrypted: decrypt it (openssl pkey -in KEY -out KEY.plain) and give"
                                + " the result, readable only by the server's user");
            }
            return convert(block);
        } finally {
            input.wipe();
        }
    }

    private static List<PemBlock> keyBlocks(List<PemBlock> blocks, String source) throws InvalidInputException {
        List<PemBlock> keys = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (PemBlock block : blocks) {
            if (block.label().endsWith("PRIVATE KEY")) {
                keys.add(block);
            } else if (!block.label().equals(EC_PARAMETERS)) {
                findings.add(Finding.error(
                        "key.not-a-private-key",
                        block.position(),
                        "contains a " + block.label() + " block: give " + EXPECTED + " in a file of its own"));
            }
        }
        if (!findings.isEmpty()) {
            throw new InvalidInputException(findings);
        }
        if (keys.isEmpty()) {
            throw new InvalidInputException(
                    "key.not-a-key", SourcePosition.file(source), "has no private key: give " + EXPECTED);
        }
        if (keys.size() > 1) {
            throw new InvalidInputException(
                    "key.ambiguous",
                    keys.get(1).position(),
                    "holds " + keys.size() + " private keys: give the one key of the certificate");
        }
        return keys;
    }

    private static PrivateKey convert(PemBlock block) throws InvalidInputException {
        // Re-encode the one block, so PEMParser never sees the rest of the file.
        String pem = "-----BEGIN " + block.label() + "-----\n" + String.join("\n", block.content()) + "\n-----END "
                + block.label() + "-----\n";
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (parsed instanceof PEMEncryptedKeyPair || parsed instanceof PKCS8EncryptedPrivateKeyInfo) {
                throw new InvalidInputException("key.encrypted", block.position(), "the private key is encrypted");
            }
            throw new InvalidInputException(
                    "key.not-a-key",
                    block.position(),
                    "PEM block " + block.label() + " does not hold a private key: give " + EXPECTED);
        } catch (IOException | RuntimeException e) {
            // The reason names the structure problem only, never key bytes.
            throw new InvalidInputException(
                    "key.malformed",
                    block.position(),
                    "PEM block " + block.label() + " is not a valid private key (" + CertificateChainReader.reason(e)
                            + "): give " + EXPECTED);
        }
    }
}
