package org.mxpolicy.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.ServeSettings;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.server.AdminPasswords;
import org.mxpolicy.server.AdminSettings;
import org.mxpolicy.server.HostCertificate;
import org.mxpolicy.server.ListenAddress;
import org.mxpolicy.status.StatusSite;

/**
 * The files of the admin listener named by the config's {@code serve} settings: its certificate
 * and key, its password file (trusted only when the running user owns it and nobody else may
 * write it, like a key) and the check run its status pages show.
 */
public final class AdminFiles {

    /** The finding id of a password file another user could have planted or changed. */
    public static final String PASSWORD_TRUST = "admin.password-file-trust";

    static final InputLimit PASSWORD_LIMIT = new InputLimit("password file", "admin.password-size", 64 * 1024);

    private AdminFiles() {}

    /** The admin listener at {@code address} as the config wants it. */
    public static AdminSettings settings(ConfigFile file, ListenAddress address, Clock clock)
            throws InvalidInputException {
        ServeSettings serve = file.config().serve();
        CertificateFiles certificates = file.certificates();
        Optional<HostCertificate> tls = Optional.empty();
        if (serve.adminCertificate().isPresent() && serve.adminKey().isPresent()) {
            CertificateChain chain = certificates.chain(serve.adminCertificate().get());
            tls = Optional.of(new HostCertificate(
                    address.host(),
                    chain,
                    HttpsHostFiles.privateKey(certificates, serve.adminKey().get())));
        }
        Optional<AdminPasswords> passwords = Optional.empty();
        if (serve.adminPasswords().isPresent()) {
            passwords = Optional.of(
                    passwords(certificates.resolve(serve.adminPasswords().get())));
        }
        Optional<StatusSite> status = Optional.empty();
        if (serve.statusCheck().isPresent()) {
            FileReference check = serve.statusCheck().get();
            Path stateDir = file.stateDir();
            status = Optional.of(new StatusSite(
                    new StatusFiles(
                                    certificates.resolve(check),
                                    Files.isDirectory(stateDir) ? Optional.of(stateDir) : Optional.empty(),
                                    serve.statusAudit().map(certificates::resolve))
                            .withKeys(new StatusFiles.KeyZones(
                                    file.baseDir(), stateDir, file.config().zones())),
                    clock,
                    serve.staleAfter(),
                    file.config().rollover().margin()));
        }
        return new AdminSettings(address, tls, passwords, status);
    }

    /** Reads a password file after checking who may have written or read it. */
    public static AdminPasswords passwords(Path path) throws InvalidInputException {
        // bcrypt hashes readable by others invite an offline guess at the passwords
        OwnedPaths.requireSecretFile(path, PASSWORD_TRUST, OwnedPaths.Links.FOLLOW);
        byte[] bytes = InputFiles.read(path, PASSWORD_LIMIT);
        return AdminPasswords.parse(new String(bytes, StandardCharsets.UTF_8), path.toString());
    }
}
