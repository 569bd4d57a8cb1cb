package org.mxpolicy.check;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.mxpolicy.desired.DesiredDomain;
import org.mxpolicy.desired.DesiredMx;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.desired.Nameserver;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.plan.Planner;
import org.mxpolicy.plan.Refusal;
import org.mxpolicy.plan.SafetyRules;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;

/**
 * The cron check: every zone, domain and MX host of the config observed at once (bounded by
 * {@link CheckSettings#parallelism()}), then the plan from desired to observed with its safety
 * rules, and, when there is a report store, what the TLS reports say ({@link ReportCheck}). Each observation has its own timeout in its adapter, so one unreachable host costs its
 * own timeout and never stalls the others.
 */
public final class CheckRunner {

    private final Observers observers;
    private final CheckSettings settings;
    private final Clock clock;

    public CheckRunner(Observers observers, CheckSettings settings, Clock clock) {
        this.observers = observers;
        this.settings = settings;
        this.clock = clock;
    }

    /** Observes what {@code desired} describes; its certificates were read, so a bad file never gets this far. */
    public CheckReport run(DesiredState desired) {
        Instant started = clock.instant();
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(settings.parallelism(), r -> {
            Thread t = new Thread(r, "check-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            ZoneCheck zoneCheck = new ZoneCheck(observers, settings, clock);
            DomainCheck domainCheck = new DomainCheck(observers);
            MxCheck mxCheck = new MxCheck(observers, settings, clock);

            Map<ZoneFragment, Future<ZoneCheck.Outcome>> zones = new LinkedHashMap<>();
            for (ZoneFragment fragment : desired.zones()) {
                List<Nameserver> nameservers = desired.nameservers().getOrDefault(fragment.zoneName(), List.of());
                zones.put(fragment, pool.submit(() -> zoneCheck.run(nameservers, fragment)));
            }
            List<Future<DomainCheck.Outcome>> domains = new ArrayList<>();
            Map<String, DomainPolicy> policyOf = DomainPolicy.byDomain(desired.policies());
            for (DesiredDomain domain : desired.domains()) {
                Optional<DomainPolicy> policy = Optional.ofNullable(policyOf.get(domain.name()));
                domains.add(pool.submit(() -> domainCheck.run(domain, policy)));
            }
            Map<DesiredMx, Future<MxCheck.Outcome>> hosts = new LinkedHashMap<>();
            for (DesiredMx mx : desired.mxHosts()) {
                hosts.put(mx, pool.submit(() -> mxCheck.run(mx)));
            }

            List<CheckResult> results = new ArrayList<>();
            List<RecordSet> observed = new ArrayList<>();
            List<Expiry> expiries = new ArrayList<>();
            Map<Name, List<List<X509Certificate>>> chainsInUse = new HashMap<>();
            for (Map.Entry<DesiredMx, Future<MxCheck.Outcome>> e : hosts.entrySet()) {
                MxCheck.Outcome outcome = await(e.getValue());
                results.addAll(outcome.results());
                expiries.addAll(outcome.expiries());
                chainsInUse.put(e.getKey().tlsaOwner(), outcome.chainsInUse());
                outcome.observedTlsa().ifPresent(observed::add);
            }
            List<SafetyRules.PolicyState> policies = new ArrayList<>();
            for (Future<DomainCheck.Outcome> f : domains) {
                DomainCheck.Outcome outcome = await(f);
                results.addAll(outcome.results());
                outcome.policy().ifPresent(policies::add);
                observed.addAll(outcome.observed());
            }
            SafetyRules rules = new SafetyRules(chainsInUse, policies, desired.httpsReportOwners());
            List<ZonePlan> plans = new ArrayList<>();
            for (Map.Entry<ZoneFragment, Future<ZoneCheck.Outcome>> e : zones.entrySet()) {
                ZoneCheck.Outcome outcome = await(e.getValue());
                results.addAll(outcome.results());
                expiries.addAll(outcome.expiries());
                if (outcome.observed() != null) {
                    ZonePlan plan = plan(e.getKey(), outcome, rules);
                    plans.add(plan);
                    results.addAll(planResults(e.getKey().zoneName(), plan));
                }
            }
            Optional<ReportMetrics> reportMetrics = Optional.empty();
            if (observers.reports().isPresent()) {
                // after the observations, so that failures are explained against what was just seen
                ReportCheck.Outcome outcome =
                        new ReportCheck(observers.reports().get(), clock).run(desired, observed, started);
                results.addAll(outcome.results());
                reportMetrics = outcome.metrics();
            }
            return new CheckReport(
                    started, Duration.between(started, clock.instant()), results, plans, expiries, reportMetrics);
        } finally {
            pool.shutdownNow();
        }
    }

    static ZonePlan plan(ZoneFragment desired, ZoneCheck.Outcome outcome, SafetyRules rules) {
        List<RrsetChange> changes = Planner.plan(desired.rrsets(), outcome.observed());
        List<Refusal> refusals = rules.check(changes, desired.zone());
        return new ZonePlan(desired.zone(), changes, refusals);
    }

    private static List<CheckResult> planResults(String zone, ZonePlan plan) {
        List<CheckResult> results = new ArrayList<>();
        for (Refusal refusal : plan.refusals()) {
            results.add(CheckResult.critical(refusal.id(), zone, refusal.reason()));
        }
        if (!plan.isEmpty() && !plan.refused()) {
            results.add(CheckResult.warning(
                    "plan.pending",
                    zone,
                    plan.changes().size() + " RRset change(s) to publish;"
                            + " see the plan, apply with mxpolicy publish --apply"));
        } else if (plan.isEmpty()) {
            results.add(CheckResult.ok("plan.in-sync", zone, "every record mxpolicy owns is served as configured"));
        }
        return results;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("check interrupted", e);
        } catch (ExecutionException e) {
            // adapters report trouble as observations; anything thrown is a bug
            throw new IllegalStateException("check failed: " + e.getCause(), e.getCause());
        }
    }
}
