package org.mxpolicy.check;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.mxpolicy.desired.DesiredDomain;
import org.mxpolicy.desired.DomainPolicy;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.history.RecordSet;
import org.mxpolicy.plan.SafetyRules;
import org.mxpolicy.probe.HttpsPolicyFetch;
import org.mxpolicy.probe.PolicyObservation;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MtaStsPolicy;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * One mail domain: its MX RRset against the config and the MTA-STS patterns, the {@code _mta-sts}
 * id against the policy served and the policy the config yields (RFC 8461), the TLS-RPT record
 * (RFC 8460, TR-03108-10-M).
 */
final class DomainCheck {

    /**
     * What the domain check found, the MTA-STS state the plan's safety rules need, and the
     * {@code _mta-sts} id and policy text seen served, for the history.
     */
    record Outcome(List<CheckResult> results, Optional<SafetyRules.PolicyState> policy, List<RecordSet> observed) {}

    private final Observers observers;

    DomainCheck(Observers observers) {
        this.observers = observers;
    }

    Outcome run(DesiredDomain domain, Optional<DomainPolicy> desiredPolicy) {
        List<CheckResult> results = new ArrayList<>();
        String name = domain.name();
        List<String> mxHosts = mxRrset(domain, results);
        Optional<SafetyRules.PolicyState> policyState = Optional.empty();
        List<RecordSet> observed = new ArrayList<>();
        if (desiredPolicy.isPresent()) {
            SafetyRules.PolicyState state = mtaSts(name, desiredPolicy.get().policy(), mxHosts, results);
            policyState = Optional.of(state);
            state.publishedId().ifPresent(id -> observed.add(RecordSet.stsId(name, id)));
            state.servedBody()
                    .map(body -> new String(body, StandardCharsets.UTF_8))
                    .filter(text -> !text.isBlank())
                    .ifPresent(text -> observed.add(RecordSet.stsPolicy(name, text)));
        }
        if (domain.tlsReports()) {
            tlsRpt(name, results);
        }
        return new Outcome(results, policyState, observed);
    }

    /** The MX host names the DNS serves, or an empty list when that is not known. */
    private List<String> mxRrset(DesiredDomain domain, List<CheckResult> results) {
        String name = domain.name();
        DnsAnswer answer = observers.dns().lookup(Name.fromConstantString(name + "."), Type.MX);
        if (answer.security() == DnsAnswer.Security.FAILED) {
            results.add(CheckResult.unknown(
                    "mx.lookup",
                    name,
                    "cannot look up " + answer.question() + ": "
                            + answer.problem().orElse("no answer")));
            return List.of();
        }
        if (answer.security() == DnsAnswer.Security.BOGUS) {
            results.add(CheckResult.critical(
                    "dnssec.bogus",
                    name,
                    answer.question() + " does not validate: "
                            + answer.problem().orElse("bogus") + "; senders cannot deliver mail"));
            return List.of();
        }
        if (answer.security() == DnsAnswer.Security.INSECURE) {
            results.add(CheckResult.critical(
                    "dnssec.insecure",
                    name,
                    "the MX RRset of " + name + " is not DNSSEC-signed,"
                            + " so senders do not use DANE for it (RFC 7672 section 2.2.1, TR-03108-05-M)"));
        }
        TreeSet<String> served = new TreeSet<>();
        for (Record r : answer.records()) {
            if (r instanceof MXRecord mx) {
                served.add(withoutDot(mx.getTarget().toString()));
            }
        }
        if (served.isEmpty()) {
            results.add(CheckResult.critical("mx.missing", name, name + " has no MX records"));
            return List.of();
        }
        TreeSet<String> configured = new TreeSet<>();
        configured.addAll(domain.mxHosts());
        for (String host : served) {
            if (!configured.contains(host)) {
                results.add(CheckResult.warning(
                        "mx.not-configured",
                        name,
                        "MX " + host + " is served in DNS but not"
                                + " configured, so mxpolicy publishes no TLSA records for it and does not check it"));
            }
        }
        for (String host : configured) {
            if (!served.contains(host)) {
                results.add(CheckResult.warning(
                        "mx.not-in-dns",
                        name,
                        "configured MX host " + host + " is not in the" + " MX RRset of " + name));
            }
        }
        return List.copyOf(served);
    }

    private SafetyRules.PolicyState mtaSts(
            String domain, MtaStsPolicy desired, List<String> mxHosts, List<CheckResult> results) {
        boolean enforce = desired.mode() == MtaStsMode.ENFORCE;
        Name txtName = Name.fromConstantString("_mta-sts." + domain + ".");
        DnsAnswer txt = observers.dns().lookup(txtName, Type.TXT);
        Optional<String> publishedId = Optional.empty();
        if (txt.security() == DnsAnswer.Security.FAILED) {
            results.add(CheckResult.unknown(
                    "mta-sts.lookup",
                    domain,
                    "cannot look up " + txt.question() + ": " + txt.problem().orElse("no answer")));
        } else {
            List<String> ids = new ArrayList<>();
            for (Record r : txt.records()) {
                String text = String.join("", ((TXTRecord) r).getStrings());
                if (text.startsWith("v=STSv1")) {
                    ids.add(MtaStsTxt.id(text).orElse(""));
                }
            }
            if (ids.isEmpty()) {
                results.add(CheckResult.critical(
                        "mta-sts.txt-missing",
                        domain,
                        "no v=STSv1 record at " + txtName
                                + "; senders never look for the policy (RFC 8461 section 3.1)"));
            } else if (ids.size() > 1) {
                results.add(CheckResult.critical(
                        "mta-sts.txt-multiple",
                        domain,
                        ids.size() + " v=STSv1 records at " + txtName
                                + "; senders then act as if there were no policy (RFC 8461 section 3.1)"));
            } else if (ids.get(0).isEmpty()) {
                results.add(CheckResult.critical(
                        "mta-sts.txt-invalid",
                        domain,
                        "the v=STSv1 record at " + txtName
                                + " has no valid id (1 to 32 letters and digits, RFC 8461 section 3.1)"));
            } else {
                publishedId = Optional.of(ids.get(0));
            }
        }

        Optional<PolicyObservation> fetch = fetchPolicy(domain, enforce, results);
        Optional<byte[]> served = Optional.empty();
        if (fetch.isEmpty()) {
            // the policy host's address is not known: reported, nothing fetched
        } else if (!fetch.get().accepted()) {
            PolicyObservation fetched = fetch.get();
            String message = "senders would not accept the policy at " + fetched.url() + ": "
                    + fetched.problem().get();
            results.add(
                    enforce
                            ? CheckResult.critical("mta-sts.fetch", domain, message)
                            : CheckResult.warning("mta-sts.fetch", domain, message));
        } else {
            PolicyObservation fetched = fetch.get();
            served = Optional.of(fetched.body());
            boolean same = Arrays.equals(fetched.body(), desired.bytes());
            if (!same && publishedId.isPresent() && publishedId.get().equals(desired.id())) {
                results.add(CheckResult.critical(
                        "mta-sts.id-not-changed",
                        domain,
                        "the policy served at " + fetched.url()
                                + " differs from the config's, but the _mta-sts id (" + publishedId.get()
                                + ") is the one of the"
                                + " config's policy: senders that cached a policy under this id will not fetch the one served."
                                + " Serve the config's policy (mxpolicy serve) or publish a new id"));
            } else if (!same) {
                results.add(CheckResult.critical(
                        "mta-sts.policy-differs",
                        domain,
                        "the policy served at " + fetched.url()
                                + " differs from the config's (mode "
                                + desired.mode().keyword() + ", " + desired.mx().size()
                                + " mx patterns, max_age " + desired.maxAge() + "); serve the config's policy"));
            } else if (publishedId.isPresent() && !publishedId.get().equals(desired.id())) {
                results.add(CheckResult.warning(
                        "mta-sts.id-stale",
                        domain,
                        "the policy served is the config's, but the"
                                + " _mta-sts id is " + publishedId.get() + ", not " + desired.id()
                                + "; publish the new id"
                                + " (mxpolicy publish) so senders refresh cached policies"));
            } else if (publishedId.isPresent()) {
                results.add(CheckResult.ok(
                        "mta-sts.ok",
                        domain,
                        "policy id " + desired.id() + " published and served" + " (mode "
                                + desired.mode().keyword() + ")"));
            }
        }

        List<String> uncovered = desired.uncovered(mxHosts);
        if (!uncovered.isEmpty() && desired.mode() != MtaStsMode.NONE) {
            String message =
                    "MX host(s) " + String.join(", ", uncovered) + " match no mx pattern of the MTA-STS policy;"
                            + " senders " + (enforce ? "refuse to deliver to them" : "report failures for them");
            results.add(
                    enforce
                            ? CheckResult.critical("mta-sts.mx-uncovered", domain, message)
                            : CheckResult.warning("mta-sts.mx-uncovered", domain, message));
        }
        return new SafetyRules.PolicyState(domain, desired.bytes(), desired.id(), served, publishedId);
    }

    /**
     * Looks up {@code mta-sts.<domain>} (A and AAAA) through the validating lookup, as the rest of
     * the check does, and fetches the policy from those addresses. Empty when the lookup failed
     * or does not validate: that is reported, and no address is guessed from another resolver.
     */
    private Optional<PolicyObservation> fetchPolicy(String domain, boolean enforce, List<CheckResult> results) {
        Name host = Name.fromConstantString(HttpsPolicyFetch.host(domain) + ".");
        List<InetAddress> addresses = new ArrayList<>();
        List<DnsAnswer> failed = new ArrayList<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            DnsAnswer answer = observers.dns().lookup(host, type);
            switch (answer.security()) {
                case FAILED -> failed.add(answer);
                case BOGUS -> {
                    String message = answer.question() + " does not validate: "
                            + answer.problem().orElse("bogus")
                            + "; senders with a validating resolver cannot fetch the policy";
                    results.add(
                            enforce
                                    ? CheckResult.critical("mta-sts.fetch", domain, message)
                                    : CheckResult.warning("mta-sts.fetch", domain, message));
                    return Optional.empty();
                }
                default -> {
                    for (Record r : answer.records()) {
                        if (r instanceof ARecord a) {
                            addresses.add(a.getAddress());
                        } else if (r instanceof AAAARecord aaaa) {
                            addresses.add(aaaa.getAddress());
                        }
                    }
                }
            }
        }
        if (addresses.isEmpty() && !failed.isEmpty()) {
            DnsAnswer first = failed.get(0);
            results.add(CheckResult.unknown(
                    "mta-sts.address-lookup",
                    domain,
                    "cannot look up " + first.question() + ": "
                            + first.problem().orElse("no answer") + "; the policy was not fetched"));
            return Optional.empty();
        }
        return Optional.of(observers.policies().fetch(domain, addresses));
    }

    private void tlsRpt(String domain, List<CheckResult> results) {
        Name owner = Name.fromConstantString("_smtp._tls." + domain + ".");
        DnsAnswer txt = observers.dns().lookup(owner, Type.TXT);
        if (txt.security() == DnsAnswer.Security.FAILED) {
            results.add(CheckResult.unknown(
                    "tlsrpt.lookup",
                    domain,
                    "cannot look up " + txt.question() + ": " + txt.problem().orElse("no answer")));
            return;
        }
        List<String> policies = new ArrayList<>();
        for (Record r : txt.records()) {
            String text = String.join("", ((TXTRecord) r).getStrings());
            if (text.startsWith("v=TLSRPTv1")) {
                policies.add(text);
            }
        }
        if (policies.isEmpty()) {
            results.add(CheckResult.warning(
                    "tlsrpt.missing",
                    domain,
                    "no v=TLSRPTv1 record at " + owner + "; nobody reports TLS failures to you (TR-03108-10-M)"));
        } else if (policies.size() > 1) {
            results.add(CheckResult.warning(
                    "tlsrpt.multiple",
                    domain,
                    policies.size() + " v=TLSRPTv1 records at " + owner
                            + "; senders ignore them all (RFC 8460 section 3)"));
        } else if (policies.get(0).toLowerCase(Locale.ROOT).contains("https:")) {
            results.add(CheckResult.warning(
                    "tlsrpt.https",
                    domain,
                    owner + " asks for reports over https; TR-03108-10-M" + " wants mailto: only"));
        } else {
            results.add(CheckResult.ok("tlsrpt.ok", domain, "TLS-RPT: " + policies.get(0)));
        }
    }

    private static String withoutDot(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
