package org.mxpolicy.apply;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.dnssec.Progress;
import org.mxpolicy.dnssec.SignedZone;
import org.mxpolicy.dnssec.SigningPolicy;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.dnssec.ZoneSigner;
import org.mxpolicy.dnssec.ZoneVerifier;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.zone.ZoneFileReader;
import org.mxpolicy.zone.ZoneFragment;
import org.mxpolicy.zone.ZoneMerge;
import org.mxpolicy.zone.ZoneText;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * Signing a whole zone, the APPLY step of zones mxpolicy signs itself ({@code sign} and
 * {@code publish}): the owned records merged into the zone file, signed (keeping the previous
 * output's signatures that are not due), verified, and written only when the whole zone verifies.
 */
public final class ZoneSigning {

    /**
     * What to sign.
     *
     * @param owned the records the config owns in the zone, merged in first; {@code ownedSource}
     *     names where they come from in messages
     */
    public record Request(
            Name origin,
            Path zoneFile,
            Path keyDir,
            Optional<ZoneFragment> owned,
            String ownedSource,
            Path output,
            SigningPolicy policy) {}

    /**
     * What signing did.
     *
     * @param warnings the zone file's (records outside the zone, left out)
     * @param notes what the operator should know although it succeeded (signatures signed anew)
     */
    public record Result(
            Path output,
            boolean written,
            SignedZone signed,
            SigningPolicy.Denial denial,
            int verifiedEarlier,
            List<Finding> warnings,
            List<String> notes) {

        /** One line: written (serial, signatures made and kept) or unchanged. */
        public String describe() {
            return written
                    ? "written (serial " + signed.serial() + ", " + denial + ", " + signed.signaturesMade()
                            + " signatures made, " + signed.signaturesKept() + " kept)"
                            + (verifiedEarlier > 0
                                    ? "; " + verifiedEarlier + " of the kept signatures were"
                                            + " verified when it was written before"
                                    : "")
                    : "unchanged (serial " + signed.serial() + "; nothing changed and no signature is due)";
        }
    }

    private final SigningFiles files;

    public ZoneSigning(SigningFiles files) {
        this.files = files;
    }

    /** Signs as {@code request} says at {@code now}; nothing is written unless the signed zone verifies. */
    public Result sign(Request request, Instant now) throws MxpolicyException {
        return sign(request, now, Progress.NONE);
    }

    /** As {@link #sign(Request, Instant)}, telling {@code progress} how far signing and verifying are. */
    public Result sign(Request request, Instant now, Progress progress) throws MxpolicyException {
        Name origin = request.origin();
        List<String> notes = new ArrayList<>();
        ZoneFileReader.Zone zone = files.zone(request.zoneFile(), origin);
        List<Record> records = zone.records();
        if (request.owned().isPresent()) {
            records = ZoneMerge.merge(origin, records, request.owned().get());
            requireAuthoritative(request, records);
        }
        if (request.policy().maxZoneTtl().isPresent()) {
            requireTtlsWithin(request, records, request.policy().maxZoneTtl().get());
        }
        List<ZoneKey> keys = files.keys(request.keyDir(), origin);
        if (keys.isEmpty()) {
            throw new InvalidInputException(
                    "dnssec.no-keys",
                    SourcePosition.file(request.keyDir().toString()),
                    "no key files of zone " + origin + " here; make one with: mxpolicy keygen --zone " + origin + " -K "
                            + request.keyDir());
        }
        Path out = request.output();
        PreviousOutput previous = previousOutput(out, origin, notes);
        // What mxpolicy verified when it wrote OUT need not be checked cryptographically again.
        ZoneVerifier.VerifiedSignatures earlier = previous.verified()
                ? ZoneVerifier.VerifiedSignatures.of(origin, previous.records())
                : ZoneVerifier.VerifiedSignatures.none();
        ZoneSigner signer = new ZoneSigner(request.policy());
        ZoneVerifier verifier = new ZoneVerifier();
        SignedZone signed = signer.sign(origin, records, keys, now, previous.records(), progress);
        previous = null; // a large zone twice over is the peak of memory; let it go before verifying
        ZoneVerifier.Result check =
                verifier.verify(origin, signed.records(), now, Duration.ZERO, out.toString(), earlier, progress);
        if (check.hasErrors() && signed.signaturesKept() > 0) {
            // A kept signature that no longer verifies (a changed key, an edited file): sign everything anew.
            notes.add(out + ": signatures taken over from it do not verify; signing every RRset anew");
            earlier = null;
            signed = signer.sign(origin, records, keys, now, List.of(), progress);
            check = verifier.verify(
                    origin,
                    signed.records(),
                    now,
                    Duration.ZERO,
                    out.toString(),
                    ZoneVerifier.VerifiedSignatures.none(),
                    progress);
        }
        earlier = null;
        if (check.hasErrors()) {
            throw new VerificationFailedException(
                    out + ": not written: the signed zone does not verify (a bug in"
                            + " mxpolicy; please report it with the zone and --verbose output)",
                    check.findings().stream().filter(Finding::isError).toList());
        }
        // Reading, signing and verifying leave the previous zone and their indexes behind as garbage;
        // collecting it here lets the file's bytes fit where they were instead of growing the heap
        // (the peak of memory of a large zone's re-sign, on runtimes that grow the heap rather than collect).
        System.gc();
        // What is written is read back first: a record whose text reads as other data is never signed as success.
        boolean written = files.write(out, ZoneText.renderReadBack(origin, signed.records(), out.toString()));
        return new Result(
                out, written, signed, request.policy().denial(), check.verifiedEarlier(), zone.warnings(), notes);
    }

    /**
     * Refuses owned records that fall below a delegation in the zone file: the zone would hold them
     * as glue, unsigned, and resolvers would ask the child zone, not this one.
     */
    /**
     * Refuses a signed RRset whose TTL is above the key policy's {@code max_zone_ttl}: a retired
     * key goes once that long has passed since its last signature was served (RFC 7583 section
     * 3.2.1, Iret), so a longer TTL would let caches hold signatures no key in the DNSKEY RRset
     * verifies. As BIND's {@code max-zone-ttl}, the zone is refused rather than its TTLs cut.
     * Delegation NS records and glue are not signed, and the DNSKEY and denial records are made
     * with the signer's own TTLs: they do not count.
     */
    private static void requireTtlsWithin(Request request, List<Record> zone, Duration max)
            throws InvalidInputException {
        Name origin = request.origin();
        Set<Name> cuts = new HashSet<>();
        for (Record r : zone) {
            if (r.getType() == Type.NS && !r.getName().equals(origin)) {
                cuts.add(r.getName());
            }
        }
        for (Record r : zone) {
            if (r.getTTL() <= max.toSeconds() || remade(r.getType()) || unsigned(r, origin, cuts)) {
                continue;
            }
            throw new InvalidInputException(
                    "sign.ttl-above-max",
                    SourcePosition.file(request.zoneFile().toString()),
                    r.getName() + " " + Type.string(r.getType()) + " has TTL " + r.getTTL()
                            + ", above the key policy's max_zone_ttl of " + max.toSeconds()
                            + "s: a retired key would go while caches may still hold its signatures over it;"
                            + " lower the TTL or raise dnssec.max_zone_ttl");
        }
    }

    /** The types the signer makes itself, with its own TTLs, in place of the zone file's. */
    private static boolean remade(int type) {
        return type == Type.DNSKEY
                || type == Type.RRSIG
                || type == Type.NSEC
                || type == Type.NSEC3
                || type == Type.NSEC3PARAM;
    }

    /** A record at or below a zone cut that is not the cut's DS: not signed by this zone. */
    private static boolean unsigned(Record r, Name origin, Set<Name> cuts) {
        Name name = r.getName();
        for (int strip = 0; name.labels() - strip > origin.labels(); strip++) {
            Name ancestor = strip == 0 ? name : new Name(name, strip);
            if (cuts.contains(ancestor)) {
                return !(strip == 0 && r.getType() == Type.DS);
            }
        }
        return false;
    }

    private static void requireAuthoritative(Request request, List<Record> zone) throws InvalidInputException {
        Name origin = request.origin();
        Set<Name> cuts = new HashSet<>();
        for (Record r : zone) {
            if (r.getType() == Type.NS && !r.getName().equals(origin)) {
                cuts.add(r.getName());
            }
        }
        List<Finding> problems = new ArrayList<>();
        Set<Name> reported = new HashSet<>();
        for (Record r : request.owned().get().records()) {
            Name name = r.getName();
            for (int strip = 1; name.labels() - strip > origin.labels(); strip++) {
                Name ancestor = new Name(name, strip);
                if (cuts.contains(ancestor) && reported.add(name)) {
                    problems.add(Finding.error(
                            "sign.below-delegation",
                            SourcePosition.file(request.zoneFile().toString()),
                            name + " (from " + request.ownedSource() + ") is below the delegation " + ancestor
                                    + " in this zone file; put it in the zone of " + ancestor
                                    + " (add that zone under 'zones' in the config)"));
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
    private PreviousOutput previousOutput(Path out, Name origin, List<String> notes) {
        try {
            Optional<byte[]> read = files.previous(out);
            if (read.isEmpty()) {
                return PreviousOutput.NONE;
            }
            byte[] bytes = read.get();
            int body = ZoneText.verifiedBody(bytes);
            if (body >= 0) {
                // Exactly as mxpolicy wrote it: one record a line, so it can be read in parallel.
                return new PreviousOutput(ZoneFileReader.readLines(bytes, body, out.toString(), origin), true);
            }
            if (startsWith(bytes, ZoneText.VERIFIED_HEADER)) {
                notes.add(out + ": changed since mxpolicy verified and wrote it (the sha256 in its first line does not"
                        + " match); every signature taken over from it is verified again");
            }
            return new PreviousOutput(
                    ZoneFileReader.read(new ByteArrayInputStream(bytes), out.toString(), origin), false);
        } catch (InvalidInputException e) {
            notes.add(out + ": cannot read the previous signed zone ("
                    + e.findings().get(0).message() + "); signing every RRset anew");
            return PreviousOutput.NONE;
        }
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        return bytes.length >= p.length && Arrays.equals(bytes, 0, p.length, p, 0, p.length);
    }
}
