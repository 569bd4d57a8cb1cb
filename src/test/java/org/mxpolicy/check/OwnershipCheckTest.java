package org.mxpolicy.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.plan.RrsetKey;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class OwnershipCheckTest {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Instant STARTED = Instant.parse("2026-12-01T00:00:00Z");
    private static final RrsetKey KEPT = new RrsetKey(Name.fromConstantString("_smtp._tls.example.test."), Type.TXT);
    private static final RrsetKey GONE = new RrsetKey(Name.fromConstantString("_25._tcp.mx2.example.test."), Type.TLSA);
    private static final RrsetKey WITHDRAWING =
            new RrsetKey(Name.fromConstantString("_mta-sts.old.example.test."), Type.TXT);

    private static OwnershipLedger ledger() {
        PolicyTerms terms = new PolicyTerms(86400, Optional.empty(), Optional.empty());
        TreeMap<String, Withdrawal> withdrawals = new TreeMap<>();
        withdrawals.put("old.example.test", new Withdrawal("old.example.test", STARTED, 86400, "none1t86400", terms));
        return OwnershipLedger.empty()
                .with(
                        ZONE,
                        new OwnedZone(new TreeSet<>(Set.of(KEPT, GONE, WITHDRAWING)), new TreeMap<>(), withdrawals));
    }

    private static List<ZoneFragment> desired() {
        return List.of(new ZoneFragment(
                ZONE, List.of(new TXTRecord(KEPT.owner(), DClass.IN, 300, "v=TLSRPTv1; rua=mailto:r@example.test"))));
    }

    @Test
    void anOwnedRrsetNoLongerInTheConfigIsDueAndAWithdrawalIsInProgressWithItsEnd() {
        List<CheckResult> results = OwnershipCheck.results(ledger(), desired(), STARTED.plusSeconds(60));

        assertThat(results)
                .extracting(CheckResult::id, CheckResult::status, CheckResult::subject)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "ownership.retirement-in-progress", CheckStatus.OK, "old.example.test"),
                        org.assertj.core.groups.Tuple.tuple(
                                "ownership.due-for-deletion", CheckStatus.WARNING, "example.test"));
        assertThat(results)
                .anySatisfy(r -> assertThat(r.message()).contains("go from 2026-12-02T00:00:00Z"))
                .anySatisfy(r -> assertThat(r.message()).contains("_25._tcp.mx2.example.test. TLSA"));
    }

    @Test
    void aWithdrawalWhoseTimeIsUpIsDue() {
        List<CheckResult> results = OwnershipCheck.results(ledger(), desired(), STARTED.plusSeconds(86400));

        assertThat(results)
                .filteredOn(r -> r.subject().equals("old.example.test"))
                .singleElement()
                .satisfies(r -> assertThat(r.id()).isEqualTo("ownership.due-for-deletion"));
    }
}
