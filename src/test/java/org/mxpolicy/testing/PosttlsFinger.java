package org.mxpolicy.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Postfix's own TLS client, {@code posttls-finger}, run in a {@link NetworkNamespace} as a
 * sending Postfix with DANE would connect to an MX: it finds the MX address and its
 * {@code _PORT._tcp} TLSA records through the namespace's resolver and trusts only records that
 * resolver marked validated (the AD bit, {@code smtp_dns_support_level = dnssec}), as RFC 7672
 * section 2.1 requires of a DANE SMTP client. Skipped without the program (failed under CI).
 */
public final class PosttlsFinger {

    private final NetworkNamespace namespace;
    private final ExternalTool program;
    private final Path configDir;

    private PosttlsFinger(NetworkNamespace namespace, ExternalTool program, Path configDir) {
        this.namespace = namespace;
        this.program = program;
        this.configDir = configDir;
    }

    /**
     * posttls-finger for {@code namespace}, with a {@code main.cf} of its own under
     * {@code workDir}: it needs one when the machine has none, and the machine's would decide
     * the DNS security level otherwise.
     */
    public static PosttlsFinger in(NetworkNamespace namespace, Path workDir) throws IOException {
        ExternalTool program = ExternalTool.require("posttls-finger");
        Path configDir = Files.createDirectories(workDir.resolve("posttls-finger"));
        Files.writeString(configDir.resolve("main.cf"), "compatibility_level = 3.6\nsmtp_dns_support_level = dnssec\n");
        return new PosttlsFinger(namespace, program, configDir);
    }

    /**
     * {@code posttls-finger -c -l dane -L summary "[host]:port"}: DANE required, one summary
     * line about the TLS session. It exits 0 whatever it concludes, so the verdict is in what it
     * logs: "Verified TLS connection established to ..." when a TLSA record matches,
     * "no matching DANE TLSA records" when none does.
     *
     * @return its standard output and error together
     */
    public String dane(String host, int port) {
        ExternalTool.Result result = namespace.run(
                "env",
                "MAIL_CONFIG=" + configDir,
                program.path(),
                "-c",
                "-l",
                "dane",
                "-L",
                "summary",
                "[" + host + "]:" + port);
        return result.stdout() + result.stderr();
    }
}
