package org.mxpolicy.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.testing.ReportCorpus;

class ReportParserTest {

    private final ReportParser parser = new ReportParser(ReportLimits.defaults());

    private ParsedReport parse(String json) throws ReportRejectedException {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), "r.json");
    }

    private static String rejection(ReportParser parser, String json) {
        try {
            parser.parse(json.getBytes(StandardCharsets.UTF_8), "r.json");
        } catch (ReportRejectedException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + json);
    }

    private static final String MINIMAL_POLICY =
            "{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\","
                    + "\"mx-host\":[\"mx1.example.com\"]},\"summary\":{\"total-successful-session-count\":1,"
                    + "\"total-failure-session-count\":0}}";

    private static String report(String policies) {
        return "{\"organization-name\":\"Org\",\"date-range\":{\"start-datetime\":\"2026-12-01T00:00:00Z\","
                + "\"end-datetime\":\"2026-12-01T23:59:59Z\"},\"contact-info\":\"x@org.example\",\"report-id\":\"r1\","
                + "\"policies\":[" + policies + "]}";
    }

    @Test
    void theExampleOfRfc8460AppendixBIsReadFieldByFieldWithoutNotes() throws Exception {
        ParsedReport parsed = parser.parse(ReportCorpus.bytes("rfc8460-appendix-b.json"), "appendix-b");

        assertThat(parsed.notes()).isEmpty();
        TlsReport r = parsed.report();
        assertThat(r.organizationName()).isEqualTo("Company-X");
        assertThat(r.start()).isEqualTo(Instant.parse("2016-04-01T00:00:00Z"));
        assertThat(r.end()).isEqualTo(Instant.parse("2016-04-01T23:59:59Z"));
        assertThat(r.contactInfo()).contains("sts-reporting@company-x.example");
        assertThat(r.reportId()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        PolicyReport p = r.policies().get(0);
        assertThat(p.policyType()).isEqualTo("sts");
        assertThat(p.policyStrings())
                .containsExactly("version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400");
        assertThat(p.policyDomain()).isEqualTo("company-y.example");
        assertThat(p.mxHosts()).containsExactly("*.mail.company-y.example");
        assertThat(p.successfulSessions()).isEqualTo(5326);
        assertThat(p.failedSessions()).isEqualTo(303);
        assertThat(p.failures()).hasSize(3);
        FailureDetail second = p.failures().get(1);
        assertThat(second.resultType()).isEqualTo("starttls-not-supported");
        assertThat(second.sendingMtaIp()).contains("2001:db8:abcd:0013::1");
        assertThat(second.receivingMxHostname()).contains("mx2.mail.company-y.example");
        assertThat(second.receivingIp()).contains("203.0.113.56");
        assertThat(second.failedSessionCount()).isEqualTo(200);
        assertThat(second.additionalInformation())
                .contains("https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported");
        assertThat(second.receivingMxHelo()).isEmpty();
        FailureDetail third = p.failures().get(2);
        assertThat(third.failureReasonCode()).contains("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
        assertThat(r.failedSessions()).isEqualTo(303);
    }

    @Test
    void everyFailureDetailFieldIsKept() throws Exception {
        ParsedReport parsed = parse(report("{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"3 1 1 ab\"],"
                + "\"policy-domain\":\"example.com\",\"mx-host\":[\"mx1.example.com\"]},\"summary\":"
                + "{\"total-successful-session-count\":0,\"total-failure-session-count\":7},\"failure-details\":[{"
                + "\"result-type\":\"tlsa-invalid\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
                + "\"mx1.example.com\",\"receiving-mx-helo\":\"mx1.example.net\",\"receiving-ip\":\"192.0.2.25\","
                + "\"failed-session-count\":7,\"additional-information\":\"https://x.example/\","
                + "\"failure-reason-code\":\"TLSA mismatch\"}]}"));

        assertThat(parsed.notes()).isEmpty();
        assertThat(parsed.report().policies().get(0).failures().get(0))
                .isEqualTo(new FailureDetail(
                        "tlsa-invalid",
                        Optional.of("192.0.2.1"),
                        Optional.of("mx1.example.com"),
                        Optional.of("mx1.example.net"),
                        Optional.of("192.0.2.25"),
                        7,
                        Optional.of("https://x.example/"),
                        Optional.of("TLSA mismatch")));
    }

    @Test
    void realReportersDeviationsAreAcceptedAndNoted() throws Exception {
        ParsedReport parsed = parse("{\"organization-name\":\"Org\",\"date-range\":{\"start-datetime\":"
                + "\"2026-12-01T00:00:00\",\"end-datetime\":\"2026-12-01T23:59:59+01:00\"},\"contact-info\":null,"
                + "\"report-id\":12345,\"policies\":[{\"policy\":{\"policy-type\":\"STS\",\"policy-domain\":"
                + "\"Example.COM.\",\"mx-host\":\"mx1.example.com, mx2.example.com\"},\"summary\":"
                + "{\"total-successful-session-count\":\"10\",\"total-failure-session-count\":2.0},"
                + "\"failure-details\":[{\"result_type\":\"certificate-revoked\",\"failed-session-count\":2,"
                + "\"vendor-extension\":true}]}]}");

        TlsReport r = parsed.report();
        assertThat(r.reportId()).isEqualTo("12345");
        assertThat(r.contactInfo()).isEmpty();
        assertThat(r.start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(r.end()).isEqualTo(Instant.parse("2026-12-01T22:59:59Z"));
        PolicyReport p = r.policies().get(0);
        assertThat(p.policyType()).isEqualTo("sts");
        assertThat(p.policyDomain()).isEqualTo("example.com");
        assertThat(p.mxHosts()).containsExactly("mx1.example.com", "mx2.example.com");
        assertThat(p.successfulSessions()).isEqualTo(10);
        assertThat(p.failedSessions()).isEqualTo(2);
        FailureDetail f = p.failures().get(0);
        assertThat(f.resultType()).isEqualTo("certificate-revoked");
        assertThat(f.sendingMtaIp()).isEmpty();
        assertThat(parsed.notes())
                .extracting(ParseNote::toString)
                .containsExactly(
                        "date-range.start-datetime: no time zone; read as UTC",
                        "contact-info: null, though required",
                        "report-id: a number; read as text",
                        "policies[0].policy.policy-type: 'STS' read as 'sts'",
                        "policies[0].policy.mx-host: a string instead of a list; read as a list of its names",
                        "policies[0].summary.total-successful-session-count: a number as a string; read as a number",
                        "policies[0].summary.total-failure-session-count: written as a decimal; read as a whole number",
                        "policies[0].failure-details[0].vendor-extension: not a field of RFC 8460; ignored",
                        "policies[0].failure-details[0].result-type: spelt 'result_type'; read as 'result-type'",
                        "policies[0].failure-details[0].result-type: 'certificate-revoked' is not a result type of"
                                + " RFC 8460; kept as sent");
    }

    @Test
    void aMultiPolicyReportKeepsEveryPolicyInOrder() throws Exception {
        ParsedReport parsed = parse(report(MINIMAL_POLICY + ","
                + "{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.org\"},"
                + "\"summary\":{\"total-successful-session-count\":3,\"total-failure-session-count\":0}}"));

        assertThat(parsed.report().policies())
                .extracting(PolicyReport::policyType)
                .containsExactly("sts", "no-policy-found");
        assertThat(parsed.report().policies().get(1).mxHosts()).isEmpty();
        assertThat(parsed.report().policies().get(1).policyStrings()).isEmpty();
    }

    @Test
    void whatAReportCannotDoWithoutIsRefusedWithItsPath() {
        assertThat(rejection(parser, report(MINIMAL_POLICY).replace("\"organization-name\":\"Org\",", "")))
                .isEqualTo("r.json: organization-name: missing; RFC 8460 section 4.4 requires it");
        assertThat(rejection(parser, report(MINIMAL_POLICY).replace("\"report-id\":\"r1\",", "")))
                .isEqualTo("r.json: report-id: missing; RFC 8460 section 4.4 requires it");
        assertThat(rejection(parser, report(MINIMAL_POLICY).replace("2026-12-01T00:00:00Z", "yesterday")))
                .isEqualTo("r.json: date-range.start-datetime: 'yesterday' is not an RFC 3339 date-time");
        assertThat(rejection(parser, report(MINIMAL_POLICY.replace("\"policy-domain\":\"example.com\",", ""))))
                .isEqualTo("r.json: policies[0].policy.policy-domain: missing; RFC 8460 section 4.4 requires it");
        assertThat(rejection(parser, report(MINIMAL_POLICY.replace("1,", "-1,"))))
                .isEqualTo("r.json: policies[0].summary.total-successful-session-count: must be a number of sessions"
                        + " from 0, found -1");
        assertThat(rejection(parser, report(MINIMAL_POLICY.replace("1,", "\"many\","))))
                .isEqualTo("r.json: policies[0].summary.total-successful-session-count: must be a number of sessions,"
                        + " found the string 'many'");
        assertThat(rejection(parser, report(MINIMAL_POLICY.replace("[\"mx1.example.com\"]", "[7]"))))
                .isEqualTo("r.json: policies[0].policy.mx-host[0]: must be a string, found the number 7");
        assertThat(rejection(parser, "[1,2]")).isEqualTo("r.json: the JSON is not an object");
    }

    @Test
    void brokenJsonIsOneLineWithItsPosition() {
        String message = rejection(parser, report(MINIMAL_POLICY).substring(0, 120));

        assertThat(message).startsWith("r.json: not valid JSON at line 1 column 121: Unexpected end-of-input");
        assertThat(message).doesNotContain("\n").doesNotContain("Source");
        assertThat(rejection(parser, report(MINIMAL_POLICY) + " {}")).startsWith("r.json: not valid JSON");
    }

    @Test
    void nestingDeeperThanTheLimitIsRefusedBeforeItIsBuilt() {
        String deep = "{\"a\":".repeat(100) + "1" + "}".repeat(100);

        assertThat(rejection(parser, deep)).startsWith("r.json: not valid JSON").contains("nesting depth");
    }

    @Test
    void moreFailureDetailsThanTheLimitAreRefused() {
        ReportParser small = new ReportParser(new ReportLimits(1000, 1000, 100_000, 20, 2));
        String detail = "{\"result-type\":\"certificate-expired\",\"failed-session-count\":1}";
        String policy =
                MINIMAL_POLICY.replace("}}", "},\"failure-details\":[" + detail + "," + detail + "," + detail + "]}");

        assertThat(rejection(small, report(policy)))
                .isEqualTo("r.json: failure-details: more than 2 entries over all policies");
    }
}
