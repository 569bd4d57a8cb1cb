package org.mxpolicy.cert;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.Certificate;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Reads the certificate chain a server presents: PEM with one or more {@code CERTIFICATE}
 * blocks (RFC 7468 section 5) in any order, or one DER certificate. The chain comes back leaf
 * first, ordered by issuer links, whatever the order in the file.
 */
public final class CertificateChainReader {

    static final String EXPECTED = "the certificate chain in PEM (fullchain.pem) or one certificate in DER";
    private static final String CERTIFICATE = "CERTIFICATE";

    /** The largest certificate file read, 1 MiB: a chain or a CA bundle takes a few hundred KiB at most. */
    public static final InputLimit SIZE_LIMIT = new InputLimit("certificate file", "cert.size", 1024 * 1024);

    private CertificateChainReader() {}

    /**
     * Reads and orders a chain, and checks that the leaf's key is one DANE records may pin.
     *
     * @param source the file name used in messages
     * @throws InvalidInputException with a finding for each problem, each at the line of the
     *     PEM block it is about
     */
    public static CertificateChain read(InputStream in, String source) throws InvalidInputException {
        InputBytes input = InputBytes.read(in, source, SIZE_LIMIT, EXPECTED);
        List<LocatedCertificate> ordered = ChainOrder.order(certificates(input, source));
        LocatedCertificate leaf = ordered.get(0);
        SubjectPublicKey.of(leaf.certificate(), leaf.position());
        return new CertificateChain(
                source, ordered.stream().map(LocatedCertificate::certificate).toList());
    }

    /** The certificates of a file in file order, duplicates dropped. */
    static List<LocatedCertificate> certificates(InputBytes input, String source) throws InvalidInputException {
        SourcePosition file = SourcePosition.file(source);
        if (input.isDer()) {
            byte[] der = input.bytes();
            try {
                return List.of(
                        new LocatedCertificate(parse(der, file, "cert", "is neither PEM nor a DER certificate"), file));
            } catch (InvalidInputException e) {
                if (isPrivateKey(der)) {
                    input.wipe();
                    throw privateKeyGiven(file);
                }
                throw e;
            }
        }
        String text = input.text();
        if (!PemBlock.isPem(text)) {
            throw new InvalidInputException(
                    "cert.not-a-certificate",
                    file,
                    "has no PEM block (-----BEGIN CERTIFICATE-----) and is not a DER certificate: give " + EXPECTED);
        }
        return fromBlocks(PemBlock.scan(text, source, "cert"), source);
    }

    /** The certificates of the CERTIFICATE blocks; every block of another type is an error. */
    static List<LocatedCertificate> fromBlocks(List<PemBlock> blocks, String source) throws InvalidInputException {
        List<Finding> findings = new ArrayList<>();
        List<LocatedCertificate> certificates = new ArrayList<>();
        for (PemBlock block : blocks) {
            if (block.label().endsWith("PRIVATE KEY")) {
                findings.add(privateKeyGiven(block.position()).findings().get(0));
            } else if (!block.label().equals(CERTIFICATE)) {
                findings.add(Finding.error(
                        "cert.not-a-certificate",
                        block.position(),
                        "contains a " + block.label() + " block, not a certificate: give " + EXPECTED));
            } else {
                try {
                    X509Certificate cert = parse(
                            block.decode("cert"),
                            block.position(),
                            "cert",
                            "PEM block CERTIFICATE does not hold a valid X.509 certificate");
                    if (certificates.stream().noneMatch(c -> c.certificate().equals(cert))) {
                        certificates.add(new LocatedCertificate(cert, block.position()));
                    }
                } catch (InvalidInputException e) {
                    findings.addAll(e.findings());
                }
            }
        }
        if (!findings.isEmpty()) {
            throw new InvalidInputException(findings);
        }
        if (certificates.isEmpty()) {
            throw new InvalidInputException(
                    "cert.not-a-certificate",
                    SourcePosition.file(source),
                    "has no PEM block (-----BEGIN CERTIFICATE-----): give " + EXPECTED);
        }
        return certificates;
    }

    /**
     * Parses one DER certificate. Bouncy Castle checks the ASN.1 strictly (no trailing bytes);
     * the JDK then builds the certificate object.
     *
     * @param what the start of the message when the bytes are not a certificate
     */
    static X509Certificate parse(byte[] der, SourcePosition where, String idPrefix, String what)
            throws InvalidInputException {
        try {
            Certificate.getInstance(ASN1Primitive.fromByteArray(der));
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (IOException | CertificateException | RuntimeException e) {
            // Bouncy Castle reports malformed ASN.1 with unchecked exceptions as well.
            throw new InvalidInputException(
                    idPrefix + ".malformed", where, what + " (" + reason(e) + "): give " + EXPECTED);
        }
    }

    static InvalidInputException privateKeyGiven(SourcePosition where) {
        return new InvalidInputException(
                "cert.private-key-given",
                where,
                "contains a private key, not a certificate: give the certificate chain (fullchain.pem), not the key");
    }

    private static boolean isPrivateKey(byte[] der) {
        try {
            PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String reason(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // Some parser messages span lines; findings are one line.
        return Arrays.stream(message.split("\\R"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .findFirst()
                .orElse(e.getClass().getSimpleName());
    }
}
