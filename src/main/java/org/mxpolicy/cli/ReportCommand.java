package org.mxpolicy.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.mxpolicy.config.ServeSettings;
import org.mxpolicy.files.AtomicFiles;
import org.mxpolicy.files.OutputPaths;
import org.mxpolicy.files.StatusFiles;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.status.StatusModel;
import org.mxpolicy.status.StatusSite;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mxpolicy report}: the overview of the status pages as one HTML file that stands alone
 * (stylesheet inside, no links), from a saved check run.
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "The status overview of a saved check run as one self-contained HTML file.",
            "Reads the JSON of mxpolicy check --format json -o FILE; probes nothing. Every domain is one row,",
            "worst first; the file has its stylesheet inside and no scripts, for mail or a ticket."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy check -c provider.yaml --format json -o /var/lib/mxpolicy/check.json",
            "  mxpolicy report --check /var/lib/mxpolicy/check.json --format html -o status.html"
        })
final class ReportCommand implements Callable<Integer> {

    /** The one format there is; an option so the command line says what it gets. */
    enum Format {
        html
    }

    @Option(
            names = "--check",
            required = true,
            paramLabel = "JSON",
            description = "The saved check run (mxpolicy check --format json -o JSON).")
    private Path check;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "html", description = "html (default).")
    private Format format;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FILE",
            description = "Write the report to FILE (atomically) instead of stdout.")
    private Path output;

    @Option(
            names = "--mkdir",
            description = "Make FILE's directory when it is missing (without it, a missing directory is refused).")
    private boolean mkdir;

    @Option(
            names = "--stale-after",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Warn in the report when the check run is older than this (default: 20m).")
    private Duration staleAfter = ServeSettings.DEFAULT_STALE_AFTER;

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    ReportCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        if (output != null) {
            OutputPaths.file(output, mkdir);
        }
        StatusModel model = StatusFiles.read(check);
        String html = switch (format) {
            case html -> StatusSite.report(model, clock.instant(), staleAfter);
        };
        if (output != null) {
            AtomicFiles.write(output, html.getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC);
        } else {
            spec.commandLine().getOut().print(html);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
