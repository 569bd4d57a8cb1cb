package org.mxpolicy.cli;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.CertificateChainReader;
import org.mxpolicy.cert.HostNames;
import org.mxpolicy.cert.LeafChecks;
import org.mxpolicy.config.DnsNames;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.record.TlsaUsage;
import org.mxpolicy.zone.RecordText;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mxpolicy tlsa}: TLSA records for one certificate chain, in zone-file syntax. */
@Command(
        name = "tlsa",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print TLSA records (RFC 6698, RFC 7672) for a certificate chain in zone-file syntax.",
            "Usage 3 (DANE-EE) is for the server's own key; usage 2 (DANE-TA) for each issuer",
            "certificate in the chain file. Usages 0 and 1 do not apply to SMTP (RFC 7672 3.1.3)."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy tlsa --cert /etc/letsencrypt/live/mx1.example.com/fullchain.pem",
            "  mxpolicy tlsa --cert fullchain.pem --host mx1.example.com --usage 2",
            "  openssl s_client -starttls smtp -connect mx1.example.com:25 -showcerts </dev/null | mxpolicy tlsa --cert -"
        })
final class TlsaCommand implements Callable<Integer> {

    @Option(
            names = "--cert",
            required = true,
            paramLabel = "FILE",
            description = "Certificate chain, PEM (any order) or DER; '-' reads standard input.")
    private Path cert;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description =
                    "MX host name; must be covered by the certificate. Default: the certificate's first DNS name.")
    private String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "25",
            description = "TCP port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--usage",
            paramLabel = "USAGE",
            defaultValue = "3",
            description = "3 (DANE-EE: the server key, default) or 2 (DANE-TA: the issuing CA).")
    private int usage;

    @Option(
            names = "--selector",
            paramLabel = "SELECTOR",
            defaultValue = "1",
            description = "1 (public key, default) or 0 (whole certificate; breaks at every renewal).")
    private int selector;

    @Option(
            names = "--matching",
            paramLabel = "TYPE",
            defaultValue = "1",
            description = "1 (SHA-256, default), 2 (SHA-512) or 0 (full data).")
    private int matching;

    @Option(
            names = "--ttl",
            paramLabel = "SECONDS",
            defaultValue = "600",
            description = "Record TTL (default: ${DEFAULT-VALUE}).")
    private long ttl;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    TlsaCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        SourcePosition where = SourcePosition.file(cert.toString().equals("-") ? "<stdin>" : cert.toString());
        checkParameters();
        byte[] bytes = InputFiles.read(cert, System.in, CertificateChainReader.SIZE_LIMIT);
        CertificateChain chain = CertificateChainReader.read(new ByteArrayInputStream(bytes), where.source());
        String name = hostName(chain, where);

        List<Finding> findings = new ArrayList<>(LeafChecks.check(chain, name, clock.instant(), where));
        if (selector == TlsaRecord.SELECTOR_FULL_CERTIFICATE) {
            findings.add(Finding.warning("tlsa.selector-0", where, TlsaUsage.selectorWarning()));
        }
        if (findings.stream().anyMatch(Finding::isError)) {
            throw new InvalidInputException(
                    findings.stream().filter(Finding::isError).toList());
        }
        Findings.print(spec.commandLine().getErr(), findings);

        List<X509Certificate> subjects = usage == TlsaUsage.DANE_EE.value() ? List.of(chain.leaf()) : chain.issuers();
        if (subjects.isEmpty()) {
            throw new InvalidInputException(
                    "tlsa.no-issuer",
                    where,
                    "holds only the server certificate; usage 2 needs the issuing CA certificate: give the full chain (fullchain.pem)");
        }
        Name owner = owner(name);
        var out = spec.commandLine().getOut();
        for (X509Certificate c : subjects) {
            TlsaRecord r = TlsaRecord.of(usage, selector, matching, c);
            out.println(RecordText.line(
                    new TLSARecord(owner, DClass.IN, ttl, r.usage(), r.selector(), r.matching(), r.data())));
        }
        out.flush();
        return 0;
    }

    private void checkParameters() throws InvalidInputException {
        var refusal = TlsaUsage.refusalForSmtp(usage);
        if (refusal.isPresent()) {
            throw new InvalidInputException("tlsa.usage-refused", null, "--usage " + usage + ": " + refusal.get());
        }
        if (usage != TlsaUsage.DANE_EE.value() && usage != TlsaUsage.DANE_TA.value()) {
            throw new InvalidInputException(
                    "tlsa.usage", null, "--usage must be 3 (DANE-EE) or 2 (DANE-TA), not " + usage);
        }
        if (selector != 0 && selector != 1) {
            throw new InvalidInputException(
                    "tlsa.selector", null, "--selector must be 1 (public key) or 0 (certificate), not " + selector);
        }
        if (matching < 0 || matching > 2) {
            throw new InvalidInputException(
                    "tlsa.matching", null, "--matching must be 1 (SHA-256), 2 (SHA-512) or 0 (full), not " + matching);
        }
        Optional<String> problem = host == null ? Optional.empty() : DnsNames.mxHostProblem(host);
        if (problem.isPresent()) {
            throw new InvalidInputException(
                    "tlsa.host", null, "--host '" + host + "' is not a valid host name: " + problem.get());
        }
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("tlsa.port", null, "--port must be 1..65535, not " + port);
        }
        if (ttl < 0 || ttl > Integer.MAX_VALUE) {
            throw new InvalidInputException(
                    "tlsa.ttl", null, "--ttl must be 0.." + Integer.MAX_VALUE + " (RFC 2181 section 8), not " + ttl);
        }
    }

    private String hostName(CertificateChain chain, SourcePosition where) throws InvalidInputException {
        if (host != null) {
            return host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        }
        List<String> names = HostNames.dnsNames(chain.leaf()).stream()
                .filter(n -> !n.startsWith("*"))
                .toList();
        if (names.isEmpty()) {
            throw new InvalidInputException(
                    "tlsa.host-needed", where, "the certificate names no single host; give --host");
        }
        return names.get(0);
    }

    private Name owner(String name) throws InvalidInputException {
        try {
            return Name.fromString("_" + port + "._tcp." + name + ".");
        } catch (TextParseException e) {
            throw new InvalidInputException("tlsa.host", null, "--host " + host + " is not a valid host name");
        }
    }
}
