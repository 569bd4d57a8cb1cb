package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mxpolicy.cert.KeyPairSpec;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.KeyStaging;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.probe.StartTlsProbe;
import org.mxpolicy.rollover.RolloverRun;
import org.mxpolicy.rollover.RolloverState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mxpolicy rollover}: staging, watching and (in an emergency) forcing a key change per MX. */
@Command(
        name = "rollover",
        mixinStandardHelpOptions = true,
        description = {
            "Certificate key rollover that never breaks DANE (RFC 7671 section 8).",
            "A next key is staged and its TLSA record published ahead; a certificate with it may go live only",
            "once that record has been served by every authoritative server for twice the TTL plus a margin; the",
            "old key's record goes once every address of the MX presents the new key. See docs/rollover.md."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy rollover prepare -c /etc/mxpolicy/provider.yaml --mx mx1.example.com",
            "  mxpolicy rollover status -c /etc/mxpolicy/provider.yaml",
            "  mxpolicy rollover run -c /etc/mxpolicy/provider.yaml      # from a timer, every 10 minutes"
        },
        subcommands = {
            RolloverCommand.Prepare.class,
            RolloverCommand.Status.class,
            RolloverCommand.Run.class,
            RolloverCommand.Now.class
        })
final class RolloverCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The rollover service of the config the options name, reporting to the command's streams. */
    static RolloverRun open(PublishingOptions options, CommandSpec spec, Clock clock) throws MxpolicyException {
        ConfigFile file = ConfigFile.load(options.config);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Findings.print(err, file.warnings());
        Consumer<String> log = line -> err.println("mxpolicy " + spec.qualifiedName() + ": " + line);
        PublishingOptions.Setup setup = options.setup(spec, file, clock, log);
        return new RolloverRun(
                file.config(),
                file.baseDir(),
                file::certificates,
                file.rolloverStore(),
                new KeyStaging(file.stateDir()),
                file::desiredZone,
                new RolloverRun.Observers(
                        setup.dns(),
                        setup.authorities(),
                        setup.addresses(),
                        new StartTlsProbe(options.timeout, "localhost.localdomain")),
                setup.publication(),
                options.timeout,
                clock,
                out::println,
                log);
    }

    static MxHost mx(RolloverRun run, CommandSpec spec, String host) {
        return run.mxHost(host)
                .orElseThrow(() -> new ParameterException(
                        spec.commandLine(), "--mx " + host + " is not an MX host of the config"));
    }

    @Command(
            name = "prepare",
            mixinStandardHelpOptions = true,
            description = {
                "Stage the next key of an MX, with a certificate request, and publish its TLSA record.",
                "The key is like the current one (or --key-type); next.csr names the MX names, for certbot --csr,",
                "lego --csr or acme.sh --signcsr. Once 'rollover status' says READY, get a certificate for it and",
                "deploy it; 'renew-hook' finishes the rollover."
            },
            footer = {
                "",
                "Examples:",
                "  mxpolicy rollover prepare -c /etc/mxpolicy/provider.yaml --mx mx1.example.com",
                "  mxpolicy rollover prepare -c provider.yaml --mx mx1.example.com --key-type ec-p384",
                "  certbot certonly --csr /var/lib/mxpolicy/mx1.example.com/next.csr ...   # once status says READY"
            })
    static final class Prepare implements Callable<Integer> {
        @Mixin
        PublishingOptions common;

        @Option(names = "--mx", required = true, paramLabel = "HOST", description = "The MX host.")
        String host;

        @Option(
                names = "--key-type",
                paramLabel = "TYPE",
                description =
                        "ec-p256, ec-p384, rsa-2048, rsa-3072, rsa-4096 or ed25519 (default: like the current key).")
        String keyType;

        @Option(names = "--force", description = "Replace a staged next key that is not yet READY.")
        boolean force;

        @Spec
        CommandSpec spec;

        private final Clock clock;

        Prepare(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            RolloverRun run = open(common, spec, clock);
            Optional<KeyPairSpec> kind = keyType == null
                    ? Optional.empty()
                    : Optional.of(KeyPairSpec.parse(keyType, SourcePosition.file("--key-type")));
            RolloverState state = run.prepare(mx(run, spec, host), kind, force, common.wait);
            spec.commandLine().getOut().println(run.describe(state));
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Each MX's rollover phase and the time left before its next key may go live.",
                "Observes whether the next key's record is served by every authoritative server and saves when it",
                "first was: run it from a timer (see docs/rollover.md) so the waiting time starts counting.",
                "Each line starts with the MX host and its phase: NO_NEXT, NEXT_UNPUBLISHED, NEXT_AGING, READY",
                "or RETIRING."
            },
            footer = {
                "",
                "Examples:",
                "  mxpolicy rollover status -c /etc/mxpolicy/provider.yaml",
                "  mxpolicy rollover status -c provider.yaml --mx mx1.example.com | grep -q ': READY ('"
            })
    static final class Status implements Callable<Integer> {
        @Mixin
        PublishingOptions common;

        @Option(names = "--mx", paramLabel = "HOST", description = "Only this MX host (default: all).")
        String host;

        @Spec
        CommandSpec spec;

        private final Clock clock;

        Status(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            RolloverRun run = open(common, spec, clock);
            List<MxHost> hosts = host == null ? run.mxHosts() : List.of(mx(run, spec, host));
            run.status(hosts).forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Advance every MX's rollover as far as it is safe (for a timer).",
                "Records when next keys' records are served everywhere, and drops the record of a retiring key once",
                "every address of its MX presents the current key."
            },
            footer = {
                "",
                "Examples:",
                "  mxpolicy rollover run -c /etc/mxpolicy/provider.yaml",
                "  */10 * * * *  root  mxpolicy rollover run -c /etc/mxpolicy/provider.yaml   # /etc/cron.d/mxpolicy"
            })
    static final class Run implements Callable<Integer> {
        @Mixin
        PublishingOptions common;

        @Spec
        CommandSpec spec;

        private final Clock clock;

        Run(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            RolloverRun run = open(common, spec, clock);
            RolloverRun.Advanced advanced = run.advance(common.wait);
            advanced.lines().forEach(spec.commandLine().getOut()::println);
            if (!advanced.failed().isEmpty()) {
                throw new VerificationFailedException("a retiring record could not be removed yet", advanced.failed());
            }
            return 0;
        }
    }

    @Command(
            name = "now",
            mixinStandardHelpOptions = true,
            description = {
                "Emergency rollover: the current key is compromised, switch to the READY next key now.",
                "The next key becomes current at once and the compromised key's record is removed. Install the",
                "certificate for the next key first (the request is next.csr in the MX's state directory); refused",
                "without a READY next key."
            },
            footer = {
                "",
                "Examples:",
                "  # install the certificate for the staged key (next.key, next.csr in the MX's state directory), then:",
                "  mxpolicy rollover now -c /etc/mxpolicy/provider.yaml --mx mx1.example.com"
            })
    static final class Now implements Callable<Integer> {
        @Mixin
        PublishingOptions common;

        @Option(names = "--mx", required = true, paramLabel = "HOST", description = "The MX host.")
        String host;

        @Spec
        CommandSpec spec;

        private final Clock clock;

        Now(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            RolloverRun run = open(common, spec, clock);
            RolloverState state = run.emergency(mx(run, spec, host), common.wait);
            spec.commandLine().getOut().println(run.describe(state));
            return 0;
        }
    }
}
