package org.mxpolicy.tlsrpt;

/** A group of the summary: domain, policy type and the policy's mx-host entries. */
public record GroupKey(String domain, String policyType, String mxHosts) {

    public static GroupKey of(ReportSummary.Group g) {
        return new GroupKey(g.domain(), g.policyType(), g.mxHosts());
    }

    static GroupKey of(ReportStore.PolicyStringUse u) {
        return new GroupKey(u.domain(), u.policyType(), u.mxHosts());
    }

    static GroupKey of(ReportStore.FailureHost f) {
        return new GroupKey(f.domain(), f.policyType(), f.mxHosts());
    }
}
