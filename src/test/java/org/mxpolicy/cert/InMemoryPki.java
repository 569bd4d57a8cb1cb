package org.mxpolicy.cert;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Keys and certificates made in memory for tests. */
public final class InMemoryPki {

    public static final Provider BC = new BouncyCastleProvider();
    /** A fixed "now" for validity periods and checks. */
    public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private InMemoryPki() {}

    public static KeyPair rsa(int bits) {
        return generate("RSA", g -> g.initialize(bits));
    }

    /** An EC key on a named curve (any curve Bouncy Castle knows, such as brainpoolP256r1). */
    public static KeyPair ec(String curve) {
        return generate("EC", g -> g.initialize(new ECGenParameterSpec(curve)));
    }

    public static KeyPair ed25519() {
        return generate("Ed25519", g -> {});
    }

    public static KeyPair ed448() {
        return generate("Ed448", g -> {});
    }

    /** A DSA key from the JDK, which has precomputed parameters (generating them is slow). */
    public static KeyPair dsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("DSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot make DSA test key", e);
        }
    }

    /** A self-signed CA or leaf, valid from 30 days before {@link #NOW} for a year. */
    public static X509Certificate selfSigned(KeyPair key, String cn, boolean ca, String... dnsNames) {
        return certificate(
                key,
                cn,
                cn,
                key.getPrivate(),
                ca,
                NOW.minus(30, ChronoUnit.DAYS),
                NOW.plus(365, ChronoUnit.DAYS),
                dnsNames);
    }

    /** A certificate issued by another, valid from 30 days before {@link #NOW} for a year. */
    public static X509Certificate issued(KeyPair key, String cn, Issuer issuer, boolean ca, String... dnsNames) {
        return certificate(
                key,
                cn,
                issuer.cn(),
                issuer.key().getPrivate(),
                ca,
                NOW.minus(30, ChronoUnit.DAYS),
                NOW.plus(365, ChronoUnit.DAYS),
                dnsNames);
    }

    /** A CA: its key and name. */
    public record Issuer(KeyPair key, String cn, X509Certificate certificate) {}

    public static Issuer rootCa(String cn) {
        KeyPair key = ec("secp384r1");
        return new Issuer(key, cn, selfSigned(key, cn, true));
    }

    public static Issuer intermediateCa(String cn, Issuer parent) {
        KeyPair key = ec("secp256r1");
        return new Issuer(key, cn, issued(key, cn, parent, true));
    }

    public static X509Certificate certificate(
            KeyPair key,
            String subjectCn,
            String issuerCn,
            PrivateKey signer,
            boolean ca,
            Instant notBefore,
            Instant notAfter,
            String... dnsNames) {
        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=" + issuerCn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(notBefore),
                    Date.from(notAfter),
                    new X500Name("CN=" + subjectCn),
                    key.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            var contentSigner = new JcaContentSignerBuilder(signatureAlgorithm(signer))
                    .setProvider(BC)
                    .build(signer);
            return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
        } catch (Exception e) {
            throw new AssertionError("cannot make test certificate", e);
        }
    }

    public static String pem(String label, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + base64 + "\n-----END " + label + "-----\n";
    }

    public static String pem(X509Certificate cert) {
        try {
            return pem("CERTIFICATE", cert.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    public static String pem(List<X509Certificate> certs) {
        StringBuilder text = new StringBuilder();
        certs.forEach(c -> text.append(pem(c)));
        return text.toString();
    }

    public static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }

    public static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static String signatureAlgorithm(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "Ed448" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> throw new IllegalArgumentException(key.getAlgorithm());
        };
    }

    private interface Init {
        void init(KeyPairGenerator generator) throws GeneralSecurityException;
    }

    private static KeyPair generate(String algorithm, Init init) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm, BC);
            init.init(generator);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError("cannot make " + algorithm + " test key", e);
        }
    }
}
