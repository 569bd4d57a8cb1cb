package org.mxpolicy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.mxpolicy.dnssec.ZoneVerifier;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.files.ZoneFiles;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.zone.ZoneFileReader;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mxpolicy verify}: checks a signed zone's signatures and NSEC/NSEC3 chain. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Verify a DNSSEC-signed zone: signatures, NSEC/NSEC3 chain, expiry.",
            "Every RRSIG against the zone's DNSKEY set, a valid signature of",
            "every algorithm on every authoritative RRset, the DNSKEY set signed by a KSK or CSK, and a",
            "complete NSEC or NSEC3 chain with the right type bitmaps. Signatures that expire within the",
            "horizon are reported too. Every problem is listed on stderr, one per line; exit code 1 when",
            "there is an error or an expiring signature; other warnings (NSEC3 iterations, chain TTLs) fail",
            "only with --strict."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy verify --zone example.com example.com.zone.signed",
            "  mxpolicy verify --zone example.com --expiry-horizon 7d /var/lib/knot/example.com.zone   # monitoring"
        })
final class VerifyCommand implements Callable<Integer> {

    @Option(
            names = {"-z", "--zone"},
            required = true,
            paramLabel = "ZONE",
            description = "The zone's apex.")
    private String zone;

    @Option(
            names = "--expiry-horizon",
            paramLabel = "DURATION",
            defaultValue = "3d",
            converter = DurationConverter.class,
            description = "Report signatures that expire within this time (default: ${DEFAULT-VALUE}; 0 for none).")
    private Duration horizon;

    @Option(names = "--strict", description = "Fail (exit code 1) on any warning too.")
    private boolean strict;

    @Mixin
    private ProgressOption progress;

    @Parameters(index = "0", paramLabel = "SIGNEDZONE", description = "The signed zone in master file format.")
    private Path zoneFile;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    VerifyCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        Name origin = KeyDirectory.zoneName(zone);
        ZoneFileReader.Zone read = ZoneFiles.read(zoneFile, origin);
        Findings.print(spec.commandLine().getErr(), read.warnings());
        ZoneVerifier.Result result = new ZoneVerifier()
                .verify(
                        origin,
                        read.records(),
                        clock.instant(),
                        horizon,
                        zoneFile.toString(),
                        ZoneVerifier.VerifiedSignatures.none(),
                        progress.on(spec.commandLine().getErr()));
        if (result.fails(strict)) {
            long errors = result.findings().stream().filter(Finding::isError).count();
            long warnings = result.findings().size() - errors;
            throw new VerificationFailedException(
                    zoneFile + ": verification failed: " + count(errors, "error") + ", " + count(warnings, "warning"),
                    result.findings());
        }
        Findings.print(spec.commandLine().getErr(), result.findings());
        spec.commandLine()
                .getErr()
                .println("mxpolicy: " + zoneFile + ": verified ("
                        + result.denial().map(Object::toString).orElse("")
                        + ", " + result.rrsets() + " RRsets, " + result.signatures() + " signatures"
                        + result.earliestExpiration()
                                .map(e -> ", first expiry " + e)
                                .orElse("") + ")");
        return 0;
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
