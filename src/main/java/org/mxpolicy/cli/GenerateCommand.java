package org.mxpolicy.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.zone.RecordText;
import org.mxpolicy.zone.ZoneFileRenderer;
import org.mxpolicy.zone.ZoneFragment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mxpolicy generate}: every record the config owns, per DNS zone. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print every DNS record the config owns, grouped by zone.",
            "TLSA for each MX host (3 1 1 current and next key,",
            "2 1 1 issuers), _mta-sts TXT, _smtp._tls TXT and client-service SRV records, grouped by zone.",
            "Output is deterministic: the same input gives the same bytes."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy generate -c /etc/mxpolicy/provider.yaml",
            "  mxpolicy generate -c provider.yaml -o /var/lib/mxpolicy/zones   # DIR/<zone>.zone, for $INCLUDE",
            "  mxpolicy generate -c provider.yaml --format nsupdate | nsupdate -k /etc/mxpolicy/tsig.key",
            "  mxpolicy generate -c provider.yaml --format json | jq '.zones[].records[]'"
        })
final class GenerateCommand implements Callable<Integer> {

    enum Format {
        zone,
        nsupdate,
        json
    }

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "CONFIG",
            description = "Provider config (YAML).")
    private Path config;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "DIR",
            description =
                    "Write one file per zone into DIR (DIR/<zone>.zone, or .nsupdate/.json) instead of stdout."
                            + " Files are replaced atomically and left untouched when unchanged. DIR must exist, unless --mkdir.")
    private Path outputDir;

    @Option(
            names = "--mkdir",
            description = "Make DIR when it is missing (without it, a missing directory is refused).")
    private boolean mkdir;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "zone",
            description = "zone (RFC 1035 zone fragments, default), nsupdate (RFC 2136 script) or json.")
    private Format format;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    GenerateCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        if (outputDir != null) {
            OutputPaths.directory(outputDir, mkdir);
        }
        ConfigFile file = ConfigFile.load(config);
        DesiredState desired = file.desiredState(clock.instant());
        Findings.print(spec.commandLine().getErr(), file.warnings(desired));

        String source = config.getFileName().toString();
        if (outputDir == null) {
            spec.commandLine().getOut().print(render(desired.zones(), desired, source));
            spec.commandLine().getOut().flush();
            return 0;
        }
        Map<Path, byte[]> files = new LinkedHashMap<>();
        for (ZoneFragment zone : desired.zones()) {
            String text = render(List.of(zone), desired, source);
            files.put(outputDir.resolve(zone.zoneName() + "." + extension()), text.getBytes(StandardCharsets.UTF_8));
        }
        var outcomes = AtomicFiles.write(files, AtomicFiles.PUBLIC);
        outcomes.forEach((path, outcome) -> spec.commandLine()
                .getErr()
                .println("mxpolicy: " + path + ": "
                        + (outcome == AtomicFiles.Outcome.WRITTEN ? "written" : "unchanged")));
        return 0;
    }

    private String extension() {
        return format == Format.zone ? "zone" : format.name();
    }

    /** The policies whose {@code _mta-sts} record lies in one of {@code zones}. */
    private static List<DomainPolicy> policiesIn(List<ZoneFragment> zones, DesiredState desired) {
        return desired.policies().stream()
                .filter(p -> zones.stream()
                        .anyMatch(z -> z.records().stream()
                                .anyMatch(r -> RecordText.owner(r).equals("_mta-sts." + p.domain() + "."))))
                .toList();
    }

    private String render(List<ZoneFragment> zones, DesiredState desired, String source) {
        return switch (format) {
            case zone -> {
                StringBuilder sb = new StringBuilder();
                for (ZoneFragment z : zones) {
                    if (sb.length() > 0) {
                        sb.append('\n');
                    }
                    sb.append(ZoneFileRenderer.zoneFragment(z, source));
                }
                yield sb.toString();
            }
            case nsupdate -> ZoneFileRenderer.nsupdate(zones, source);
            case json -> GenerateJson.render(zones, policiesIn(zones, desired));
        };
    }
}
