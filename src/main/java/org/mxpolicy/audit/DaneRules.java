package org.mxpolicy.audit;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.record.DaneVerification;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.record.TlsaUsage;
import org.mxpolicy.scan.CertificateInfo;
import org.mxpolicy.scan.RuleFinding;
import org.mxpolicy.scan.TlsScan;
import org.mxpolicy.scan.Verdict;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TLSARecord;

/**
 * TR-03108 05-M judged as a DANE SMTP client (RFC 7672) would find the domain: the MX RRset and
 * the MX host's address records DNSSEC-secure (section 2.2), usable TLSA records at
 * {@code _25._tcp.<host>} (section 3.1.3: DANE-TA(2) or DANE-EE(3), selector 0 or 1, matching
 * type 0, 1 or 2), and the chain each MX address presented matched by one of them (section 3.1:
 * DANE-EE by the leaf alone, names and dates not checked; DANE-TA by a certificate of the chain
 * the leaf chains up to, whose name must be the MX host's). Pure: answers and scans in, findings
 * out.
 */
public final class DaneRules {

    private static final String INBOUND_DANE = Requirement.INBOUND_DANE.id();

    private DaneRules() {}

    /** {@code dnssec.mx}: the MX RRset (or its absence) must validate, or senders never look for TLSA. */
    public static RuleFinding mxSigned(DnsAnswer.Security security) {
        return switch (security) {
            case SECURE -> finding("dnssec.mx", "RFC 7672 2.2.1", Verdict.PASS, "the MX RRset is DNSSEC-secure");
            case INSECURE ->
                finding(
                        "dnssec.mx",
                        "RFC 7672 2.2.1",
                        Verdict.FAIL,
                        "the MX RRset is not signed (DNSSEC insecure): DANE senders do not look for TLSA records");
            case BOGUS ->
                finding("dnssec.mx", "RFC 7672 2.2.1", Verdict.FAIL, "the MX RRset does not validate (DNSSEC bogus)");
            case FAILED -> finding("dnssec.mx", "RFC 7672 2.2.1", Verdict.UNKNOWN, "the MX lookup did not answer");
        };
    }

    /**
     * {@code dnssec.mx-host}: the MX host's own zone must be signed too (TR-03108 4.1.5); with
     * insecure address records a DANE sender does not look up the host's TLSA records
     * (RFC 7672 section 2.2.2).
     */
    public static RuleFinding hostSigned(String host, DnsAnswer.Security addresses) {
        return switch (addresses) {
            case SECURE ->
                finding(
                        "dnssec.mx-host",
                        "RFC 7672 2.2.2",
                        Verdict.PASS,
                        "the address records of " + host + " are secure");
            case INSECURE ->
                finding(
                        "dnssec.mx-host",
                        "RFC 7672 2.2.2",
                        Verdict.FAIL,
                        "the address records of " + host
                                + " are not signed: DANE senders do not look up its TLSA records");
            case BOGUS ->
                finding(
                        "dnssec.mx-host",
                        "RFC 7672 2.2.2",
                        Verdict.FAIL,
                        "the address records of " + host + " do not validate (DNSSEC bogus)");
            case FAILED ->
                finding(
                        "dnssec.mx-host",
                        "RFC 7672 2.2.2",
                        Verdict.UNKNOWN,
                        "the address lookup of " + host + " did not answer");
        };
    }

    /** What a sender made of the TLSA lookup: the records it can use, and the finding about them. */
    public record TlsaJudgement(List<TlsaRecord> usable, RuleFinding finding) {

        public TlsaJudgement {
            usable = List.copyOf(usable);
        }
    }

    /** {@code dane.tlsa}: the TLSA RRset at {@code owner}, secure and with at least one usable record. */
    public static TlsaJudgement tlsa(String owner, DnsAnswer answer) {
        String source = "RFC 7672 3.1.3";
        switch (answer.security()) {
            case FAILED -> {
                return none(
                        Verdict.UNKNOWN,
                        "the TLSA lookup of " + owner + " did not answer: "
                                + answer.problem().orElse("no answer"));
            }
            case BOGUS -> {
                return none(
                        Verdict.FAIL,
                        "the TLSA RRset of " + owner
                                + " does not validate (DNSSEC bogus): DANE senders defer all mail to the host");
            }
            case INSECURE -> {
                return none(
                        Verdict.FAIL,
                        answer.records().isEmpty()
                                ? "no TLSA records at " + owner + " (and no signed denial)"
                                : "the TLSA RRset of " + owner + " is not signed: DANE senders ignore it");
            }
            case SECURE -> {
                // handled below
            }
        }
        List<TlsaRecord> all = new ArrayList<>();
        for (var record : answer.records()) {
            if (record instanceof TLSARecord tlsa) {
                try {
                    all.add(new TlsaRecord(
                            tlsa.getCertificateUsage(),
                            tlsa.getSelector(),
                            tlsa.getMatchingType(),
                            tlsa.getCertificateAssociationData()));
                } catch (IllegalArgumentException e) {
                    // A digest of the wrong length can match nothing: it is unusable (RFC 7671 section 5).
                }
            }
        }
        if (all.isEmpty()) {
            return none(
                    Verdict.FAIL,
                    (answer.rcode() == Rcode.NXDOMAIN ? "no such name " : "no TLSA records at ") + owner
                            + " (DNSSEC secure denial): senders use unauthenticated TLS");
        }
        List<TlsaRecord> usable = all.stream().filter(DaneRules::usable).toList();
        String listed = all.stream().map(DaneRules::brief).collect(Collectors.joining(", "));
        if (usable.isEmpty()) {
            return new TlsaJudgement(
                    List.of(),
                    finding(
                            "dane.tlsa",
                            source,
                            Verdict.FAIL,
                            "no usable TLSA record at " + owner + " (" + listed
                                    + "): only usages 2 and 3 with selector 0 or 1 and matching type 0, 1 or 2"
                                    + " count for SMTP; senders use unauthenticated TLS"));
        }
        return new TlsaJudgement(
                usable,
                finding(
                        "dane.tlsa",
                        source,
                        Verdict.PASS,
                        usable.size() + " usable of " + all.size() + " at " + owner + ", DNSSEC-secure: " + listed));
    }

    /** {@code dane.tlsa} when a DANE sender never gets as far as the TLSA lookup. */
    public static RuleFinding tlsaNotReached(String host, String why) {
        return finding("dane.tlsa", "RFC 7672 2.2", Verdict.NOT_APPLICABLE, "TLSA of " + host + " not used: " + why);
    }

    /**
     * {@code dane.match}: whether the chain one MX address presented is authenticated by one of
     * the usable records, as a DANE sender checks it. Without TLS the sender defers the mail
     * (RFC 7672 section 2.2); a scan that did not get the chain leaves it unknown.
     */
    public static RuleFinding match(String host, List<TlsaRecord> usable, TlsScan scan) {
        String source = "RFC 7672 3.1";
        if (!scan.connected()) {
            return finding(
                    "dane.match",
                    source,
                    Verdict.UNKNOWN,
                    "no connection: " + scan.problem().orElse("no answer"));
        }
        if (scan.chain().isEmpty()) {
            if (scan.versions().isEmpty() && !scan.incomplete()) {
                return finding(
                        "dane.match",
                        "RFC 7672 2.2",
                        Verdict.FAIL,
                        "TLSA records are published but the server offers no TLS ("
                                + scan.problem().orElse("no version accepted")
                                + "): DANE senders defer all mail to it");
            }
            return finding("dane.match", source, Verdict.UNKNOWN, "the scan did not get the certificate chain");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (CertificateInfo info : scan.chain()) {
            Optional<X509Certificate> certificate = info.certificate();
            if (certificate.isEmpty()) {
                return finding("dane.match", source, Verdict.UNKNOWN, "the scan kept no certificate bytes");
            }
            chain.add(certificate.get());
        }
        Optional<TlsaRecord> matched = DaneVerification.match(usable, chain, host);
        if (matched.isPresent()) {
            TlsaRecord record = matched.get();
            String how = record.usage() == TlsaUsage.DANE_EE.value()
                    ? "matches the leaf (DANE-EE; names and dates not checked, RFC 7672 3.1.1)"
                    : "matches a CA certificate of the chain, and the leaf names " + host + " (DANE-TA)";
            return finding("dane.match", source, Verdict.PASS, brief(record) + " " + how);
        }
        return finding(
                "dane.match",
                source,
                Verdict.FAIL,
                "no usable TLSA record matches the chain presented (leaf "
                        + scan.chain().get(0).subject()
                        + ", issued by " + scan.chain().get(0).issuer()
                        + "): DANE senders defer all mail to this address");
    }

    /** RFC 7672 section 3.1.3: what an SMTP client may use. */
    static boolean usable(TlsaRecord record) {
        return (record.usage() == TlsaUsage.DANE_TA.value() || record.usage() == TlsaUsage.DANE_EE.value())
                && record.selector() <= TlsaRecord.SELECTOR_SPKI
                && record.matching() <= TlsaRecord.MATCHING_SHA512;
    }

    /** {@code 3 1 1 0c72ac70...}: enough of the data to tell records apart. */
    static String brief(TlsaRecord record) {
        String text = record.presentation();
        int cut = text.indexOf(' ', text.indexOf(' ', text.indexOf(' ') + 1) + 1) + 1 + 16;
        return text.length() > cut ? text.substring(0, cut) + "..." : text;
    }

    private static TlsaJudgement none(Verdict verdict, String evidence) {
        return new TlsaJudgement(List.of(), finding("dane.tlsa", "RFC 7672 2.2.3", verdict, evidence));
    }

    private static RuleFinding finding(String check, String source, Verdict verdict, String evidence) {
        return new RuleFinding(INBOUND_DANE, check, source, verdict, evidence);
    }
}
