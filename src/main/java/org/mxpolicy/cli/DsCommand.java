package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import org.mxpolicy.dnssec.DelegationSigner;
import org.mxpolicy.dnssec.KeyState;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.zone.RecordText;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mxpolicy ds}: DS, CDS and CDNSKEY records for a zone's key-signing keys. */
@Command(
        name = "ds",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print DS, CDS and CDNSKEY records for a zone's key-signing keys.",
            "",
            "For every key of the zone in DIR with the SEP flag (flags 257: CSKs and",
            "KSKs), in zone-file syntax:",
            "  DS (SHA-256, digest type 2), for the parent zone (your registrar);",
            "  CDS and CDNSKEY (RFC 7344, RFC 8078), to publish in the zone itself, so",
            "  that a parent that scans for them updates the DS without you.",
            "Only the .key files are read. A key past its Delete or Revoke time (BIND's",
            "timing fields) is left out, so the DS set given to the parent and the CDS",
            "set are the ones wanted now; a key not yet published is kept, as a",
            "double-DS rollover puts its DS up first."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy ds --zone example.com -K /etc/mxpolicy/keys",
            "  mxpolicy ds --zone example.com -K keys | grep ' IN DS '",
            "  mxpolicy ds --zone example.com -K keys | grep -E ' IN (CDS|CDNSKEY) '"
        })
final class DsCommand implements Callable<Integer> {

    @Option(
            names = {"-z", "--zone"},
            required = true,
            paramLabel = "ZONE",
            description = "The zone.")
    private String zone;

    @Option(names = "-K", required = true, paramLabel = "DIR", description = "Directory with the zone's key files.")
    private Path dir;

    @Option(
            names = "--ttl",
            paramLabel = "SECONDS",
            description = "TTL of the records (default: the TTL of each key's DNSKEY).")
    private Long ttl;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    DsCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        Name zoneName = KeyDirectory.zoneName(zone);
        if (ttl != null && (ttl < 0 || ttl > Integer.MAX_VALUE)) {
            throw new InvalidInputException("ds.ttl", null, "--ttl must be 0.." + Integer.MAX_VALUE + ", not " + ttl);
        }
        List<ZoneKey> keys = new KeyDirectory(dir).loadPublic(zoneName);
        Instant now = clock.instant();
        List<ZoneKey> allSeps = DelegationSigner.secureEntryPoints(keys);
        List<ZoneKey> seps =
                allSeps.stream().filter(k -> wantedAtParent(k, now)).toList();
        List<String> leftOut = allSeps.stream()
                .filter(k -> !seps.contains(k))
                .map(k -> k.baseName() + ": " + k.timing().describe(now))
                .toList();
        if (seps.isEmpty() && !allSeps.isEmpty()) {
            throw new InvalidInputException(
                    "ds.no-current-ksk",
                    SourcePosition.file(dir.toString()),
                    "holds no key-signing key for " + zoneName + " that is not deleted or revoked ("
                            + String.join("; ", leftOut) + ")");
        }
        if (seps.isEmpty()) {
            throw new InvalidInputException(
                    "ds.no-ksk",
                    SourcePosition.file(dir.toString()),
                    (keys.isEmpty()
                                    ? "holds no key for " + zoneName
                                    : "holds no key with the SEP flag (257) for " + zoneName
                                            + ", only zone-signing keys")
                            + "; make one with: mxpolicy keygen --zone " + zoneName + " -K "
                            + KeyDirectory.shellQuote(dir.toString()));
        }
        // records only on stdout, DS first, so that `ds | head -1` or `grep ' IN DS '` is the DS to give
        PrintWriter err = spec.commandLine().getErr();
        leftOut.forEach(k -> err.println("mxpolicy ds: left out " + k));
        err.println("mxpolicy ds: " + seps.size() + " DS for the parent zone of " + zoneName
                + " (give them to your registrar), then CDS and CDNSKEY for the zone itself"
                + " (RFC 7344, RFC 8078)");
        var out = spec.commandLine().getOut();
        for (ZoneKey key : seps) {
            out.println(line(DelegationSigner.ds(key, ttlOf(key))));
        }
        for (ZoneKey key : seps) {
            out.println(line(DelegationSigner.cds(key, ttlOf(key))));
        }
        for (ZoneKey key : seps) {
            out.println(line(DelegationSigner.cdnskey(key, ttlOf(key))));
        }
        out.flush();
        return 0;
    }

    /** A deleted key is gone from the zone and a revoked one must not be trusted: neither keeps its DS. */
    private static boolean wantedAtParent(ZoneKey key, Instant now) {
        KeyState state = key.timing().stateAt(now);
        return state != KeyState.DELETED && state != KeyState.REVOKED;
    }

    private long ttlOf(ZoneKey key) {
        return ttl != null ? ttl : key.dnskey().getTTL();
    }

    /** One record per line; digests in lower-case hex (dnsjava writes upper case). */
    static String line(Record record) {
        if (record instanceof DSRecord ds) {
            return RecordText.owner(record) + " " + record.getTTL() + " IN " + RecordText.type(record) + " "
                    + ds.getFootprint() + " " + ds.getAlgorithm() + " " + ds.getDigestID() + " "
                    + HexFormat.of().formatHex(ds.getDigest());
        }
        return RecordText.line(record);
    }
}
