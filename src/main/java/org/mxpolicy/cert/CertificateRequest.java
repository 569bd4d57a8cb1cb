package org.mxpolicy.cert;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * A PKCS#10 certificate signing request (RFC 2986) for the next key of an MX host, as
 * {@code certbot certonly --csr}, {@code lego --csr} and {@code acme.sh --signcsr} take it: the
 * subject's common name is the first name, and a subjectAltName extension request
 * (RFC 2985 section 5.4.2) lists every name as a dNSName (RFC 5280 section 4.2.1.6), which is
 * what ACME CAs issue for (RFC 8555 section 7.4).
 *
 * <p>The request is signed with the new key (proof of possession) with SHA-256 and RSA
 * PKCS#1 v1.5, SHA-256 (P-256) or SHA-384 (P-384) and ECDSA as RFC 5480 section 4 pairs hash
 * and curve, or Ed25519 (RFC 8410 section 6). ECDSA signatures use deterministic nonces
 * (RFC 6979), so that the same key and names always give the same bytes: staging a key twice
 * then leaves its request file untouched.
 */
public final class CertificateRequest {

    /** An LDH host name with at least two labels, or a wildcard as its whole leftmost label. */
    private static final Pattern DNS_NAME =
            Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private static final int MAX_NAME = 253;

    private final byte[] der;
    private final List<String> names;
    private final SubjectPublicKey publicKey;

    private CertificateRequest(byte[] der, List<String> names, SubjectPublicKey publicKey) {
        this.der = der;
        this.names = names;
        this.publicKey = publicKey;
    }

    /**
     * Makes and signs a request.
     *
     * @param names the DNS names, the first becoming the common name; lower-cased, a trailing
     *     dot dropped, duplicates dropped
     * @param where where the names came from, for messages
     * @throws InvalidInputException when a name is not a DNS host name or there is none
     */
    public static CertificateRequest create(KeyPair key, List<String> names, SourcePosition where)
            throws InvalidInputException {
        List<String> dnsNames = normalize(names, where);
        SubjectPublicKey publicKey = KeyPairMaker.publicKey(key);
        GeneralName[] altNames = dnsNames.stream()
                .map(n -> new GeneralName(GeneralName.dNSName, n))
                .toArray(GeneralName[]::new);
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(altNames));
            var builder = new PKCS10CertificationRequestBuilder(
                    new X500NameBuilder(BCStyle.INSTANCE)
                            .addRDN(BCStyle.CN, dnsNames.get(0))
                            .build(),
                    SubjectPublicKeyInfo.getInstance(publicKey.spki()));
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            byte[] der = builder.build(new DeterministicSigner(key.getPrivate(), publicKey))
                    .getEncoded();
            return new CertificateRequest(der, dnsNames, publicKey);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a certificate request", e);
        }
    }

    /**
     * The names a next certificate for an MX host should carry: the host first, then every
     * further dNSName of the certificate it has now, in that certificate's order, so the new
     * certificate serves every name the old one did.
     */
    public static List<String> namesFor(String mxHost, X509Certificate current) {
        Set<String> names = new LinkedHashSet<>();
        names.add(normalizeName(mxHost));
        if (current != null) {
            HostNames.dnsNames(current).stream()
                    .map(CertificateRequest::normalizeName)
                    .forEach(names::add);
        }
        return List.copyOf(names);
    }

    /** The DER encoding. */
    public byte[] der() {
        return der.clone();
    }

    /** The PEM text ({@code -----BEGIN CERTIFICATE REQUEST-----}, RFC 7468 section 7). */
    public String pem() {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + base64 + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    /** {@link #pem()} as ASCII bytes, for writing. */
    public byte[] pemBytes() {
        return pem().getBytes(StandardCharsets.US_ASCII);
    }

    /** The DNS names requested, the first being the common name. */
    public List<String> names() {
        return names;
    }

    /** The key the request is for. */
    public SubjectPublicKey publicKey() {
        return publicKey;
    }

    @Override
    public String toString() {
        return "CertificateRequest[" + String.join(" ", names) + ", " + publicKey.description() + " "
                + SpkiDigest.of(publicKey).stem() + "]";
    }

    private static List<String> normalize(List<String> names, SourcePosition where) throws InvalidInputException {
        Set<String> out = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (String name : names) {
            String n = normalizeName(name);
            if (n.length() > MAX_NAME || !DNS_NAME.matcher(n).matches()) {
                bad.add("'" + name + "'");
            } else {
                out.add(n);
            }
        }
        if (!bad.isEmpty()) {
            throw new InvalidInputException(
                    "csr.name", where, "not a DNS host name for a certificate: " + String.join(", ", bad));
        }
        if (out.isEmpty()) {
            throw new InvalidInputException("csr.name", where, "a certificate request needs at least one DNS name");
        }
        return List.copyOf(out);
    }

    private static String normalizeName(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * Signs with Bouncy Castle's JCA signatures. Bouncy Castle's content signer builder knows no
     * name for deterministic ECDSA, so the algorithm identifier is that of plain ECDSA with the
     * same hash: the signature format is the same, only the nonce is derived (RFC 6979 section 3).
     */
    private static final class DeterministicSigner implements ContentSigner {

        private final PrivateKey key;
        private final String jcaName;
        private final AlgorithmIdentifier identifier;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        DeterministicSigner(PrivateKey key, SubjectPublicKey publicKey) {
            this.key = key;
            String standard = switch (publicKey.type()) {
                case RSA -> "SHA256withRSA";
                case ECDSA -> publicKey.bits() == 384 ? "SHA384withECDSA" : "SHA256withECDSA";
                case ED25519 -> "Ed25519";
                case ED448 -> "Ed448";
            };
            this.jcaName = standard.replace("withECDSA", "withECDDSA");
            this.identifier = new DefaultSignatureAlgorithmIdentifierFinder().find(standard);
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return identifier;
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            byte[] data = buffer.toByteArray();
            try {
                Signature signature = Signature.getInstance(jcaName, BouncyCastle.PROVIDER);
                signature.initSign(key);
                signature.update(data);
                return signature.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign a certificate request with " + jcaName, e);
            } finally {
                Arrays.fill(data, (byte) 0);
            }
        }
    }
}
