package org.mxpolicy.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.JsonKeyRollStore;
import org.mxpolicy.files.JsonLayout;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.files.KeyDirectoryFiles;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.keyroll.KeyRollRun;
import org.mxpolicy.keyroll.KeyStatus;
import org.mxpolicy.zone.ZoneFragment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mxpolicy keys}: DNSSEC key rollovers as the zones' key policies ({@code dnssec}) say. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = {
            "Roll the DNSSEC keys of the zones mxpolicy signs, as their 'dnssec' key policy says.",
            "See docs/keys.md for the steps and the waits."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy keys run -c /etc/mxpolicy/provider.yaml       # from a timer",
            "  mxpolicy keys status -c /etc/mxpolicy/provider.yaml --json"
        },
        subcommands = {KeysCommand.Run.class, KeysCommand.Status.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "name a subcommand: run or status");
    }

    /** The zones with a key policy, or those named with --zone. */
    static List<ZoneSettings> zones(ConfigFile file, List<String> only, CommandSpec spec) throws MxpolicyException {
        List<ZoneSettings> zones = new ArrayList<>();
        for (ZoneSettings z : file.config().zones().values()) {
            if (z.signing().flatMap(ZoneFileSigning::keyPolicy).isPresent()) {
                zones.add(z);
            }
        }
        if (only.isEmpty()) {
            return zones;
        }
        List<ZoneSettings> selected = new ArrayList<>();
        for (String name : only) {
            String wanted = KeyDirectory.zoneName(name).toString(true);
            ZoneSettings zone = zones.stream()
                    .filter(z -> z.name().equals(wanted))
                    .findFirst()
                    .orElseThrow(() -> new ParameterException(
                            spec.commandLine(),
                            "--zone " + name + " is not a zone with a 'dnssec' key policy in the config"));
            selected.add(zone);
        }
        return selected;
    }

    static KeyRollRun open(ConfigFile file, PublishingOptions.Setup setup, Clock clock, Consumer<String> log) {
        return new KeyRollRun(
                new KeyDirectoryFiles(),
                new JsonKeyRollStore(file.stateDir()),
                new KeyRollRun.Observers(setup.dns(), setup.authorities()),
                file.baseDir(),
                new SecureRandom(),
                clock,
                log);
    }

    static String line(KeyStatus s) {
        return "  " + s.name() + " " + s.role().name() + ": " + s.phase().name() + " ("
                + s.phase().words() + "); next: " + s.next();
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = {
                "Carry out each zone's key policy as far as it is safe now, then sign and publish the zone.",
                "Idempotent and safe at any time, also after a crash: each step follows from the key files, the",
                "saved sightings (rollover.state_dir/_dnssec/ZONE.json) and what the DNS serves. Run it from a",
                "timer, more often than the shortest TTL the policy waits for."
            },
            footer = {
                "",
                "Examples:",
                "  mxpolicy keys run -c /etc/mxpolicy/provider.yaml",
                "  */15 * * * *  mxpolicy  mxpolicy keys run -c /etc/mxpolicy/provider.yaml   # /etc/cron.d/mxpolicy"
            })
    static final class Run implements Callable<Integer> {
        @Mixin
        PublishingOptions common;

        @Option(
                names = {"-z", "--zone"},
                paramLabel = "ZONE",
                description = "Only this zone; repeatable (default: every zone with 'dnssec').")
        List<String> only = new ArrayList<>();

        @Spec
        CommandSpec spec;

        private final Clock clock;

        Run(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            ConfigFile file = ConfigFile.load(common.config);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Findings.print(err, file.warnings());
            Consumer<String> log = line -> err.println("mxpolicy keys run: " + line);
            List<ZoneSettings> zones = zones(file, only, spec);
            if (zones.isEmpty()) {
                err.println("mxpolicy keys run: no zone has a 'dnssec' key policy in " + common.config);
                return 0;
            }
            PublishingOptions.Setup setup = common.setup(spec, file, clock, log);
            KeyRollRun run = open(file, setup, clock, log);
            for (ZoneSettings zone : zones) {
                KeyRollRun.Outcome outcome = run.run(zone, name -> {
                    ZoneFragment fragment = file.desiredZone(clock.instant(), name);
                    setup.publication().publish(List.of(fragment), Set.of(), common.wait, out::println);
                });
                out.println("zone " + zone.name() + ":");
                outcome.decision().statuses().forEach(s -> out.println(line(s)));
            }
            return 0;
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Each key's phase and what comes next, with its date where one is known; nothing is changed.",
                "The dates count from what the last 'keys run' saw; a wait that has not started has none."
            },
            footer = {"", "Examples:", "  mxpolicy keys status -c /etc/mxpolicy/provider.yaml --json"})
    static final class Status implements Callable<Integer> {
        @Mixin
        PublishingOptions common;

        @Option(
                names = {"-z", "--zone"},
                paramLabel = "ZONE",
                description = "Only this zone; repeatable (default: every zone with 'dnssec').")
        List<String> only = new ArrayList<>();

        @Option(names = "--json", description = "JSON instead of text.")
        boolean json;

        @Spec
        CommandSpec spec;

        private final Clock clock;

        Status(Clock clock) {
            this.clock = clock;
        }

        @Override
        public Integer call() throws MxpolicyException {
            ConfigFile file = ConfigFile.load(common.config);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Findings.print(err, file.warnings());
            Consumer<String> log = line -> err.println("mxpolicy keys status: " + line);
            KeyRollRun run = open(file, common.setup(spec, file, clock, log), clock, log);
            List<Map<String, Object>> zonesJson = new ArrayList<>();
            for (ZoneSettings zone : zones(file, only, spec)) {
                KeyRollRun.Outcome outcome = run.status(zone);
                if (json) {
                    zonesJson.add(json(outcome));
                    continue;
                }
                out.println("zone " + zone.name() + ":");
                outcome.decision().statuses().forEach(s -> out.println(line(s)));
                outcome.decision().actions().forEach(a -> out.println("  due now: " + a.describe()));
                outcome.decision().notes().forEach(n -> out.println("  note: " + n));
            }
            if (json) {
                StringWriter text = new StringWriter();
                try {
                    JsonLayout.WRITER.writeValue(text, Map.of("zones", zonesJson));
                } catch (IOException e) {
                    throw new IllegalStateException("maps of strings always serialise", e);
                }
                out.println(text);
            }
            return 0;
        }

        private static Map<String, Object> json(KeyRollRun.Outcome outcome) {
            Map<String, Object> zone = new LinkedHashMap<>();
            zone.put("zone", outcome.zone());
            List<Map<String, Object>> keys = new ArrayList<>();
            for (KeyStatus s : outcome.decision().statuses()) {
                Map<String, Object> k = new LinkedHashMap<>();
                k.put("key", s.name());
                k.put("algorithm", s.key().algorithm());
                k.put("tag", s.key().tag());
                k.put("role", s.role().name().toLowerCase(java.util.Locale.ROOT));
                k.put("phase", s.phase().name().toLowerCase(java.util.Locale.ROOT));
                k.put("next", s.next());
                k.put("next_at", s.nextAt().map(Object::toString).orElse(null));
                keys.add(k);
            }
            zone.put("keys", keys);
            zone.put(
                    "due",
                    outcome.decision().actions().stream().map(a -> a.describe()).toList());
            zone.put("notes", outcome.decision().notes());
            return zone;
        }
    }
}
