package org.mxpolicy.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * A private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, RFC 5958 section 2 and
 * RFC 7468 section 10), the form certbot, lego, acme.sh and every MTA read. Unencrypted: the key
 * is protected by its file's permissions, as certbot's own {@code privkey.pem} is.
 *
 * <p>Always version 1 of the structure (RFC 5208, {@code version} 0, no public key field):
 * Bouncy Castle encodes Ed25519 keys as RFC 5958 version 2 with the public key added, which
 * OpenSSL 3.0 refuses to load ("unsupported"), and an MTA linked against it would fail to start.
 */
public final class PrivateKeyPem {

    private static final int LINE = 64;

    private PrivateKeyPem() {}

    /**
     * The PEM text as ASCII bytes. The caller owns the array and should clear it once written;
     * the intermediate DER and base64 copies are cleared here.
     */
    public static byte[] encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("the key does not encode as PKCS#8 but as " + key.getFormat());
        }
        byte[] der = versionOne(key.getEncoded());
        byte[] base64 = Base64.getMimeEncoder(LINE, new byte[] {'\n'}).encode(der);
        byte[] begin = "-----BEGIN PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pem = new byte[begin.length + base64.length + end.length];
        System.arraycopy(begin, 0, pem, 0, begin.length);
        System.arraycopy(base64, 0, pem, begin.length, base64.length);
        System.arraycopy(end, 0, pem, begin.length + base64.length, end.length);
        Arrays.fill(der, (byte) 0);
        Arrays.fill(base64, (byte) 0);
        return pem;
    }

    private static byte[] versionOne(byte[] encoded) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(encoded);
            if (info.getPublicKeyData() == null) {
                return encoded;
            }
            byte[] der = new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey(), info.getAttributes())
                    .getEncoded(ASN1Encoding.DER);
            Arrays.fill(encoded, (byte) 0);
            return der;
        } catch (IOException e) {
            throw new IllegalArgumentException("the key's PKCS#8 encoding cannot be parsed", e);
        }
    }
}
