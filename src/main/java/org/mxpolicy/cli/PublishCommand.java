package org.mxpolicy.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mxpolicy.apply.Publication;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.plan.PlanText;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mxpolicy publish}: plan (by default) or apply the records the config owns, then wait
 * until every authoritative server serves them and they validate.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Publish the records the config owns (a dry run that prints the plan unless --apply).",
            "Zones are updated with RFC 2136 and TSIG, or merged into a zone file that is signed and reloaded.",
            "For each zone with 'update', the RRsets mxpolicy owns are read from the zone's primary and compared",
            "with the desired ones; the plan (create, change, delete per RRset) is printed, and with --apply sent",
            "as RFC 2136 updates signed with TSIG, each RRset's current content as a prerequisite, so a",
            "concurrent change is detected instead of overwritten. For each zone with 'sign', the records are",
            "merged into the zone file, the zone is signed and verified (as mxpolicy sign does), and the reload",
            "command runs. Then publish waits until every authoritative server serves the new data and it",
            "validates.",
            "",
            "A plan that would remove the TLSA record of a certificate still in use (on disk or presented live by",
            "the MX) or ask for TLS reports over https is refused, and nothing is applied.",
            "",
            "Records mxpolicy published and the config no longer asks for are retired: known from the ledger in",
            "the state directory and the ownership markers (_mxpolicy.<name> TXT) in zones updated by RFC 2136,",
            "they are deleted when the retirement rules allow (a TLSA record stays while an MX names its host;",
            "an MTA-STS policy is withdrawn with mode none for its max_age first). Records mxpolicy does not own",
            "are never touched. A plan deleting more than ownership.max_deletion_percent of a zone's owned",
            "records is refused without --force."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy publish -c /etc/mxpolicy/provider.yaml            # print the plan",
            "  mxpolicy publish -c /etc/mxpolicy/provider.yaml --apply    # apply it and wait",
            "Exit codes: 0 applied (or nothing to do, or a dry run), 1 refused, rejected or not served in",
            "time, 2 bad usage or bad input."
        })
final class PublishCommand implements Callable<Integer> {

    @Mixin
    private PublishingOptions common;

    @Option(names = "--apply", description = "Apply the plan (without it, only print it).")
    private boolean apply;

    @Option(
            names = "--force",
            description =
                    "Apply a plan that deletes more than ownership.max_deletion_percent of a zone's owned records.")
    private boolean force;

    @Option(
            names = {"-z", "--zone"},
            paramLabel = "ZONE",
            description = "Only this zone; repeatable (default: all).")
    private List<String> onlyZones = new ArrayList<>();

    @Spec
    private CommandSpec spec;

    private final Clock clock;

    PublishCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Integer call() throws MxpolicyException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ConfigFile file = ConfigFile.load(common.config);
        DesiredState desired = file.desiredState(clock.instant());
        Findings.print(err, file.warnings(desired));
        List<ZoneFragment> zones = selectedZones(file, desired, err);

        Publication publication = common.setup(spec, file, clock, line -> err.println("mxpolicy publish: " + line))
                .publication();
        Map<ZoneFragment, ZonePlan> plans = publication.planner().plan(zones, Set.of(), force);
        for (ZoneFragment zone : zones) {
            if (file.config().zones().get(zone.zoneName()).signing().isPresent()) {
                out.println("zone " + zone.zone() + ": merged into its zone file and signed"
                        + (apply ? "" : " with --apply"));
            }
        }
        PlanText.lines(List.copyOf(plans.values())).forEach(out::println);
        out.flush();
        publication.planner().requireAccepted(plans);
        if (!apply) {
            err.println("mxpolicy publish: dry run, nothing changed; apply with --apply");
            return 0;
        }

        List<ZoneFragment> changed = publication.updater().apply(plans, zones);
        if (changed.isEmpty()) {
            err.println("mxpolicy publish: nothing to change");
        } else {
            publication.served().require(changed, common.wait);
            if (!common.wait.isZero()) {
                err.println("mxpolicy publish: served by every authoritative server and validated");
            }
        }
        publication
                .published()
                .record(zones, policyTexts(desired))
                .ifPresent(problem -> err.println("mxpolicy publish: " + problem));
        return 0;
    }

    /** The MTA-STS policy text of each domain, as the history keeps what the published id names. */
    private static Map<String, String> policyTexts(DesiredState desired) {
        Map<String, String> texts = new java.util.LinkedHashMap<>();
        desired.policies().forEach(p -> texts.put(p.domain(), p.policy().text()));
        return texts;
    }

    private List<ZoneFragment> selectedZones(ConfigFile file, DesiredState desired, PrintWriter err)
            throws InvalidInputException {
        List<Name> wanted = new ArrayList<>();
        for (String z : onlyZones) {
            Name name = KeyDirectory.zoneName(z);
            if (desired.zones().stream().noneMatch(f -> f.zone().equals(name))) {
                throw new ParameterException(spec.commandLine(), "--zone " + z + " is not a zone of " + common.config);
            }
            wanted.add(name);
        }
        List<ZoneFragment> zones = new ArrayList<>();
        for (ZoneFragment zone : desired.zones()) {
            if (!wanted.isEmpty() && !wanted.contains(zone.zone())) {
                continue;
            }
            ZoneSettings settings = file.config().zones().get(zone.zoneName());
            if (settings.update().isEmpty() && settings.signing().isEmpty()) {
                err.println("mxpolicy publish: zone " + zone.zone() + " has neither 'update' nor 'sign' in "
                        + file.config().source() + "; skipped (mxpolicy generate writes its records for other tools)");
                continue;
            }
            zones.add(zone);
        }
        return zones;
    }
}
