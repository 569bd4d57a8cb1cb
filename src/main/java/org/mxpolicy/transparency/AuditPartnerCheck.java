package org.mxpolicy.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.audit.AuditFinding;
import org.mxpolicy.audit.DomainReport;
import org.mxpolicy.audit.MxAudit;
import org.mxpolicy.audit.Requirement;
import org.mxpolicy.audit.RequirementVerdict;
import org.mxpolicy.scan.Verdict;

/**
 * Partners checked live with {@code audit}, read off its table of TR-03108 requirements: DANE is
 * 05-M (the MX RRset and MX hosts DNSSEC-signed, TLSA for every MX, matching the chain each MX
 * presents, RFC 7672), TLS is 03-M (STARTTLS per TR-03116-4 on every MX address), MTA-STS is 07-R
 * in enforce mode, DNSSEC the MX RRset's own finding.
 */
public final class AuditPartnerCheck implements PartnerCheck {

    /** The audit's check of the MX RRset's DNSSEC status (RFC 7672 section 2.2.1). */
    static final String DNSSEC_CHECK = "dnssec.mx";

    private final MxAudit audit;

    public AuditPartnerCheck(MxAudit audit) {
        this.audit = audit;
    }

    @Override
    public List<PartnerFindings> check(List<String> domains) throws InterruptedException {
        List<PartnerFindings> findings = new ArrayList<>();
        for (DomainReport report : audit.audit(domains)) {
            findings.add(findings(report));
        }
        return findings;
    }

    /** The criteria of one audited domain. */
    static PartnerFindings findings(DomainReport report) {
        if (report.findings().stream()
                .anyMatch(f -> f.check().equals("mx.rrset") && f.verdict() == Verdict.NOT_APPLICABLE)) {
            Assessment none = Assessment.notChecked("accepts no mail (null MX, RFC 7505)");
            return new PartnerFindings(report.domain(), none, none, none, none);
        }
        RequirementVerdict dane = report.requirement(Requirement.INBOUND_DANE);
        RequirementVerdict tls = report.requirement(Requirement.INBOUND_TLS);
        RequirementVerdict mtaSts = report.requirement(Requirement.INBOUND_MTA_STS);
        return new PartnerFindings(
                report.domain(),
                dnssec(report.finding(DNSSEC_CHECK)),
                assessment(dane),
                // MTA-STS in testing mode is a warning of the audit: offered, but not enforced
                mtaSts.verdict() == Verdict.WARN
                        ? Assessment.notMet("not enforced: " + mtaSts.evidence())
                        : assessment(mtaSts),
                assessment(tls));
    }

    /**
     * A requirement's row as a criterion: pass, and a warning about something TR-03108 tolerates
     * (a legacy suite at the lowest priority), is met; fail is not; unknown stays unknown; not
     * applicable is not checked.
     */
    private static Assessment assessment(RequirementVerdict row) {
        return switch (row.verdict()) {
            case PASS, WARN -> Assessment.met(row.evidence());
            case FAIL -> Assessment.notMet(row.evidence());
            case UNKNOWN -> Assessment.unknown(row.evidence());
            case NOT_APPLICABLE -> Assessment.notChecked(row.evidence());
        };
    }

    private static Assessment dnssec(Optional<AuditFinding> finding) {
        if (finding.isEmpty()) {
            return Assessment.notChecked("the MX RRset was not looked up");
        }
        String evidence = finding.get().finding().evidence();
        return switch (finding.get().finding().verdict()) {
            case PASS, WARN -> Assessment.met(evidence);
            case FAIL -> Assessment.notMet(evidence);
            case UNKNOWN -> Assessment.unknown(evidence);
            case NOT_APPLICABLE -> Assessment.notChecked(evidence);
        };
    }
}
