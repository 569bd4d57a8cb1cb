package org.mxpolicy.check;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.desired.DesiredMx;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.probe.SmtpObservation;
import org.mxpolicy.record.DaneVerification;
import org.mxpolicy.record.TlsaRecord;
import org.mxpolicy.record.TlsaUsage;
import org.mxpolicy.zone.TlsaData;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.Type;

/**
 * One MX host: its TLSA RRset as validated DNS serves it, the certificate on disk and the next
 * keys against it, and a STARTTLS probe of every address against both (RFC 7672).
 */
final class MxCheck {

    /**
     * More records than this make the TLSA RRset large enough to need TCP and suggest stale
     * entries; a current and a next key per algorithm plus issuers fit well below it.
     */
    static final int TLSA_RRSET_LIMIT = 12;

    /** What the host check found, and the chains in use that the plan's safety rules protect. */
    record Outcome(
            List<CheckResult> results,
            List<Expiry> expiries,
            List<List<X509Certificate>> chainsInUse,
            Optional<RecordSet> observedTlsa) {}

    private final Observers observers;
    private final CheckSettings settings;
    private final Clock clock;

    MxCheck(Observers observers, CheckSettings settings, Clock clock) {
        this.observers = observers;
        this.settings = settings;
        this.clock = clock;
    }

    Outcome run(DesiredMx mx) {
        String host = mx.host();
        Name owner = mx.tlsaOwner();
        CertificateChain disk = mx.chain();
        List<SubjectPublicKey> nextKeys = mx.nextKeys();
        List<CheckResult> results = new ArrayList<>();
        List<Expiry> expiries = new ArrayList<>();
        List<List<X509Certificate>> inUse = new ArrayList<>();
        inUse.add(disk.certificates());
        Instant now = clock.instant();

        certificateExpiry(disk.leaf(), host, "disk", now, results, expiries);

        DnsAnswer answer = observers.dns().lookup(owner, Type.TLSA);
        List<TlsaRecord> published = tlsaRecords(answer, owner, host, results);
        signatureExpiry(answer, owner + " TLSA", now, results, expiries);
        boolean usable = answer.security() == DnsAnswer.Security.SECURE && !published.isEmpty();

        if (usable) {
            if (DaneVerification.match(published, disk.certificates(), host).isPresent()) {
                results.add(CheckResult.ok(
                        "tlsa.disk-matched",
                        host,
                        "the certificate on disk (" + disk.source() + ") matches a published TLSA record"));
            } else {
                results.add(
                        CheckResult.critical(
                                "tlsa.disk-unmatched",
                                host,
                                "no published TLSA record at " + owner
                                        + " matches the certificate on disk (" + disk.source()
                                        + "); when the MTA loads it, DANE"
                                        + " senders will defer mail. Publish its records (mxpolicy publish) and wait two TTLs first"));
            }
            for (SubjectPublicKey next : nextKeys) {
                TlsaRecord expected = TlsaRecord.of(TlsaUsage.DANE_EE.value(), matchingOf(mx), next);
                if (!published.contains(expected)) {
                    results.add(CheckResult.warning(
                            "tlsa.next-key-unpublished",
                            host,
                            "the next key ("
                                    + next.description() + ") has no published TLSA record " + expected.presentation()
                                    + " at " + owner + "; a rollover to it would break DANE"));
                }
            }
        }

        for (InetSocketAddress address : addresses(mx, results)) {
            SmtpObservation seen = observers.smtp().probe(host, address);
            String subject = host + " " + display(address);
            if (!seen.chain().isEmpty()) {
                inUse.add(seen.chain());
            }
            probeResults(seen, subject, host, disk, usable ? published : List.of(), now, results, expiries);
        }
        return new Outcome(results, expiries, inUse, observed(host, answer));
    }

    /** The TLSA RRset DNS answered with, for the history; none when the lookup failed or did not validate. */
    private static Optional<RecordSet> observed(String host, DnsAnswer answer) {
        if (answer.security() == DnsAnswer.Security.FAILED || answer.security() == DnsAnswer.Security.BOGUS) {
            return Optional.empty();
        }
        List<String> records = answer.records().stream()
                .filter(r -> r instanceof TLSARecord)
                .map(org.xbill.DNS.Record::rdataToString)
                .toList();
        return records.isEmpty() ? Optional.empty() : Optional.of(RecordSet.tlsa(host, records));
    }

    private List<TlsaRecord> tlsaRecords(DnsAnswer answer, Name owner, String host, List<CheckResult> results) {
        switch (answer.security()) {
            case FAILED -> {
                results.add(CheckResult.unknown(
                        "tlsa.lookup",
                        host,
                        "cannot look up " + owner + " TLSA: " + answer.problem().orElse("no answer")));
                return List.of();
            }
            case BOGUS -> {
                results.add(CheckResult.critical(
                        "dnssec.bogus",
                        host,
                        owner + " TLSA does not validate: " + answer.problem().orElse("bogus")
                                + "; senders treat the MX as unreachable"));
                return List.of();
            }
            case INSECURE -> {
                results.add(
                        CheckResult.critical(
                                "tlsa.insecure",
                                host,
                                owner + " is not DNSSEC-signed (an insecure"
                                        + " delegation on the way), so senders ignore its TLSA records (RFC 7672 section 2.2)"));
                return List.of();
            }
            default -> {}
        }
        if (!answer.hasRecords()) {
            String what = answer.rcode() == Rcode.NXDOMAIN ? "does not exist" : "has no TLSA records";
            results.add(CheckResult.critical(
                    "tlsa.missing",
                    host,
                    owner + " " + what + "; DANE senders cannot" + " authenticate this MX (TR-03108-05-M)"));
            return List.of();
        }
        List<TlsaRecord> usable = new ArrayList<>();
        for (Record r : answer.records()) {
            Optional<TlsaRecord> record = r instanceof TLSARecord tlsa ? TlsaData.of(tlsa) : Optional.empty();
            Optional<String> refusal = record.flatMap(t -> TlsaUsage.refusalForSmtp(t.usage()));
            if (record.isEmpty() || refusal.isPresent()) {
                results.add(CheckResult.warning(
                        "tlsa.unusable",
                        host,
                        "unusable record " + r.rdataToString() + " at " + owner + ": "
                                + refusal.orElse("malformed fields or data length")));
            } else {
                usable.add(record.get());
            }
        }
        if (answer.records().size() > TLSA_RRSET_LIMIT) {
            results.add(CheckResult.warning(
                    "tlsa.too-many",
                    host,
                    owner + " has " + answer.records().size() + " records (more than " + TLSA_RRSET_LIMIT
                            + "); remove records of retired keys"));
        }
        return usable;
    }

    private List<InetSocketAddress> addresses(DesiredMx mx, List<CheckResult> results) {
        List<InetSocketAddress> addresses = new ArrayList<>();
        Name name = Name.fromConstantString(mx.host() + ".");
        for (int type : new int[] {Type.A, Type.AAAA}) {
            DnsAnswer answer = observers.dns().lookup(name, type);
            if (answer.security() == DnsAnswer.Security.FAILED) {
                results.add(CheckResult.unknown(
                        "mx.address-lookup",
                        mx.host(),
                        "cannot look up " + answer.question() + ": "
                                + answer.problem().orElse("no answer")));
                continue;
            }
            for (Record r : answer.records()) {
                InetAddress ip = r instanceof ARecord a
                        ? a.getAddress()
                        : r instanceof AAAARecord aaaa ? aaaa.getAddress() : null;
                if (ip != null) {
                    addresses.add(new InetSocketAddress(ip, mx.port()));
                }
            }
        }
        if (addresses.isEmpty() && results.stream().noneMatch(r -> r.id().equals("mx.address-lookup"))) {
            results.add(CheckResult.critical("mx.no-address", mx.host(), mx.host() + " has no A or AAAA records"));
        }
        return addresses;
    }

    private void probeResults(
            SmtpObservation seen,
            String subject,
            String host,
            CertificateChain disk,
            List<TlsaRecord> published,
            Instant now,
            List<CheckResult> results,
            List<Expiry> expiries) {
        if (seen.problem().isPresent() && !seen.tlsEstablished()) {
            if (seen.greeting().isPresent() && !seen.starttlsOffered()) {
                results.add(CheckResult.critical(
                        "smtp.starttls",
                        subject,
                        "STARTTLS is not offered (TR-03108-03-M); "
                                + seen.problem().get()));
            } else if (seen.greeting().isEmpty()) {
                results.add(CheckResult.critical(
                        "smtp.unreachable", subject, seen.problem().get()));
            } else {
                results.add(
                        CheckResult.critical("smtp.tls", subject, seen.problem().get()));
            }
            return;
        }
        String protocol = seen.protocol().orElse("?");
        if (!protocol.equals("TLSv1.3") && !protocol.equals("TLSv1.2")) {
            results.add(CheckResult.critical(
                    "smtp.tls-version",
                    subject,
                    "negotiated " + protocol + "; TLS 1.2 or 1.3 is required (TR-03108-03-M)"));
        }
        if (!seen.forwardSecret()) {
            results.add(CheckResult.critical(
                    "smtp.forward-secrecy",
                    subject,
                    "cipher suite " + seen.cipherSuite().orElse("?") + " has no forward secrecy (TR-03108-03-M)"));
        }
        if (seen.chain().isEmpty()) {
            results.add(CheckResult.critical("smtp.no-certificate", subject, "the server sent no certificate"));
            return;
        }
        X509Certificate live = seen.chain().get(0);
        certificateExpiry(live, host, "live " + display(seen.address()), now, results, expiries);
        if (!Arrays.equals(encoded(live), encoded(disk.leaf()))) {
            results.add(CheckResult.warning(
                    "cert.live-differs",
                    subject,
                    "the server presents a different certificate"
                            + " (serial " + live.getSerialNumber().toString(16) + ") than " + disk.source()
                            + " (serial "
                            + disk.leaf().getSerialNumber().toString(16) + "); reload the MTA, or update the config"));
        }
        if (!published.isEmpty()) {
            Optional<TlsaRecord> match = DaneVerification.match(published, seen.chain(), host);
            if (match.isPresent()) {
                results.add(CheckResult.ok(
                        "dane.verified",
                        subject,
                        protocol + " " + seen.cipherSuite().orElse("") + ", certificate authenticated by TLSA "
                                + match.get().presentation()));
            } else {
                results.add(CheckResult.critical(
                        "dane.live-unmatched",
                        subject,
                        "no published TLSA record matches the"
                                + " certificate the server presents ("
                                + live.getSubjectX500Principal().getName() + ", serial "
                                + live.getSerialNumber().toString(16) + "); DANE senders defer mail to this address"));
            }
        }
    }

    private void certificateExpiry(
            X509Certificate cert,
            String host,
            String source,
            Instant now,
            List<CheckResult> results,
            List<Expiry> expiries) {
        Instant notAfter = cert.getNotAfter().toInstant();
        expiries.add(new Expiry("certificate", host, source, notAfter));
        Duration left = Duration.between(now, notAfter);
        String when = left.isNegative()
                ? "expired " + Durations.text(left.negated()) + " ago"
                : "expires in " + Durations.text(left);
        String shown = MessageText.instant(notAfter);
        if (left.compareTo(settings.certificateCritical()) < 0) {
            results.add(CheckResult.critical(
                    "cert.expiry", host, "the certificate (" + source + ") " + when + " (" + shown + "); renew it"));
        } else if (left.compareTo(settings.certificateWarning()) < 0) {
            results.add(CheckResult.warning(
                    "cert.expiry", host, "the certificate (" + source + ") " + when + " (" + shown + "); renew it"));
        }
    }

    private void signatureExpiry(
            DnsAnswer answer, String rrset, Instant now, List<CheckResult> results, List<Expiry> expiries) {
        Signatures.earliestExpiry(answer.signatures()).ifPresent(expires -> {
            expiries.add(new Expiry("signature", rrset, "validated lookup", expires));
            Signatures.expiryResult(rrset, expires, now, settings).ifPresent(results::add);
        });
    }

    private static int matchingOf(DesiredMx mx) {
        return mx.tlsaMatching() == TlsaRecord.MATCHING_FULL ? TlsaRecord.MATCHING_SHA256 : mx.tlsaMatching();
    }

    private static byte[] encoded(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            return new byte[0];
        }
    }

    static String display(InetSocketAddress address) {
        String host = address.getAddress() == null
                ? address.getHostString()
                : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
