package org.mxpolicy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** Each retirement rule on fixed times and fixed observations. */
class RetirementRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-08T00:00:00Z");
    private static final Name TLSA_OWNER = Name.fromConstantString("_25._tcp.mx2.example.test.");
    private static final RrsetKey TLSA = new RrsetKey(TLSA_OWNER, Type.TLSA);
    private static final Name STS_OWNER = Name.fromConstantString("_mta-sts.old.example.");
    private static final RrsetKey STS = new RrsetKey(STS_OWNER, Type.TXT);
    private static final Name RPT_OWNER = Name.fromConstantString("_smtp._tls.old.example.");
    private static final RrsetKey RPT = new RrsetKey(RPT_OWNER, Type.TXT);

    private static List<Record> tlsa() {
        return List.of(new TLSARecord(TLSA_OWNER, DClass.IN, 600, 3, 1, 1, new byte[32]));
    }

    private static List<Record> txt(Name owner, String text) {
        return List.of(new TXTRecord(owner, DClass.IN, 300, text));
    }

    private static RetirementRules.Context context(Instant now, Map<String, Set<String>> mx, OwnedZone ledger) {
        return new RetirementRules.Context(now, mx, ledger);
    }

    private static OwnedZone ledger(Map<String, PolicyTerms> policies, Map<String, Withdrawal> withdrawals) {
        return new OwnedZone(new TreeSet<>(), new TreeMap<>(policies), new TreeMap<>(withdrawals));
    }

    @Test
    void aTlsaRrsetStaysWhileAnMxRrsetNamesItsHost() {
        RetirementRules.Outcome outcome = RetirementRules.retire(
                Map.of(TLSA, tlsa()),
                context(NOW, Map.of("example.test", Set.of("mx1.example.test", "mx2.example.test")), OwnedZone.EMPTY));

        assertThat(outcome.kept()).containsExactly(tlsa());
        assertThat(outcome.retirements()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("retire.tlsa-named-by-mx");
            assertThat(r.held()).isTrue();
            assertThat(r.proceeds()).isEmpty();
            assertThat(r.reason()).contains("MX RRset of example.test names mx2.example.test");
        });
    }

    @Test
    void aTlsaRrsetNoMxNamesIsDeleted() {
        RetirementRules.Outcome outcome = RetirementRules.retire(
                Map.of(TLSA, tlsa()),
                context(NOW, Map.of("example.test", Set.of("mx1.example.test")), OwnedZone.EMPTY));

        assertThat(outcome.kept()).isEmpty();
        assertThat(outcome.retirements())
                .singleElement()
                .satisfies(r -> assertThat(r.rule()).isEqualTo("retire.deleted"))
                .satisfies(r -> assertThat(r.held()).isFalse());
    }

    @Test
    void aDomainLeavingMtaStsFirstGetsANewIdForTheOldMaxAge() {
        OwnedZone ledger =
                ledger(Map.of("old.example", new PolicyTerms(86400, Optional.empty(), Optional.empty())), Map.of());

        RetirementRules.Outcome outcome = RetirementRules.retire(
                Map.of(STS, txt(STS_OWNER, "v=STSv1; id=0123abcd")), context(NOW, Map.of(), ledger));

        String id = "none" + NOW.getEpochSecond() + "t86400";
        assertThat(outcome.kept()).containsExactly(txt(STS_OWNER, "v=STSv1; id=" + id));
        assertThat(outcome.withdrawals()).containsOnlyKeys("old.example");
        Withdrawal w = outcome.withdrawals().get("old.example");
        assertThat(w.started()).isEqualTo(NOW);
        assertThat(w.id()).isEqualTo(id);
        assertThat(w.ends()).isEqualTo(NOW.plusSeconds(86400));
        assertThat(outcome.retirements()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("retire.mta-sts-withdrawal");
            assertThat(r.proceeds()).contains(NOW.plusSeconds(86400));
        });
    }

    @Test
    void theWithdrawalHoldsUntilTheOldMaxAgeHasPassedThenTheTxtGoes() {
        Withdrawal started = new Withdrawal(
                "old.example",
                NOW,
                86400,
                "none" + NOW.getEpochSecond() + "t86400",
                new PolicyTerms(86400, Optional.empty(), Optional.empty()));
        OwnedZone ledger = ledger(Map.of(), Map.of("old.example", started));
        List<Record> served = txt(STS_OWNER, "v=STSv1; id=" + started.id());

        RetirementRules.Outcome almost =
                RetirementRules.retire(Map.of(STS, served), context(NOW.plusSeconds(86399), Map.of(), ledger));
        RetirementRules.Outcome done =
                RetirementRules.retire(Map.of(STS, served), context(NOW.plusSeconds(86400), Map.of(), ledger));

        assertThat(almost.kept()).containsExactly(served);
        assertThat(almost.withdrawals()).containsKey("old.example");
        assertThat(done.kept()).isEmpty();
        assertThat(done.withdrawals()).isEmpty();
        assertThat(done.retirements())
                .singleElement()
                .satisfies(r -> assertThat(r.rule()).isEqualTo("retire.deleted"));
    }

    @Test
    void aWithdrawalWhoseLedgerWasLostResumesFromTheServedId() {
        Instant started = NOW.minusSeconds(3600);
        // the id carries the start and the old max_age; nothing else is known
        List<Record> served = txt(STS_OWNER, "v=STSv1; id=none" + started.getEpochSecond() + "t7200");

        RetirementRules.Outcome outcome =
                RetirementRules.retire(Map.of(STS, served), context(NOW, Map.of(), OwnedZone.EMPTY));

        assertThat(outcome.kept()).containsExactly(served);
        assertThat(outcome.withdrawals().get("old.example").ends()).isEqualTo(started.plusSeconds(7200));
    }

    @Test
    void withoutTheOldMaxAgeTheWithdrawalLastsTheLongestMaxAgeAllowed() {
        RetirementRules.Outcome outcome = RetirementRules.retire(
                Map.of(STS, txt(STS_OWNER, "v=STSv1; id=1")), context(NOW, Map.of(), OwnedZone.EMPTY));

        assertThat(outcome.withdrawals().get("old.example").maxAge()).isEqualTo(31_557_600L);
    }

    @Test
    void otherOwnedRrsetsAreDeletedAtOnce() {
        RetirementRules.Outcome outcome = RetirementRules.retire(
                Map.of(RPT, txt(RPT_OWNER, "v=TLSRPTv1; rua=mailto:r@old.example")),
                context(NOW, Map.of(), OwnedZone.EMPTY));

        assertThat(outcome.kept()).isEmpty();
        assertThat(outcome.retirements())
                .singleElement()
                .satisfies(r -> assertThat(r.held()).isFalse());
    }

    @Test
    void deletingMoreThanTheShareOfOwnedRrsetsIsRefusedUnlessForced() {
        Set<RrsetKey> owned = new TreeSet<>();
        List<RrsetChange> changes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Name owner = Name.fromConstantString("_25._tcp.mx" + i + ".example.test.");
            owned.add(new RrsetKey(owner, Type.TLSA));
            if (i < 4) {
                changes.add(new RrsetChange(
                        owner,
                        Type.TLSA,
                        List.of(new TLSARecord(owner, DClass.IN, 600, 3, 1, 1, new byte[32])),
                        List.of()));
            }
        }

        assertThat(RetirementRules.deletionShare(changes, owned, 30, 10, false)).hasValueSatisfying(r -> {
            assertThat(r.id()).isEqualTo("plan.deletion-share");
            assertThat(r.reason()).contains("deletes 4 of the 10").contains("--force");
        });
        assertThat(RetirementRules.deletionShare(changes, owned, 30, 10, true)).isEmpty();
        assertThat(RetirementRules.deletionShare(changes.subList(0, 3), owned, 30, 10, false))
                .as("three of ten is the share itself")
                .isEmpty();
        assertThat(RetirementRules.deletionShare(changes, owned, 30, 11, false))
                .as("a zone owning fewer than min_owned")
                .isEmpty();
    }

    @Test
    void manySmallZonesLosingMostOfTheirRecordsAreRefusedTogetherThoughEachIsBelowMinOwned() {
        // a hoster's customer zones each own two RRsets; the config lost 15 of its 20 domains
        Set<RrsetKey> ownedInAll = new TreeSet<>();
        List<RrsetChange> changes = new ArrayList<>();
        for (int zone = 0; zone < 20; zone++) {
            Set<RrsetKey> ownedInZone = new TreeSet<>();
            List<RrsetChange> zoneChanges = new ArrayList<>();
            for (String label : List.of("_smtp._tls", "_dmarc")) {
                Name owner = Name.fromConstantString(label + ".customer" + zone + ".test.");
                ownedInZone.add(new RrsetKey(owner, Type.TXT));
                if (zone < 15) {
                    zoneChanges.add(new RrsetChange(
                            owner, Type.TXT, List.of(new TXTRecord(owner, DClass.IN, 600, "x")), List.of()));
                }
            }
            assertThat(RetirementRules.deletionShare(zoneChanges, ownedInZone, 30, 10, false))
                    .as("each zone owns fewer than min_owned")
                    .isEmpty();
            ownedInAll.addAll(ownedInZone);
            changes.addAll(zoneChanges);
        }

        assertThat(RetirementRules.deletionShareOfPlan(changes, ownedInAll, 30, 10, false))
                .hasValueSatisfying(r -> {
                    assertThat(r.id()).isEqualTo("plan.deletion-share");
                    assertThat(r.reason()).contains("deletes 30 of the 40", "across the plan's zones", "--force");
                });
        assertThat(RetirementRules.deletionShareOfPlan(changes, ownedInAll, 30, 10, true))
                .isEmpty();
    }

    @Test
    void underAnEnforcedPolicyTheMxMayNameANewHostOnlyOnceThePolicyHasCoveredItForMaxAge() {
        Instant since = NOW.minusSeconds(3600);

        RetirementRules.MxChange early = RetirementRules.mxChange(
                "example.test",
                86400,
                Set.of("mx1.example.test", "mx2.example.test"),
                Set.of("mx1.example.test"),
                Map.of("mx1.example.test", since.minusSeconds(999_999), "mx2.example.test", since),
                NOW);
        RetirementRules.MxChange late = RetirementRules.mxChange(
                "example.test",
                86400,
                Set.of("mx1.example.test", "mx2.example.test"),
                Set.of("mx1.example.test"),
                early.coverage(),
                since.plusSeconds(86400));

        assertThat(early.holds()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("retire.mx-change");
            assertThat(r.rrset()).isEqualTo(new RrsetKey(Name.fromConstantString("example.test."), Type.MX));
            assertThat(r.proceeds()).contains(since.plusSeconds(86400));
            assertThat(r.reason()).contains("mx2.example.test").contains("RFC 8461 section 8.1");
        });
        assertThat(early.coverage()).containsEntry("mx2.example.test", since);
        assertThat(late.holds()).isEmpty();
    }

    @Test
    void aHostNewlyCoveredStartsItsWaitNowAndAHostTheMxNamesIsNeverHeld() {
        RetirementRules.MxChange change = RetirementRules.mxChange(
                "example.test",
                600,
                Set.of("mx1.example.test", "mx3.example.test"),
                Set.of("mx1.example.test"),
                Map.of(),
                NOW);

        assertThat(change.coverage()).containsEntry("mx1.example.test", NOW).containsEntry("mx3.example.test", NOW);
        assertThat(change.holds())
                .singleElement()
                .satisfies(r -> assertThat(r.proceeds()).contains(NOW.plusSeconds(600)));
    }
}
