package org.mxpolicy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code mxpolicy} command; the work is done by its subcommands. */
@Command(
        name = "mxpolicy",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "DNS records and policies for secure mail transport (BSI TR-03108): DANE TLSA,",
            "MTA-STS, TLS-RPT and client SRV records from your certificates and one config file."
        },
        subcommands = {
            TlsaCommand.class,
            GenerateCommand.class,
            PolicyCommand.class,
            KeygenCommand.class,
            DsCommand.class,
            SignCommand.class,
            VerifyCommand.class,
            ServeCommand.class,
            CheckCommand.class,
            PublishCommand.class,
            RolloverCommand.class,
            RenewHookCommand.class,
            ReportsCommand.class,
            AuditCommand.class,
            ReportCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 the work failed or found a problem, 2 bad usage or bad input.",
            "Run 'mxpolicy COMMAND --help' for a command's options and examples."
        })
public final class MxpolicyCommand implements Callable<Integer> {

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces with errors (for bug reports).")
    private boolean verbose;

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    boolean verbose() {
        return verbose;
    }

    /** Without a command there is nothing to do: the usage goes to stderr and the exit code says so. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.EXIT_BAD_INPUT;
    }
}
