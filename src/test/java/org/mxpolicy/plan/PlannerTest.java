package org.mxpolicy.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

class PlannerTest {

    private static final Name MTA_STS = Name.fromConstantString("_mta-sts.example.test.");
    private static final Name TLS_RPT = Name.fromConstantString("_smtp._tls.example.test.");

    private static Record txt(Name owner, long ttl, String text) {
        return new TXTRecord(owner, DClass.IN, ttl, text);
    }

    @Test
    void identicalRrsetsPlanNothing() {
        List<Record> rrset = List.of(txt(MTA_STS, 300, "v=STSv1; id=1"));

        assertThat(Planner.plan(List.of(rrset), Map.of(new RrsetKey(MTA_STS, Type.TXT), rrset)))
                .isEmpty();
    }

    @Test
    void aDifferentTtlAloneIsAChange() {
        List<RrsetChange> plan = Planner.plan(
                List.of(List.of(txt(MTA_STS, 300, "v=STSv1; id=1"))),
                Map.of(new RrsetKey(MTA_STS, Type.TXT), List.of(txt(MTA_STS, 3600, "v=STSv1; id=1"))));

        assertThat(plan).singleElement().satisfies(c -> assertThat(c.kind()).isEqualTo(RrsetChange.Kind.CHANGE));
    }

    @Test
    void sameDataIgnoresTheTtlButNotTheRecords() {
        List<Record> desired = List.of(txt(MTA_STS, 3600, "v=STSv1; id=1"));

        assertThat(Planner.sameData(List.of(txt(MTA_STS, 42, "v=STSv1; id=1")), desired))
                .isTrue();
        assertThat(Planner.sameData(List.of(txt(MTA_STS, 3600, "v=STSv1; id=2")), desired))
                .isFalse();
        assertThat(Planner.same(List.of(txt(MTA_STS, 42, "v=STSv1; id=1")), desired))
                .isFalse();
    }

    @Test
    void absentIsCreateAndOwnedButUndesiredIsDelete() {
        List<RrsetChange> plan = Planner.plan(
                List.of(List.of(txt(MTA_STS, 300, "v=STSv1; id=2"))),
                Map.of(
                        new RrsetKey(MTA_STS, Type.TXT), List.of(),
                        new RrsetKey(TLS_RPT, Type.TXT),
                                List.of(txt(TLS_RPT, 300, "v=TLSRPTv1; rua=mailto:a@example.test"))));

        assertThat(plan)
                .extracting(RrsetChange::kind)
                .containsExactly(RrsetChange.Kind.CREATE, RrsetChange.Kind.DELETE);
    }

    @Test
    void tlsReportsOverHttpsAreRefusedUnlessAllowed() {
        RrsetChange change = new RrsetChange(
                TLS_RPT,
                Type.TXT,
                List.of(),
                List.of(txt(TLS_RPT, 300, "v=TLSRPTv1; rua=https://reports.example.test/tlsrpt")));

        assertThat(new SafetyRules(Map.of(), List.of(), Set.of()).check(List.of(change)))
                .extracting(Refusal::id)
                .containsExactly("plan.tlsrpt-https");
        assertThat(new SafetyRules(Map.of(), List.of(), Set.of(TLS_RPT)).check(List.of(change)))
                .isEmpty();
    }
}
