package org.mxpolicy.cli;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.dnssec.SerialFormat;
import org.mxpolicy.dnssec.SignatureProvider;
import org.mxpolicy.dnssec.SignedZone;
import org.mxpolicy.dnssec.SigningPolicy;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.dnssec.ZoneSigner;
import org.mxpolicy.dnssec.ZoneVerifier;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.zone.ZoneFileReader;
import org.mxpolicy.zone.ZoneFragment;
import org.mxpolicy.zone.ZoneMerge;
import org.mxpolicy.zone.ZoneText;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
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

    @Option(names = {"-z", "--zone"}, required = true, paramLabel = "ZONE", description = "The zone's apex.")
    private String zone;

    @Option(names = "-K", required = true, paramLabel = "DIR",
            description = "Directory with the zone's key files (K<zone>+<alg>+<tag>.key/.private).")
    private Path keyDir;

    @Option(names = {"-c", "--config"}, paramLabel = "CONFIG",
            description = "Provider config: merge the records it owns for ZONE into the zone first.")
    private Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "The signed zone (default: ZONEFILE.signed); its signatures are reused when it exists.")
    private Path output;

    @Option(names = "--nsec3",
            description = "NSEC3 instead of NSEC (RFC 9276 parameters: no extra iterations, no salt, no opt-out).")
    private boolean nsec3;

    @Option(names = "--serial", paramLabel = "FORMAT", defaultValue = "increment",
            description = "How the SOA serial advances: increment (default), unixtime or date (YYYYMMDDnn).")
    private String serialFormat;

    @Option(names = "--validity", paramLabel = "DURATION", defaultValue = "14d", converter = DurationConverter.class,
            description = "Validity of new signatures (default: ${DEFAULT-VALUE}).")
    private Duration validity;

    @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = "1d", converter = DurationConverter.class,
            description = "Up to this much is taken off each new signature's validity, by owner and type, so that"
                    + " expirations spread out (default: ${DEFAULT-VALUE}).")
    private Duration jitter;

    @Option(names = "--refresh", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "Replace signatures with less than this left (default: ${DEFAULT-VALUE}).")
    private Duration refresh;

    @Option(names = "--inception-offset", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
            description = "New signatures are valid from this long ago, for validators with slow clocks"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration inceptionOffset;

    @Option(names = "--dnskey-ttl", paramLabel = "SECONDS",
            description = "TTL of the DNSKEY set (default: the smallest TTL in the .key files).")
    private Long dnskeyTtl;

    @Parameters(index = "0", paramLabel = "ZONEFILE", description = "The zone in master file format (unsigned or signed).")
    private Path zoneFile;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    SignCommand() {
        this(Clock.systemUTC());
    }

    SignCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws Exception {
        Name origin = KeyDirectory.zoneName(zone);
        SigningPolicy policy = policy();
        Instant now = clock.instant();

        List<Record> records = readZone(zoneFile, origin, spec.commandLine().getErr());
        if (config != null) {
            ZoneFragment owned = ownedRecords(origin, now);
            records = ZoneMerge.merge(origin, records, owned);
            requireAuthoritative(origin, owned, records);
        }
        List<ZoneKey> keys = new KeyDirectory(keyDir).load(origin);
        if (keys.isEmpty()) {
            throw new InvalidInputException("dnssec.no-keys", SourcePosition.file(keyDir.toString()), "no key files of zone "
                    + origin + " here; make one with: mxpolicy keygen --zone " + origin + " -K " + keyDir);
        }
        Path out = output != null ? output : Path.of(zoneFile + ".signed");
        PreviousOutput previous = previousOutput(out, origin);
        // What mxpolicy verified when it wrote OUT need not be checked cryptographically again.
        ZoneVerifier.VerifiedSignatures earlier = previous.verified()
                ? ZoneVerifier.VerifiedSignatures.of(origin, previous.records()) : ZoneVerifier.VerifiedSignatures.none();

        if (spec.root().userObject() instanceof MxpolicyCommand root && root.verbose()) {
            SignatureProvider.conscryptUnavailable().ifPresent(problem -> spec.commandLine().getErr().println(
                    "mxpolicy: NOTE: Conscrypt (BoringSSL) does not load on this platform (" + problem + "); signing"
                            + " and verifying with Bouncy Castle, which is slower"));
        }
        ZoneSigner signer = new ZoneSigner(policy);
        ZoneVerifier verifier = new ZoneVerifier();
        SignedZone signed = signer.sign(origin, records, keys, now, previous.records());
        previous = null; // a large zone twice over is the peak of memory; let it go before verifying
        ZoneVerifier.Result check = verifier.verify(origin, signed.records(), now, Duration.ZERO, out.toString(), earlier);
        if (check.hasErrors() && signed.signaturesKept() > 0) {
            // A kept signature that no longer verifies (a changed key, an edited file): sign everything anew.
            spec.commandLine().getErr().println("mxpolicy: " + out + ": signatures taken over from it do not verify;"
                    + " signing every RRset anew");
            earlier = null;
            signed = signer.sign(origin, records, keys, now, List.of());
            check = verifier.verify(origin, signed.records(), now, Duration.ZERO, out.toString());
        }
        earlier = null;
        if (check.hasErrors()) {
            throw new VerificationFailedException(out + ": not written: the signed zone does not verify (a bug in"
                    + " mxpolicy; please report it with the zone and --verbose output)",
                    check.findings().stream().filter(Finding::isError).toList());
        }
        // Reading, signing and verifying leave the previous zone and their indexes behind as garbage;
        // collecting it here lets the file's bytes fit where they were instead of growing the heap
        // (the peak of memory of a large zone's re-sign, on runtimes that grow the heap rather than collect).
        System.gc();
        byte[] text = ZoneText.renderReadBack(origin, signed.records(), out.toString());
        AtomicFiles.Outcome outcome = AtomicFiles.write(out, text, AtomicFiles.PUBLIC);
        String what = outcome == AtomicFiles.Outcome.WRITTEN
                ? "written (serial " + signed.serial() + ", " + policy.denial() + ", " + signed.signaturesMade()
                        + " signatures made, " + signed.signaturesKept() + " kept)"
                        + (check.verifiedEarlier() > 0 ? "; " + check.verifiedEarlier() + " of the kept signatures were"
                                + " verified when it was written before" : "")
                : "unchanged (serial " + signed.serial() + "; nothing changed and no signature is due)";
        spec.commandLine().getErr().println("mxpolicy: " + out + ": " + what);
        return 0;
    }

    private SigningPolicy policy() throws InvalidInputException {
        SerialFormat format = SerialFormat.parse(serialFormat).orElseThrow(() -> new InvalidInputException("sign.serial",
                null, "--serial '" + serialFormat + "' is not one of increment, unixtime, date"));
        try {
            return new SigningPolicy(inceptionOffset, validity, jitter, refresh,
                    nsec3 ? SigningPolicy.Denial.NSEC3 : SigningPolicy.Denial.NSEC, format,
                    dnskeyTtl == null ? OptionalLong.empty() : OptionalLong.of(dnskeyTtl));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("sign.policy", null, e.getMessage());
        }
    }

    /** The zone's records; its warnings (records outside the zone, dropped) are printed to {@code err}. */
    static List<Record> readZone(Path file, Name origin, java.io.PrintWriter err) throws InvalidInputException {
        byte[] bytes = InputFiles.read(file);
        ZoneFileReader.Zone read = ZoneFileReader.readZone(new ByteArrayInputStream(bytes), file.toString(), origin);
        Findings.print(err, read.warnings());
        return read.records();
    }

    /** The records the config owns in this zone; the config's warnings are printed. */
    private ZoneFragment ownedRecords(Name origin, Instant now) throws InvalidInputException {
        ConfigFile file = ConfigFile.load(config);
        DesiredState desired = file.desiredState(now);
        Findings.print(spec.commandLine().getErr(), file.warnings(desired));
        return desired.zones().stream().filter(z -> z.zone().equals(origin)).findFirst()
                .orElseThrow(() -> new InvalidInputException("sign.zone-not-configured", SourcePosition.file(config.toString()),
                        "zone " + origin + " is not under 'zones'; mxpolicy owns no records in it (configured: "
                                + String.join(", ", desired.zones().stream().map(ZoneFragment::zoneName).toList()) + ")"));
    }

    /**
     * Refuses owned records that fall below a delegation in the zone file: the zone would hold them
     * as glue, unsigned, and resolvers would ask the child zone, not this one.
     */
    private void requireAuthoritative(Name origin, ZoneFragment owned, List<Record> zone) throws InvalidInputException {
        Set<Name> cuts = new HashSet<>();
        for (Record r : zone) {
            if (r.getType() == Type.NS && !r.getName().equals(origin)) {
                cuts.add(r.getName());
            }
        }
        List<Finding> problems = new ArrayList<>();
        Set<Name> reported = new HashSet<>();
        for (Record r : owned.records()) {
            Name name = r.getName();
            for (int strip = 1; name.labels() - strip > origin.labels(); strip++) {
                Name ancestor = new Name(name, strip);
                if (cuts.contains(ancestor) && reported.add(name)) {
                    problems.add(Finding.error("sign.below-delegation", SourcePosition.file(zoneFile.toString()), name
                            + " (from " + config + ") is below the delegation " + ancestor + " in this zone file;"
                            + " put it in the zone of " + ancestor + " (add that zone under 'zones' in the config)"));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /**
     * The previous signed zone.
     *
     * @param verified true when it is exactly what mxpolicy verified and wrote: its first line, the
     *     {@link ZoneText#VERIFIED_HEADER}, holds the SHA-256 of the rest of the file
     */
    private record PreviousOutput(List<Record> records, boolean verified) {
        static final PreviousOutput NONE = new PreviousOutput(List.of(), false);
    }

    /** The previous signed zone, or nothing when there is none or it cannot be read. */
    private PreviousOutput previousOutput(Path out, Name origin) {
        if (!Files.isRegularFile(out)) {
            return PreviousOutput.NONE;
        }
        try {
            byte[] bytes = InputFiles.read(out);
            int body = ZoneText.verifiedBody(bytes);
            if (body >= 0) {
                // Exactly as mxpolicy wrote it: one record a line, so it can be read in parallel.
                return new PreviousOutput(ZoneFileReader.readLines(bytes, body, out.toString(), origin), true);
            }
            if (startsWith(bytes, ZoneText.VERIFIED_HEADER)) {
                spec.commandLine().getErr().println("mxpolicy: " + out + ": changed since mxpolicy verified and wrote it"
                        + " (the sha256 in its first line does not match); every signature taken over from it is"
                        + " verified again");
            }
            return new PreviousOutput(ZoneFileReader.read(new ByteArrayInputStream(bytes), out.toString(), origin), false);
        } catch (InvalidInputException e) {
            spec.commandLine().getErr().println("mxpolicy: " + out + ": cannot read the previous signed zone ("
                    + e.findings().get(0).message() + "); signing every RRset anew");
            return PreviousOutput.NONE;
        }
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= p.length && java.util.Arrays.equals(bytes, 0, p.length, p, 0, p.length);
    }
}
