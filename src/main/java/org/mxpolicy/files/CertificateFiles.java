package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.desired.CertificateSource;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

/**
 * Reads the certificate and key files named in the config, relative to the config file's
 * directory. A file that cannot be read is reported at the config line that names it; a file
 * that cannot be parsed, at its own line, with the config line added.
 */
public final class CertificateFiles implements CertificateSource {

    private final Path baseDir;
    // concurrent: serve reads a hoster's thousands of files on every core
    private final Map<Path, byte[]> cache = new ConcurrentHashMap<>();
    /** Parsed chains: many MX hosts often share one certificate file. */
    private final Map<Path, CertificateChain> chains = new ConcurrentHashMap<>();

    public CertificateFiles(Path baseDir) {
        this.baseDir = baseDir;
    }

    @Override
    public CertificateChain chain(FileReference file) throws InvalidInputException {
        Path path = resolve(file);
        CertificateChain chain = chains.get(path);
        if (chain == null) {
            chain = parse(file, CertificateChainReader::read);
            chains.put(path, chain);
        }
        return chain;
    }

    @Override
    public SubjectPublicKey publicKey(FileReference file) throws InvalidInputException {
        return parse(file, PublicKeyReader::read);
    }

    @Override
    public List<X509Certificate> certificates(FileReference file) throws InvalidInputException {
        return chain(file).certificates();
    }

    /** A reader of one kind of file, as the cert package's readers are. */
    private interface Reader<T> {
        T read(InputStream in, String source) throws InvalidInputException;
    }

    private <T> T parse(FileReference file, Reader<T> reader) throws InvalidInputException {
        Path path = resolve(file);
        byte[] bytes = bytes(file, path);
        try {
            return reader.read(new ByteArrayInputStream(bytes), path.toString());
        } catch (InvalidInputException e) {
            throw namedBy(e, file);
        }
    }

    public Path resolve(FileReference file) {
        Path path = Path.of(file.path());
        return path.isAbsolute() ? path : baseDir.resolve(path).normalize();
    }

    private byte[] bytes(FileReference file, Path path) throws InvalidInputException {
        byte[] cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        try {
            byte[] bytes = InputFiles.read(path, CertificateChainReader.SIZE_LIMIT);
            cache.put(path, bytes);
            return bytes;
        } catch (InvalidInputException e) {
            // Report where the config names the file: that is the line to fix.
            Finding f = e.findings().get(0);
            throw new InvalidInputException(
                    new Finding(f.severity(), f.id(), file.position(), "cannot read " + path + ": " + f.message()));
        }
    }

    private static InvalidInputException namedBy(InvalidInputException e, FileReference file) {
        List<Finding> findings = e.findings().stream()
                .map(f -> new Finding(
                        f.severity(), f.id(), f.position(), f.message() + " (named at " + file.position() + ")"))
                .toList();
        return new InvalidInputException(findings);
    }
}
