package org.mxpolicy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mxpolicy.check.CheckReport;
import org.mxpolicy.check.CheckResult;
import org.mxpolicy.check.CheckStatus;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.check.ReportMetrics;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.plan.Refusal;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.tlsrpt.ReportStore;
import org.mxpolicy.tlsrpt.ReportSummary;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code check --merge}: the JSON reports of the N shards of one config read back into one report,
 * as if one machine had checked everything. Refuses files of different configs or shard counts, a
 * shard given twice or missing, and anything that is not the JSON of {@code check --shard}.
 */
final class CheckMerge {

    /** A shard's report of 20,000 domains is a few tens of MiB; this leaves room, and bounds a wrong file. */
    static final InputLimit SIZE_LIMIT = new InputLimit("check JSON file", "merge.size", 256 * 1024 * 1024);

    /** The merged report and what it was merged from. */
    record Merged(CheckReport report, int count, List<Integer> shards, String fingerprint, List<JsonNode> domains) {
        /** The JSON members saying which shards were merged, and the domains of all of them. */
        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("merged", shards);
            m.put("count", count);
            m.put("config", fingerprint);
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("shards", m);
            if (!domains.isEmpty()) {
                top.put("domains", domains);
            }
            return top;
        }
    }

    /** What identifies a shard's file; its report is read into the merged lists and not kept, one tree at a time. */
    private record Shard(Path file, int index, int count, String fingerprint) {}

    private CheckMerge() {}

    /**
     * @param expectedFingerprint the config's fingerprint when one was given with {@code -c}, else null
     */
    static Merged merge(List<Path> files, String expectedFingerprint, String configName) throws InvalidInputException {
        ObjectMapper mapper = new ObjectMapper();
        Map<Integer, Shard> byIndex = new TreeMap<>();
        Shard first = null;
        Instant start = null;
        Instant end = null;
        List<CheckResult> results = new ArrayList<>();
        List<ZonePlan> plans = new ArrayList<>();
        List<Expiry> expiries = new ArrayList<>();
        List<JsonNode> domains = new ArrayList<>();
        Optional<ReportMetrics> reports = Optional.empty();
        for (Path file : files) {
            JsonNode top = read(mapper, file);
            Shard shard = shard(file, top);
            if (first == null) {
                first = shard;
                if (expectedFingerprint != null && !expectedFingerprint.equals(shard.fingerprint())) {
                    throw refused(file, "is the check of a different config than " + configName);
                }
            } else if (shard.count() != first.count()) {
                throw refused(
                        file,
                        "is shard " + shard.index() + "/" + shard.count() + ", but " + first.file() + " is one of "
                                + first.count() + " shards");
            } else if (!shard.fingerprint().equals(first.fingerprint())) {
                throw refused(file, "is the check of a different config than " + first.file());
            }
            Shard twin = byIndex.putIfAbsent(shard.index(), shard);
            if (twin != null) {
                throw refused(
                        file,
                        "is shard " + shard.index() + "/" + shard.count() + " again (also " + twin.file()
                                + "); give each shard once");
            }
            try {
                Instant started = Instant.parse(text(top, "started_at"));
                Instant finished = started.plusMillis(Math.round(number(top, "seconds") * 1000));
                start = start == null || started.isBefore(start) ? started : start;
                end = end == null || finished.isAfter(end) ? finished : end;
                readResults(top, results);
                readPlans(top, plans);
                readExpiries(top, expiries);
                top.path("domains").forEach(domains::add);
                reports = mergeReports(file, reports, ReportMetricsJson.read(top));
            } catch (DateTimeException | IllegalArgumentException | TextParseException e) {
                throw notCheckJson(file, e.getMessage());
            }
        }
        if (first == null) {
            throw new IllegalStateException("picocli requires at least one file");
        }
        List<Integer> missing = new ArrayList<>();
        for (int k = 1; k <= first.count(); k++) {
            if (!byIndex.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidInputException(
                    "merge.shard-missing",
                    SourcePosition.file(first.file().toString()),
                    "is one of " + first.count() + " shards, but shard(s) "
                            + String.join(
                                    ", ", missing.stream().map(String::valueOf).toList())
                            + " are not given; merge all " + first.count());
        }
        plans.sort(Comparator.comparing(ZonePlan::zone));
        expiries.sort(Comparator.comparing(Expiry::kind)
                .thenComparing(Expiry::subject)
                .thenComparing(Expiry::source)
                .thenComparing(Expiry::notAfter));
        CheckReport report = new CheckReport(start, Duration.between(start, end), results, plans, expiries, reports);
        domains.sort(Comparator.comparing(d -> d.path("domain").asText()));
        return new Merged(report, first.count(), List.copyOf(byIndex.keySet()), first.fingerprint(), domains);
    }

    /**
     * Each shard read the reports of its own domains, so their groups and last reports are put
     * together; shards that judged them over different windows are not one check.
     */
    private static Optional<ReportMetrics> mergeReports(
            Path file, Optional<ReportMetrics> sofar, Optional<ReportMetrics> shard) throws InvalidInputException {
        if (shard.isEmpty()) {
            return sofar;
        }
        if (sofar.isEmpty()) {
            return shard;
        }
        ReportMetrics a = sofar.get();
        ReportMetrics b = shard.get();
        if (!a.window().equals(b.window())) {
            throw refused(
                    file,
                    "judged the TLS reports over " + b.window().toSeconds() + " s, another shard over "
                            + a.window().toSeconds() + " s");
        }
        List<ReportSummary.Group> groups = new ArrayList<>(a.groups());
        groups.addAll(b.groups());
        groups.sort(Comparator.comparing(ReportSummary.Group::domain)
                .thenComparing(ReportSummary.Group::policyType)
                .thenComparing(ReportSummary.Group::mxHosts));
        List<ReportStore.LastReport> last = new ArrayList<>(a.lastReports());
        last.addAll(b.lastReports());
        last.sort(Comparator.comparing(ReportStore.LastReport::domain));
        return Optional.of(new ReportMetrics(a.window(), groups, last));
    }

    private static JsonNode read(ObjectMapper mapper, Path file) throws InvalidInputException {
        byte[] bytes = InputFiles.read(file, SIZE_LIMIT);
        JsonNode top;
        try {
            top = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw notCheckJson(file, "not JSON");
        } catch (IOException e) {
            throw notCheckJson(file, e.getMessage());
        }
        if (top == null
                || !top.isObject()
                || !top.path("results").isArray()
                || !top.path("plans").isArray()
                || !top.path("expiries").isArray()) {
            throw notCheckJson(file, "no results, plans and expiries");
        }
        return top;
    }

    private static Shard shard(Path file, JsonNode top) throws InvalidInputException {
        JsonNode shard = top.path("shard");
        if (!shard.isObject()) {
            throw refused(file, "is not from a sharded run (mxpolicy check --shard K/N --format json)");
        }
        int index = shard.path("index").asInt(0);
        int count = shard.path("count").asInt(0);
        String fingerprint = shard.path("config").asText("");
        if (count < 1 || index < 1 || index > count || fingerprint.isEmpty()) {
            throw notCheckJson(file, "its shard member is not index, count and config");
        }
        return new Shard(file, index, count, fingerprint);
    }

    private static void readResults(JsonNode top, List<CheckResult> into) {
        for (JsonNode r : top.path("results")) {
            into.add(new CheckResult(
                    CheckStatus.valueOf(text(r, "status")), text(r, "id"), text(r, "subject"), text(r, "message")));
        }
    }

    private static void readPlans(JsonNode top, List<ZonePlan> into) throws TextParseException {
        for (JsonNode p : top.path("plans")) {
            Name zone = Name.fromString(text(p, "zone"));
            List<RrsetChange> changes = new ArrayList<>();
            for (JsonNode c : p.path("changes")) {
                Name owner = Name.fromString(text(c, "owner"));
                int type = Type.value(text(c, "type"));
                if (type < 0) {
                    throw new IllegalArgumentException("unknown type " + text(c, "type"));
                }
                changes.add(new RrsetChange(owner, type, records(c.path("before")), records(c.path("after"))));
            }
            List<Refusal> refusals = new ArrayList<>();
            for (JsonNode r : p.path("refusals")) {
                String rrset = r.path("rrset").isTextual() ? r.path("rrset").asText() : null;
                RrsetChange change = rrset == null
                        ? null
                        : changes.stream()
                                .filter(c -> c.rrsetName().equals(rrset))
                                .findFirst()
                                .orElse(null);
                refusals.add(new Refusal(text(r, "id"), change, text(r, "reason")));
            }
            into.add(new ZonePlan(zone, changes, refusals));
        }
    }

    /** Records as {@code RecordText.line} writes them: owner, TTL, class, type, RDATA. */
    private static List<Record> records(JsonNode lines) throws TextParseException {
        List<Record> records = new ArrayList<>();
        for (JsonNode line : lines) {
            String[] parts = line.asText().split(" ", 5);
            if (parts.length != 5 || !parts[2].equals("IN")) {
                throw new IllegalArgumentException("not a record: " + line.asText());
            }
            int type = Type.value(parts[3]);
            if (type < 0) {
                throw new IllegalArgumentException("unknown type " + parts[3]);
            }
            try {
                records.add(Record.fromString(
                        Name.fromString(parts[0]), type, DClass.IN, Long.parseLong(parts[1]), parts[4], Name.root));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a record: " + line.asText(), e);
            }
        }
        return records;
    }

    private static void readExpiries(JsonNode top, List<Expiry> into) {
        for (JsonNode e : top.path("expiries")) {
            into.add(new Expiry(
                    text(e, "kind"), text(e, "subject"), text(e, "source"), Instant.parse(text(e, "not_after"))));
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("no " + field);
        }
        return value.asText();
    }

    private static double number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("no " + field);
        }
        return value.asDouble();
    }

    private static InvalidInputException notCheckJson(Path file, String why) {
        return new InvalidInputException(
                "merge.not-check-json",
                SourcePosition.file(file.toString()),
                "is not the JSON of mxpolicy check --shard K/N --format json (" + why + ")");
    }

    private static InvalidInputException refused(Path file, String message) {
        return new InvalidInputException("merge.refused", SourcePosition.file(file.toString()), message);
    }
}
