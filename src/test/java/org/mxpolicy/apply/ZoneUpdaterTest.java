package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.dns.DynamicUpdate;
import org.mxpolicy.dns.UpdateException;
import org.mxpolicy.finding.VerificationFailedException;
import org.mxpolicy.plan.ZonePlan;
import org.mxpolicy.zone.RrsetChange;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The APPLY step through the {@link DynamicUpdate} port, with a fake primary. */
class ZoneUpdaterTest {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Record POLICY =
            new TXTRecord(Name.fromConstantString("_mta-sts.example.test."), 1, 3600, "v=STSv1; id=2");

    private final List<String> log = new ArrayList<>();
    private final List<List<RrsetChange>> sent = new ArrayList<>();

    private static ProviderConfig config() throws Exception {
        return ConfigLoader.load(new StringReader("""
                zones:
                  example.test:
                    update: { server: 192.0.2.1, key: tsig.key }
                  example.net: {}
                domains:
                  - name: example.test
                    mx: [{ host: mx1.example.test, cert: mx1.pem }]
                """), "provider.yaml").config();
    }

    private ZoneUpdater updater(DynamicUpdate primary) throws Exception {
        return new ZoneUpdater(
                config(), Path.of("."), target -> primary, null, Duration.ofSeconds(1), Clock.systemUTC(), log::add);
    }

    private static Map<ZoneFragment, ZonePlan> plan(ZoneFragment zone, List<RrsetChange> changes) {
        Map<ZoneFragment, ZonePlan> plans = new LinkedHashMap<>();
        plans.put(zone, new ZonePlan(ZONE, changes, List.of()));
        return plans;
    }

    @Test
    void sendsEachPlannedChangeAndReportsTheZoneAsChanged() throws Exception {
        ZoneFragment zone = new ZoneFragment(ZONE, List.of(POLICY));
        List<RrsetChange> changes = List.of(new RrsetChange(POLICY.getName(), Type.TXT, List.of(), List.of(POLICY)));

        List<ZoneFragment> changed = updater((z, c) -> {
                    sent.add(c);
                    return 1;
                })
                .apply(plan(zone, changes), List.of(zone));

        assertThat(changed).containsExactly(zone);
        assertThat(sent).containsExactly(changes);
        assertThat(log).containsExactly("zone example.test.: 1 change(s) sent to 192.0.2.1:53 in 1 update message(s)");
    }

    @Test
    void anEmptyPlanSendsNothing() throws Exception {
        ZoneFragment zone = new ZoneFragment(ZONE, List.of(POLICY));

        List<ZoneFragment> changed = updater((z, c) -> {
                    sent.add(c);
                    return 1;
                })
                .apply(plan(zone, List.of()), List.of(zone));

        assertThat(changed).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void aConcurrentChangeFailsWithAFindingThatSaysToPlanAgain() throws Exception {
        ZoneFragment zone = new ZoneFragment(ZONE, List.of(POLICY));
        List<RrsetChange> changes = List.of(new RrsetChange(POLICY.getName(), Type.TXT, List.of(), List.of(POLICY)));
        ZoneUpdater updater = updater((z, c) -> {
            throw new UpdateException(UpdateException.Reason.CONCURRENT_CHANGE, "prerequisite failed: YXRRSET");
        });

        assertThatThrownBy(() -> updater.apply(plan(zone, changes), List.of(zone)))
                .isInstanceOf(VerificationFailedException.class)
                .satisfies(e -> assertThat(((VerificationFailedException) e).findings())
                        .singleElement()
                        .satisfies(f -> {
                            assertThat(f.id()).isEqualTo("publish.concurrent-change");
                            assertThat(f.message()).contains("YXRRSET", "run publish again to re-plan");
                            assertThat(f.position().toString()).contains("provider.yaml");
                        }));
    }
}
