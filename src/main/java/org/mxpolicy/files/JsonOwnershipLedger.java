package org.mxpolicy.files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mxpolicy.apply.LedgerStore;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.plan.RrsetKey;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Keeps the {@link OwnershipLedger} in {@code <state_dir>/_ownership/ledger.json} (the underscore
 * keeps it apart from the rollover's per-host directories: no host name has one), written with
 * {@link AtomicFiles}. The ledger decides what {@code publish} deletes, so the state directory,
 * its directory and the file must belong to the user running mxpolicy and be writable by nobody
 * else ({@link OwnedPaths}); a link is refused. Without a state directory nothing is kept.
 */
public final class JsonOwnershipLedger implements LedgerStore {

    public static final String DIRECTORY = "_ownership";
    public static final String FILE = "ledger.json";
    public static final int FORMAT = 1;
    /** The finding of a ledger that is a link, another user's, or writable by others. */
    public static final String TRUST = "ownership.ledger-file";

    static final String INVALID = "ownership.ledger-invalid";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;

    public JsonOwnershipLedger(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path file() {
        return stateDir.resolve(DIRECTORY).resolve(FILE);
    }

    /** Whether there is a state directory to keep the ledger in. */
    public boolean available() {
        return Files.isDirectory(stateDir);
    }

    @Override
    public boolean keeps() {
        return available();
    }

    @Override
    public OwnershipLedger load() throws InvalidInputException {
        Path file = file();
        if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
            return OwnershipLedger.empty();
        }
        requireOwnedDirectories();
        OwnedPaths.requireFile(file, TRUST, OwnedPaths.Links.REFUSE);
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new InvalidInputException(
                    INVALID,
                    SourcePosition.file(file.toString()),
                    "cannot read the ownership ledger: " + e.getMessage());
        }
    }

    @Override
    public void save(OwnershipLedger ledger) throws InvalidInputException, AtomicFiles.WriteFailedException {
        if (!available()) {
            return;
        }
        requireOwnedDirectories();
        AtomicFiles.write(file(), write(ledger).getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
    }

    private void requireOwnedDirectories() throws InvalidInputException {
        OwnedPaths.requireDirectory(stateDir, TRUST, "go-w", OwnedPaths.Links.FOLLOW);
        Path dir = stateDir.resolve(DIRECTORY);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            OwnedPaths.requireDirectory(dir, TRUST, "go-w", OwnedPaths.Links.REFUSE);
        }
    }

    /** The ledger as JSON, zones and RRsets in canonical order, so equal ledgers are equal files. */
    public static String write(OwnershipLedger ledger) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        Map<String, Object> zones = new LinkedHashMap<>();
        ledger.zones().forEach((zone, owned) -> {
            Map<String, Object> z = new LinkedHashMap<>();
            List<Map<String, Object>> rrsets = new ArrayList<>();
            for (RrsetKey key : owned.rrsets()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("owner", key.owner().toString());
                r.put("type", Type.string(key.type()));
                rrsets.add(r);
            }
            z.put("rrsets", rrsets);
            Map<String, Object> policies = new LinkedHashMap<>();
            owned.policies().forEach((domain, terms) -> policies.put(domain, terms(terms)));
            z.put("mta_sts_policies", policies);
            Map<String, Object> withdrawals = new LinkedHashMap<>();
            owned.withdrawals().forEach((domain, w) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("started", w.started().toString());
                m.put("max_age", w.maxAge());
                m.put("id", w.id());
                m.put("terms", terms(w.terms()));
                withdrawals.put(domain, m);
            });
            z.put("mta_sts_withdrawals", withdrawals);
            Map<String, Object> coverage = new LinkedHashMap<>();
            owned.mxCoverage().forEach((domain, hosts) -> {
                Map<String, Object> m = new LinkedHashMap<>();
                hosts.forEach((host, since) -> m.put(host, since.toString()));
                coverage.put(domain, m);
            });
            z.put("mx_coverage", coverage);
            zones.put(zone.toString(), z);
        });
        root.put("zones", zones);
        try {
            return JsonLayout.WRITER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings and numbers always serialise", e);
        }
    }

    private static Map<String, Object> terms(PolicyTerms terms) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("max_age", terms.maxAge());
        terms.cert().ifPresent(c -> m.put("cert", c));
        terms.key().ifPresent(k -> m.put("key", k));
        return m;
    }

    /** Reads a ledger; anything malformed is one finding naming the file. */
    public static OwnershipLedger read(String text, String source) throws InvalidInputException {
        SourcePosition where = SourcePosition.file(source);
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject() || root.path("format").asInt(-1) != FORMAT) {
                throw new InvalidInputException(
                        INVALID, where, "not an ownership ledger of format " + FORMAT + "; move it away to rebuild it");
            }
            SortedMap<Name, OwnedZone> zones = new TreeMap<>();
            var fields = root.path("zones").fields();
            while (fields.hasNext()) {
                var zone = fields.next();
                JsonNode z = zone.getValue();
                SortedSet<RrsetKey> rrsets = new TreeSet<>();
                for (JsonNode r : z.path("rrsets")) {
                    int type = Type.value(r.path("type").asText());
                    if (type < 0) {
                        throw new IllegalArgumentException(
                                "unknown type " + r.path("type").asText());
                    }
                    rrsets.add(new RrsetKey(Name.fromString(r.path("owner").asText()), type));
                }
                SortedMap<String, PolicyTerms> policies = new TreeMap<>();
                var ps = z.path("mta_sts_policies").fields();
                while (ps.hasNext()) {
                    var p = ps.next();
                    policies.put(p.getKey(), terms(p.getValue()));
                }
                SortedMap<String, Withdrawal> withdrawals = new TreeMap<>();
                var ws = z.path("mta_sts_withdrawals").fields();
                while (ws.hasNext()) {
                    var w = ws.next();
                    JsonNode v = w.getValue();
                    withdrawals.put(
                            w.getKey(),
                            new Withdrawal(
                                    w.getKey(),
                                    Instant.parse(v.path("started").asText()),
                                    v.path("max_age").asLong(),
                                    v.path("id").asText(),
                                    terms(v.path("terms"))));
                }
                SortedMap<String, SortedMap<String, Instant>> coverage = new TreeMap<>();
                var cs = z.path("mx_coverage").fields();
                while (cs.hasNext()) {
                    var c = cs.next();
                    SortedMap<String, Instant> hosts = new TreeMap<>();
                    var hs = c.getValue().fields();
                    while (hs.hasNext()) {
                        var h = hs.next();
                        hosts.put(h.getKey(), Instant.parse(h.getValue().asText()));
                    }
                    coverage.put(c.getKey(), hosts);
                }
                zones.put(Name.fromString(zone.getKey()), new OwnedZone(rrsets, policies, withdrawals, coverage));
            }
            return new OwnershipLedger(zones);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException(
                    INVALID, where, "is not valid JSON: " + e.getOriginalMessage() + "; move it away to rebuild it");
        } catch (TextParseException | DateTimeParseException | IllegalArgumentException e) {
            throw new InvalidInputException(INVALID, where, "has a malformed entry: " + e.getMessage());
        }
    }

    private static PolicyTerms terms(JsonNode node) {
        return new PolicyTerms(
                node.path("max_age").asLong(),
                Optional.ofNullable(node.get("cert")).map(JsonNode::asText),
                Optional.ofNullable(node.get("key")).map(JsonNode::asText));
    }
}
