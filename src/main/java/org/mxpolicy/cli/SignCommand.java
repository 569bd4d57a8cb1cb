package org.mxpolicy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.mxpolicy.apply.ZoneSigning;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.dnssec.SerialFormat;
import org.mxpolicy.dnssec.SignatureProvider;
import org.mxpolicy.dnssec.SigningPolicy;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.files.ZoneFiles;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mxpolicy sign}: a whole zone, DNSSEC-signed, verified before it is written. */
@Command(
        name = "sign",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "DNSSEC-sign a whole zone, merging in the config's records; verified before it is written.",
            "With the zone's keys in DIR: DNSKEY set, NSEC (or NSEC3) chain, RRSIGs",
            "for every authoritative RRset, SOA serial advanced. With -c, the records the config owns for",
            "the zone (TLSA, MTA-STS, TLS-RPT, SRV) first replace the zone file's RRsets of the same name and",
            "type. When OUT exists, its signatures of unchanged RRsets are kept while they have more than the",
            "refresh window left, so a daily run re-signs only what changed or is due; a run that changes",
            "nothing leaves OUT as it is (same serial, same bytes). The signed zone is verified before it",
            "replaces OUT; a zone that does not verify is never written.",
            "",
            "Keys with the SEP flag (KSK/CSK) sign the DNSKEY set, the others (ZSK) the rest; a lone CSK",
            "signs everything. Keys without a .private file are published but do not sign."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy sign --zone example.com -K /etc/mxpolicy/keys example.com.zone   # -> example.com.zone.signed",
            "  mxpolicy sign --zone example.com -K keys -c provider.yaml -o /var/lib/knot/example.com.zone base.zone",
            "  mxpolicy sign --zone example.com -K keys --nsec3 --serial unixtime example.com.zone",
            "  mxpolicy verify --zone example.com example.com.zone.signed"
        })
final class SignCommand implements Callable<Integer> {

    @Option(
            names = {"-z", "--zone"},
            required = true,
            paramLabel = "ZONE",
            description = "The zone's apex.")
    private String zone;

    @Option(
            names = "-K",
            required = true,
            paramLabel = "DIR",
            description = "Directory with the zone's key files (K<zone>+<alg>+<tag>.key/.private).")
    private Path keyDir;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "CONFIG",
            description = "Provider config: merge the records it owns for ZONE into the zone first.")
    private Path config;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "OUT",
            description = "The signed zone (default: ZONEFILE.signed); its signatures are reused when it exists."
                    + " Its directory must exist, unless --mkdir.")
    private Path output;

    @Option(
            names = "--mkdir",
            description = "Make OUT's directory when it is missing (without it, a missing directory is refused).")
    private boolean mkdir;

    @Option(
            names = "--nsec3",
            description = "NSEC3 instead of NSEC (RFC 9276 parameters: no extra iterations, no salt, no opt-out).")
    private boolean nsec3;

    @Option(
            names = "--serial",
            paramLabel = "FORMAT",
            defaultValue = "increment",
            description = "How the SOA serial advances: increment (default), unixtime or date (YYYYMMDDnn).")
    private String serialFormat;

    @Option(
            names = "--validity",
            paramLabel = "DURATION",
            defaultValue = "14d",
            converter = DurationConverter.class,
            description = "Validity of new signatures (default: ${DEFAULT-VALUE}).")
    private Duration validity;

    @Option(
            names = "--jitter",
            paramLabel = "DURATION",
            defaultValue = "1d",
            converter = DurationConverter.class,
            description = "Up to this much is taken off each new signature's validity, by owner and type, so that"
                    + " expirations spread out (default: ${DEFAULT-VALUE}).")
    private Duration jitter;

    @Option(
            names = "--refresh",
            paramLabel = "DURATION",
            defaultValue = "7d",
            converter = DurationConverter.class,
            description = "Replace signatures with less than this left (default: ${DEFAULT-VALUE}).")
    private Duration refresh;

    @Option(
            names = "--inception-offset",
            paramLabel = "DURATION",
            defaultValue = "1h",
            converter = DurationConverter.class,
            description = "New signatures are valid from this long ago, for validators with slow clocks"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration inceptionOffset;

    @Option(
            names = "--dnskey-ttl",
            paramLabel = "SECONDS",
            description = "TTL of the DNSKEY set (default: the smallest TTL in the .key files).")
    private Long dnskeyTtl;

    @Mixin
    private ProgressOption progress;

    @Parameters(
            index = "0",
            paramLabel = "ZONEFILE",
            description = "The zone in master file format (unsigned or signed).")
    private Path zoneFile;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    SignCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        Name origin = KeyDirectory.zoneName(zone);
        Path out = output != null ? output : Path.of(zoneFile + ".signed");
        OutputPaths.file(out, mkdir);
        Instant now = clock.instant();
        Optional<ZoneFragment> owned = config == null ? Optional.empty() : Optional.of(ownedRecords(origin, now));
        if (spec.root().userObject() instanceof MxpolicyCommand root && root.verbose()) {
            SignatureProvider.conscryptUnavailable()
                    .ifPresent(problem -> spec.commandLine()
                            .getErr()
                            .println("mxpolicy: NOTE: Conscrypt (BoringSSL) does not load on this platform (" + problem
                                    + "); signing" + " and verifying with Bouncy Castle, which is slower"));
        }
        ZoneSigning.Result result = new ZoneSigning(new ZoneFiles())
                .sign(
                        new ZoneSigning.Request(origin, zoneFile, keyDir, owned, String.valueOf(config), out, policy()),
                        now,
                        progress.on(spec.commandLine().getErr()));
        Findings.print(spec.commandLine().getErr(), result.warnings());
        result.notes().forEach(note -> spec.commandLine().getErr().println("mxpolicy: " + note));
        spec.commandLine().getErr().println("mxpolicy: " + out + ": " + result.describe());
        return 0;
    }

    private SigningPolicy policy() throws InvalidInputException {
        SerialFormat format = SerialFormat.parse(serialFormat)
                .orElseThrow(() -> new InvalidInputException(
                        "sign.serial",
                        null,
                        "--serial '" + serialFormat + "' is not one of increment, unixtime, date"));
        try {
            return new SigningPolicy(
                    inceptionOffset,
                    validity,
                    jitter,
                    refresh,
                    nsec3 ? SigningPolicy.Denial.NSEC3 : SigningPolicy.Denial.NSEC,
                    format,
                    dnskeyTtl == null ? OptionalLong.empty() : OptionalLong.of(dnskeyTtl),
                    Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("sign.policy", null, e.getMessage());
        }
    }

    /** The records the config owns in this zone; the config's warnings are printed. */
    private ZoneFragment ownedRecords(Name origin, Instant now) throws InvalidInputException {
        ConfigFile file = ConfigFile.load(config);
        DesiredState desired = file.desiredState(now);
        Findings.print(spec.commandLine().getErr(), file.warnings(desired));
        return desired.zones().stream()
                .filter(z -> z.zone().equals(origin))
                .findFirst()
                .orElseThrow(() -> new InvalidInputException(
                        "sign.zone-not-configured",
                        SourcePosition.file(config.toString()),
                        "zone " + origin + " is not under 'zones'; mxpolicy owns no records in it (configured: "
                                + String.join(
                                        ", ",
                                        desired.zones().stream()
                                                .map(ZoneFragment::zoneName)
                                                .toList()) + ")"));
    }
}
