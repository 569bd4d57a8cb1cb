package org.mxpolicy.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.Verdict;
import org.xbill.DNS.TXTRecord;

/**
 * TR-03108 10-M judged from the domain's TLS-RPT policy (RFC 8460 section 3): exactly one
 * {@code v=TLSRPTv1} TXT record at {@code _smtp._tls.<domain>} whose {@code rua} asks for reports
 * by mail only ({@code mailto:}, never {@code https:}, TR-03108 4.1.10); and the mailboxes'
 * domains, which SHOULD NOT enforce TLS by DANE or MTA-STS themselves, lest the reports about a
 * broken policy bounce for the same reason. Pure.
 */
public final class TlsRptRules {

    private static final String TLS_RPT = Requirement.TLS_RPT.id();

    /** RFC 8460 section 3: the record starts with {@code v=TLSRPTv1}, then fields. */
    private static final Pattern VERSION = Pattern.compile("^v=TLSRPTv1\\s*(;|$)");

    private TlsRptRules() {}

    /**
     * The policy's verdict and the domains of its {@code mailto:} addresses, for the check of
     * {@link #mailbox}.
     */
    public record PolicyJudgement(List<String> mailboxDomains, RuleFinding finding) {

        public PolicyJudgement {
            mailboxDomains = List.copyOf(mailboxDomains);
        }
    }

    /** {@code tlsrpt.policy}: the record at {@code _smtp._tls.<domain>}. */
    public static PolicyJudgement policy(String domain, DnsAnswer answer) {
        String owner = "_smtp._tls." + domain;
        if (answer.security() == DnsAnswer.Security.FAILED) {
            return none(
                    Verdict.UNKNOWN,
                    "the TXT lookup of " + owner + " did not answer: "
                            + answer.problem().orElse("no answer"));
        }
        if (answer.security() == DnsAnswer.Security.BOGUS) {
            return none(Verdict.FAIL, "the TXT RRset of " + owner + " is bogus");
        }
        List<String> policies = new ArrayList<>();
        for (var record : answer.records()) {
            if (record instanceof TXTRecord txt) {
                String text = String.join("", txt.getStrings());
                if (VERSION.matcher(text).find()) {
                    policies.add(text);
                }
            }
        }
        if (policies.isEmpty()) {
            return none(Verdict.FAIL, "no v=TLSRPTv1 TXT record at " + owner + ": the domain asks for no reports");
        }
        if (policies.size() > 1) {
            return none(
                    Verdict.FAIL,
                    policies.size() + " v=TLSRPTv1 TXT records at " + owner + ": senders use none (RFC 8460 3)");
        }
        String text = policies.get(0);
        List<String> rua = rua(text);
        if (rua.isEmpty()) {
            return none(Verdict.FAIL, owner + " \"" + text + "\" has no rua");
        }
        List<String> domains = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String uri : rua) {
            String lower = uri.toLowerCase(Locale.ROOT);
            if (lower.startsWith("mailto:")) {
                String address = URLDecoder.decode(uri.substring(7), StandardCharsets.UTF_8);
                int query = address.indexOf('?');
                if (query >= 0) {
                    address = address.substring(0, query);
                }
                int at = address.lastIndexOf('@');
                if (at > 0 && at < address.length() - 1) {
                    String mailDomain = address.substring(at + 1).toLowerCase(Locale.ROOT);
                    if (!domains.contains(mailDomain)) {
                        domains.add(mailDomain);
                    }
                } else {
                    others.add(uri + " (no mail domain)");
                }
            } else {
                others.add(uri);
            }
        }
        if (!others.isEmpty()) {
            return new PolicyJudgement(
                    domains,
                    finding(
                            "tlsrpt.policy",
                            "TR-03108 4.1.10",
                            Verdict.FAIL,
                            owner + " asks for reports other than by mail: " + String.join(", ", others)
                                    + " (TR-03108 10-M: mailto only)"));
        }
        return new PolicyJudgement(
                domains,
                finding(
                        "tlsrpt.policy",
                        "TR-03108 4.1.10",
                        Verdict.PASS,
                        owner + " asks for reports by mail only: " + String.join(", ", rua)));
    }

    /**
     * What is known of a report mailbox's domain: whether senders must authenticate its MX by
     * DANE (secure MX RRset and usable TLSA records) or by an MTA-STS policy in enforce mode.
     *
     * @param unknown why it could not be told, when so
     */
    public record MailboxDomain(String domain, boolean dane, boolean mtaStsEnforce, Optional<String> unknown) {}

    /**
     * {@code tlsrpt.mailbox}: the mailbox's domain SHOULD NOT enforce TLS by DANE or MTA-STS
     * (TR-03108 4.1.10), a warning when it does.
     */
    public static RuleFinding mailbox(MailboxDomain mailbox) {
        if (mailbox.unknown().isPresent()) {
            return finding(
                    "tlsrpt.mailbox",
                    "TR-03108 4.1.10",
                    Verdict.UNKNOWN,
                    "reports to " + mailbox.domain() + ": " + mailbox.unknown().get());
        }
        if (mailbox.dane() || mailbox.mtaStsEnforce()) {
            String how = mailbox.dane() && mailbox.mtaStsEnforce()
                    ? "DANE and MTA-STS enforce"
                    : mailbox.dane() ? "DANE" : "MTA-STS enforce";
            return finding(
                    "tlsrpt.mailbox",
                    "TR-03108 4.1.10",
                    Verdict.WARN,
                    "reports go to " + mailbox.domain() + ", which enforces TLS by " + how
                            + ": a report about a broken policy may not be delivered");
        }
        return finding(
                "tlsrpt.mailbox",
                "TR-03108 4.1.10",
                Verdict.PASS,
                "reports go to " + mailbox.domain() + ", which enforces neither DANE nor MTA-STS");
    }

    /** The URIs of {@code rua=}, split at commas (a comma inside a URI is escaped, RFC 8460 section 3). */
    static List<String> rua(String text) {
        for (String field : text.split(";", -1)) {
            String trimmed = field.strip();
            if (trimmed.regionMatches(true, 0, "rua=", 0, 4)) {
                List<String> uris = new ArrayList<>();
                for (String uri : trimmed.substring(4).split(",", -1)) {
                    if (!uri.isBlank()) {
                        uris.add(uri.strip());
                    }
                }
                return uris;
            }
        }
        return List.of();
    }

    private static PolicyJudgement none(Verdict verdict, String evidence) {
        return new PolicyJudgement(List.of(), finding("tlsrpt.policy", "RFC 8460 3", verdict, evidence));
    }

    private static RuleFinding finding(String check, String source, Verdict verdict, String evidence) {
        return new RuleFinding(TLS_RPT, check, source, verdict, evidence);
    }
}
