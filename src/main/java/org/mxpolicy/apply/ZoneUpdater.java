package org.mxpolicy.apply;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.UpdateTarget;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.dns.UpdateException;
import org.mxpolicy.dnssec.SigningPolicy;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.zone.ZoneFragment;

/**
 * The APPLY step of publishing: a zone's plan sent through the {@link org.mxpolicy.dns.DynamicUpdate}
 * port, or its records merged into its zone file, signed and the DNS server reloaded. Updates of
 * different zones are sent concurrently; zone files are signed one after the other.
 */
public final class ZoneUpdater {

    private final ProviderConfig config;
    private final Path baseDir;
    private final DynamicUpdates updates;
    private final ZoneSigning signing;
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<String> log;
    private final LedgerStore ledger;

    /**
     * @param baseDir the config's directory, against which its file names are resolved
     * @param log where each applied change is reported as it happens (from several threads)
     */
    public ZoneUpdater(
            ProviderConfig config,
            Path baseDir,
            DynamicUpdates updates,
            ZoneSigning signing,
            Duration timeout,
            Clock clock,
            Consumer<String> log) {
        this(config, baseDir, updates, signing, timeout, clock, log, LedgerStore.NONE);
    }

    /** @param ledger where what each zone owns is kept: before the changes, and again after them */
    public ZoneUpdater(
            ProviderConfig config,
            Path baseDir,
            DynamicUpdates updates,
            ZoneSigning signing,
            Duration timeout,
            Clock clock,
            Consumer<String> log,
            LedgerStore ledger) {
        this.ledger = ledger;
        this.config = config;
        this.baseDir = baseDir;
        this.updates = updates;
        this.signing = signing;
        this.timeout = timeout;
        this.clock = clock;
        this.log = log;
    }

    /**
     * Sends the plans as updates and signs the zone files of {@code zones}; returns the zones whose
     * served data changed.
     */
    public List<ZoneFragment> apply(Map<ZoneFragment, ZonePlan> plans, List<ZoneFragment> zones)
            throws MxpolicyException {
        // Before: a crash in between must not forget what may already be published (both sides
        // owned) nor a withdrawal starting (serve must serve mode none when its id appears).
        OwnershipLedger before = ledger.load();
        ledger.save(owned(before, plans, true));
        List<ZoneFragment> changed = applyChanges(plans, zones);
        ledger.save(owned(before, plans, false));
        return changed;
    }

    /** The ledger with each planned zone's ownership once applied; with {@code union}, or before it. */
    private static OwnershipLedger owned(OwnershipLedger ledger, Map<ZoneFragment, ZonePlan> plans, boolean union) {
        OwnershipLedger next = ledger;
        for (ZonePlan plan : plans.values()) {
            OwnedZone after = plan.owned();
            if (union) {
                OwnedZone was = ledger.zone(plan.zone());
                java.util.SortedSet<org.mxpolicy.plan.RrsetKey> rrsets = new java.util.TreeSet<>(was.rrsets());
                rrsets.addAll(after.rrsets());
                java.util.SortedMap<String, OwnershipLedger.PolicyTerms> policies =
                        new java.util.TreeMap<>(was.policies());
                policies.putAll(after.policies());
                after = new OwnedZone(rrsets, policies, after.withdrawals(), after.mxCoverage());
            }
            next = next.with(plan.zone(), after);
        }
        return next;
    }

    private List<ZoneFragment> applyChanges(Map<ZoneFragment, ZonePlan> plans, List<ZoneFragment> zones)
            throws MxpolicyException {
        List<ZoneFragment> updated = plans.entrySet().stream()
                .filter(e -> !e.getValue().isEmpty()
                        && config.zones().get(e.getKey().zoneName()).update().isPresent())
                .map(Map.Entry::getKey)
                .toList();
        ConcurrentZones.map(updated, zone -> {
            update(zone, plans.get(zone));
            return zone;
        });
        List<ZoneFragment> changed = new ArrayList<>(updated);
        for (ZoneFragment zone : zones) {
            Optional<ZoneFileSigning> settings =
                    config.zones().get(zone.zoneName()).signing();
            if (settings.isPresent() && signZoneFile(withKept(zone, plans.get(zone)), settings.get())) {
                changed.add(zone);
            }
        }
        return changed;
    }

    /** The desired records plus the retiring RRsets the plan keeps this time. */
    private static ZoneFragment withKept(ZoneFragment zone, ZonePlan plan) {
        if (plan == null || plan.kept().isEmpty()) {
            return zone;
        }
        List<org.xbill.DNS.Record> records = new ArrayList<>(zone.records());
        plan.kept().forEach(records::addAll);
        return new ZoneFragment(zone.zone(), records);
    }

    private void update(ZoneFragment zone, ZonePlan plan) throws MxpolicyException {
        UpdateTarget target = config.zones().get(zone.zoneName()).update().get();
        try {
            int messages = updates.open(target).apply(zone.zone(), plan.changes());
            log.accept("zone " + zone.zone() + ": " + plan.changes().size() + " change(s) sent to " + target.server()
                    + " in " + messages + " update message(s)");
        } catch (UpdateException ex) {
            String hint = switch (ex.reason()) {
                case CONCURRENT_CHANGE -> "; the zone changed since it was read: run publish again to re-plan";
                case NOT_AUTHORIZED -> "; check the TSIG key (" + target.key().path() + ") and the server's update ACL";
                case UNAVAILABLE -> "";
            };
            throw new VerificationFailedException(
                    "zone " + zone.zone() + ": update not applied",
                    List.of(Finding.error(
                            "publish."
                                    + ex.reason()
                                            .name()
                                            .toLowerCase(Locale.ROOT)
                                            .replace('_', '-'),
                            target.position(),
                            ex.getMessage() + hint)));
        }
    }

    /** Merges, signs and writes the zone file as {@code mxpolicy sign} does; true when it changed. */
    private boolean signZoneFile(ZoneFragment zone, ZoneFileSigning settings) throws MxpolicyException {
        Path output = baseDir.resolve(settings.output().path());
        SigningPolicy policy = KeyPolicySigning.of(settings);
        ZoneSigning.Result result = signing.sign(
                new ZoneSigning.Request(
                        zone.zone(),
                        baseDir.resolve(settings.zoneFile().path()),
                        baseDir.resolve(settings.keys().path()),
                        Optional.of(zone),
                        config.source(),
                        output,
                        policy),
                clock.instant());
        result.warnings().forEach(w -> log.accept(w.format()));
        result.notes().forEach(log);
        log.accept("zone " + zone.zone() + ": " + output + (result.written() ? " signed and written" : " unchanged"));
        if (result.written() && settings.reload().isPresent()) {
            String command = settings.reload().get();
            ConfiguredCommand.run(command, timeout, "publish.reload", settings.position(), "the reload command");
            log.accept("ran '" + command + "'");
        }
        return result.written();
    }
}
