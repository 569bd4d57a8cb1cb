package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.record.MtaStsPolicyParser.LineEnding;
import org.mxpolicy.record.MtaStsPolicyParser.Result;

class MtaStsPolicyParserTest {

    private static final String SOURCE = "https://mta-sts.example.com/.well-known/mta-sts.txt";

    private static Result parse(String text) {
        return MtaStsPolicyParser.parse(text.getBytes(StandardCharsets.UTF_8), SOURCE);
    }

    private static List<String> formatted(Result result) {
        return result.findings().stream().map(Finding::format).toList();
    }

    @Test
    void readsTheExamplePolicyOfRfc8461Section32() {
        Result result = parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "mx: backupmx.example.com\r\nmax_age: 604800\r\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.lineEnding()).isEqualTo(LineEnding.CRLF);
        MtaStsPolicy policy = result.policy().orElseThrow();
        assertThat(policy.mode()).isEqualTo(MtaStsMode.ENFORCE);
        assertThat(policy.maxAge()).isEqualTo(604800);
        assertThat(policy.mx()).containsExactly("*.example.net", "backupmx.example.com", "mail.example.com");
    }

    @Test
    void theTextOfAPolicyParsesBackToTheSamePolicy() {
        MtaStsPolicy written = new MtaStsPolicy(MtaStsMode.TESTING, List.of("mx1.example.com", "*.example.net"), 86400);

        Result result = MtaStsPolicyParser.parse(written.bytes(), SOURCE);

        assertThat(result.findings()).isEmpty();
        assertThat(result.policy()).contains(written);
        assertThat(result.policy().orElseThrow().id()).isEqualTo(written.id());
    }

    @Test
    void modeNoneNeedsNoMxAsInTheRemovalExampleOfSection83() {
        Result result = parse("version: STSv1\r\nmode: none\r\nmax_age: 1296000\r\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.policy().orElseThrow().mode()).isEqualTo(MtaStsMode.NONE);
        assertThat(result.policy().orElseThrow().mx()).isEmpty();
    }

    @Test
    void bareLfIsAcceptedAsTheAbnfAllowsButNoted() {
        Result result = parse("version: STSv1\nmode: testing\nmx: mx1.example.com\nmax_age: 86400\n");

        assertThat(result.policy()).isPresent();
        assertThat(result.lineEnding()).isEqualTo(LineEnding.LF);
        assertThat(formatted(result))
                .containsExactly(SOURCE + ": note: lines end in LF; RFC 8461 section 3.2 calls for"
                        + " CRLF, though its ABNF accepts LF [policy-text.line-ending]");
    }

    @Test
    void mixedLineEndingsAndAMissingFinalTerminatorAreAccepted() {
        Result result = parse("version: STSv1\r\nmode: testing\nmx: mx1.example.com\r\nmax_age: 86400");

        assertThat(result.policy()).isPresent();
        assertThat(result.lineEnding()).isEqualTo(LineEnding.MIXED);
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void whitespaceAfterTheColonAndAtTheEndOfALineIsAllowed() {
        Result result = parse("version:STSv1\r\nmode:\t enforce  \r\nmx:   mx1.example.com\t\r\nmax_age: 86400 \r\n");

        assertThat(result.findings()).isEmpty();
        assertThat(result.policy().orElseThrow().mx()).containsExactly("mx1.example.com");
    }

    @Test
    void unknownFieldsAreIgnoredWithANote() {
        Result result = parse("version: STSv1\r\nmode: enforce\r\nx-extension: some value\r\nmx: mx1.example.com\r\n"
                + "max_age: 86400\r\n");

        assertThat(result.policy()).isPresent();
        assertThat(formatted(result))
                .containsExactly(SOURCE
                        + ":3: note: field 'x-extension' is ignored (unknown to RFC 8461) [policy-text.unknown-field]");
    }

    @Test
    void aRepeatedSingleFieldKeepsTheFirstValueWithAWarning() {
        Result result = parse("version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: mx1.example.com\r\n"
                + "max_age: 86400\r\nmax_age: 0\r\n");

        assertThat(result.policy().orElseThrow().mode()).isEqualTo(MtaStsMode.TESTING);
        assertThat(result.policy().orElseThrow().maxAge()).isEqualTo(86400);
        assertThat(formatted(result))
                .containsExactly(
                        SOURCE
                                + ":3: warning: mode appears again (first on line 2); senders use the first and ignore this one"
                                + " (RFC 8461 section 3.2) [policy-text.duplicate]",
                        SOURCE
                                + ":6: warning: max_age appears again (first on line 5); senders use the first and ignore this"
                                + " one (RFC 8461 section 3.2) [policy-text.duplicate]");
    }

    @Test
    void mxRepeatsAndDuplicatesCollapse() {
        Result result = parse("version: STSv1\r\nmode: enforce\r\nmx: MX1.example.com\r\nmx: mx1.example.com.\r\n"
                + "mx: mx2.example.com\r\nmax_age: 86400\r\n");

        assertThat(result.policy().orElseThrow().mx()).containsExactly("mx1.example.com", "mx2.example.com");
    }

    @Test
    void everyMissingFieldIsAnError() {
        Result result = parse("mode: enforce\r\n");

        assertThat(result.policy()).isEmpty();
        assertThat(formatted(result))
                .containsExactlyInAnyOrder(
                        SOURCE
                                + ": error: has no version field, which RFC 8461 section 3.2 requires [policy-text.missing]",
                        SOURCE
                                + ": error: has no max_age field, which RFC 8461 section 3.2 requires [policy-text.missing]",
                        SOURCE
                                + ": error: has no mx field; RFC 8461 section 3.2 requires at least one unless the mode is none"
                                + " [policy-text.missing]");
    }

    @Test
    void wrongValuesAreErrorsNamingLineAndColumn() {
        Result result = parse("version: STSv2\r\nmode: Enforce\r\nmx: 192.0.2.1\r\nmax_age: 31557601\r\n");

        assertThat(result.policy()).isEmpty();
        assertThat(formatted(result))
                .containsExactly(
                        SOURCE
                                + ":1:10: error: version 'STSv2' is not STSv1 (RFC 8461 section 3.2) [policy-text.version]",
                        SOURCE
                                + ":2:7: error: mode 'Enforce' is not one of enforce, testing, none (lower case, RFC 8461"
                                + " section 3.2) [policy-text.mode]",
                        SOURCE
                                + ":3:5: error: mx pattern '192.0.2.1' is not valid: it is an IP address; policies name MX hosts"
                                + " (RFC 8461 section 4.1) [policy-text.mx]",
                        SOURCE
                                + ":4:10: error: max_age 31557601 is above the limit of 31557600 seconds, one year (RFC 8461"
                                + " section 3.2) [policy-text.max-age]");
    }

    @Test
    void maxAgeAtTheLimitIsAcceptedAndNonDigitsAreNot() {
        assertThat(parse("version: STSv1\r\nmode: none\r\nmax_age: 31557600\r\n")
                        .policy())
                .isPresent();
        assertThat(parse("version: STSv1\r\nmode: none\r\nmax_age: -1\r\n").errors())
                .extracting(Finding::id)
                .containsExactly("policy-text.max-age");
        assertThat(parse("version: STSv1\r\nmode: none\r\nmax_age: 12345678901\r\n")
                        .errors())
                .extracting(Finding::id)
                .containsExactly("policy-text.max-age");
    }

    @Test
    void fieldNamesAreCaseSensitiveAndTheMessageSaysSo() {
        Result result = parse("version: STSv1\r\nMode: enforce\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n");

        assertThat(result.policy()).isEmpty();
        assertThat(formatted(result))
                .contains(SOURCE + ":2: note: field 'Mode' is ignored; field names are"
                        + " case-sensitive, did you mean 'mode'? [policy-text.unknown-field]");
        assertThat(result.errors())
                .extracting(Finding::message)
                .containsExactly("has no mode field, which RFC 8461 section 3.2 requires");
    }

    @Test
    void versionLaterThanFirstIsAWarningOnly() {
        Result result = parse("mode: enforce\r\nmx: mx1.example.com\r\nmax_age: 86400\r\nversion: STSv1\r\n");

        assertThat(result.policy()).isPresent();
        assertThat(result.findings()).extracting(Finding::id).containsExactly("policy-text.version-not-first");
    }

    @Test
    void emptyLinesAndLinesWithoutColonAreReported() {
        Result result = parse("version: STSv1\r\n\r\nmode enforce\r\nmode: enforce\r\nmx: mx1.example.com\r\n"
                + "max_age: 86400\r\n");

        assertThat(result.policy()).isEmpty();
        assertThat(formatted(result))
                .containsExactly(
                        SOURCE
                                + ":2: warning: empty line; the ABNF of RFC 8461 section 3.2 has no empty lines and a strict"
                                + " sender rejects the policy [policy-text.empty-line]",
                        SOURCE + ":3:1: error: 'mode enforce' is not a field 'name: value' (RFC 8461 section 3.2)"
                                + " [policy-text.syntax]");
    }

    @Test
    void anHtmlPageIsRejectedWithoutAFindingPerLine() {
        String page = "<html>\n<head><title>Welcome</title></head>\n".repeat(20);

        Result result = parse(page);

        assertThat(result.policy()).isEmpty();
        assertThat(result.errors()).hasSize(6);
        assertThat(result.errors().get(5).message()).isEqualTo("not read further after 5 lines that are not fields");
    }

    @Test
    void controlCharactersInValuesAreShownEscaped() {
        Result result = parse("version: STSv1\r\nmode: enforce\u001b[2J\r\nmx: mx1.example.com\r\nmax_age: 86400\r\n");

        assertThat(result.errors())
                .extracting(Finding::message)
                .containsExactly("mode 'enforce\\x1b[2J' is not one of enforce, testing, none (lower case, RFC 8461"
                        + " section 3.2)");
    }

    @Test
    void emptyAndNonUtf8BodiesAreErrors() {
        assertThat(formatted(parse("")))
                .containsExactly(SOURCE + ": error: is empty; a policy needs version, mode,"
                        + " max_age and mx fields (RFC 8461 section 3.2) [policy-text.empty]");
        Result latin1 = MtaStsPolicyParser.parse(new byte[] {'m', 'x', ':', ' ', (byte) 0xe9}, SOURCE);
        assertThat(formatted(latin1))
                .containsExactly(
                        SOURCE + ": error: is not UTF-8 text (RFC 8461 section 3.2)" + " [policy-text.encoding]");
    }
}
