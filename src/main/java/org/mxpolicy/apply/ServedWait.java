package org.mxpolicy.apply;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.mxpolicy.check.ZoneServers;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.desired.Nameserver;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.Planner;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The VERIFY step of publishing: polls until every authoritative server of each changed zone
 * serves every desired RRset, TTL included, and the validating lookup gets its records SECURE
 * (with whatever TTL the resolver's cache has left).
 */
public final class ServedWait {

    private final ProviderConfig config;
    private final DnsLookup dns;
    private final AuthoritativeQuery authorities;
    private final Clock clock;

    public ServedWait(ProviderConfig config, DnsLookup dns, AuthoritativeQuery authorities, Clock clock) {
        this.config = config;
        this.dns = dns;
        this.authorities = authorities;
        this.clock = clock;
    }

    /** Waits for {@link #await} and fails listing what lags at the end; nothing to wait for with no zones or no time. */
    public void require(List<ZoneFragment> zones, Duration wait) throws VerificationFailedException {
        if (zones.isEmpty() || wait.isZero()) {
            return;
        }
        List<Finding> lagging = await(zones, wait);
        if (!lagging.isEmpty()) {
            throw new VerificationFailedException("not served everywhere within " + wait.toSeconds() + " s", lagging);
        }
    }

    /**
     * Asks until nothing lags or {@code wait} has passed; returns what still lags (empty: served and
     * validated). A zone once served and validated is not asked again.
     */
    public List<Finding> await(List<ZoneFragment> zones, Duration wait) throws VerificationFailedException {
        Instant deadline = clock.instant().plus(wait);
        List<ZoneFragment> pending = zones;
        while (true) {
            List<List<Finding>> byZone;
            try {
                byZone = ConcurrentZones.map(pending, zone -> lagging(zone));
            } catch (VerificationFailedException e) {
                throw e;
            } catch (MxpolicyException e) {
                throw new IllegalStateException("a lagging check has no failure of its own", e);
            }
            List<Finding> lagging = new ArrayList<>();
            List<ZoneFragment> stillPending = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                if (!byZone.get(i).isEmpty()) {
                    lagging.addAll(byZone.get(i));
                    stillPending.add(pending.get(i));
                }
            }
            if (lagging.isEmpty() || !clock.instant().isBefore(deadline)) {
                return lagging;
            }
            pending = stillPending;
            try {
                Thread.sleep(Math.min(
                        1000,
                        Math.max(1, Duration.between(clock.instant(), deadline).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VerificationFailedException("interrupted while waiting until served", lagging);
            }
        }
    }

    /** What is not yet served as desired by every authoritative server, or does not validate. */
    public List<Finding> lagging(List<ZoneFragment> zones) {
        List<Finding> lagging = new ArrayList<>();
        for (ZoneFragment zone : zones) {
            lagging.addAll(lagging(zone));
        }
        return lagging;
    }

    private List<Finding> lagging(ZoneFragment zone) {
        List<Finding> lagging = new ArrayList<>();
        ZoneSettings settings = config.zones().get(zone.zoneName());
        List<NameServer> servers = ZoneServers.of(zone.zone(), Nameserver.of(settings.nameservers()), dns, authorities);
        for (List<Record> rrset : zone.rrsets()) {
            Record first = rrset.get(0);
            for (ServerAnswer a : authorities.askAll(servers, first.getName(), first.getType())) {
                if (!a.answered() || !Planner.same(a.records(), rrset)) {
                    lagging.add(Finding.error(
                            "publish.not-served",
                            settings.position(),
                            a.server() + " does not"
                                    + " yet serve " + first.getName() + " " + Type.string(first.getType())
                                    + a.problem().map(p -> " (" + p + ")").orElse(" as desired")));
                }
            }
            // Through the resolver the records count, not the TTL: a cache counts it down.
            DnsAnswer validated = dns.lookup(first.getName(), first.getType());
            if (validated.security() != DnsAnswer.Security.SECURE || !Planner.sameData(validated.records(), rrset)) {
                lagging.add(Finding.error(
                        "publish.not-validated",
                        settings.position(),
                        first.getName() + " "
                                + Type.string(first.getType()) + " is " + validated.security()
                                + validated.problem().map(p -> " (" + p + ")").orElse("") + " through the resolver"
                                + (validated.security() == DnsAnswer.Security.SECURE ? ", with other records" : "")));
            }
        }
        return lagging;
    }
}
