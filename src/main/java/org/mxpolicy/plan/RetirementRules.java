package org.mxpolicy.plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.zone.RrsetChange;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * How owned RRsets the config no longer produces leave the zone: each by a rule with an id, and
 * the share of deletions a plan may make. Pure: the observed MX RRsets, the ledger and the time
 * are arguments.
 *
 * <ul>
 *   <li>{@value #TLSA_NAMED_BY_MX}: a TLSA RRset {@code _<port>._tcp.<host>} stays while any
 *       observed MX RRset names the host: DANE senders still look it up and would defer mail
 *       without it (RFC 7672 section 2.2); change the MX first;</li>
 *   <li>{@value #MTA_STS_WITHDRAWAL}: a domain leaving MTA-STS first publishes a new id and serves
 *       {@code mode: none} for the old {@code max_age}; only then do the TXT record and the policy
 *       go (RFC 8461 section 8.3), since senders that cached an enforced policy would otherwise
 *       keep enforcing it against MX hosts that may change;</li>
 *   <li>{@value #DELETED}: any other owned RRset is deleted;</li>
 *   <li>{@value #MX_CHANGE}: under an enforced policy, the MX RRset may name a new host only once
 *       a policy covering it has been published for {@code max_age}: senders that cached the
 *       previous policy refuse a host it does not cover (RFC 8461 section 8.1). mxpolicy does not
 *       publish MX records, so the plan holds the change back by saying from when it is safe;</li>
 *   <li>{@value #DELETION_SHARE}: a plan that deletes more than the configured share of a zone's
 *       owned RRsets, or of those of all its zones together, is refused unless forced, as octoDNS
 *       refuses an unsafe plan.</li>
 * </ul>
 */
public final class RetirementRules {

    public static final String TLSA_NAMED_BY_MX = "retire.tlsa-named-by-mx";
    public static final String MTA_STS_WITHDRAWAL = "retire.mta-sts-withdrawal";
    public static final String DELETED = "retire.deleted";
    public static final String DELETION_SHARE = "plan.deletion-share";
    public static final String MX_CHANGE = "retire.mx-change";

    /**
     * The withdrawal id is {@code none<start>t<max_age>}, the start in epoch seconds: letters and
     * digits only (RFC 8461 section 3.1), and it says all a run needs to resume the withdrawal
     * when the ledger was lost or not written.
     */
    static final String WITHDRAWAL_ID_PREFIX = "none";

    private static final Pattern TLSA_OWNER = Pattern.compile("_[0-9]{1,5}\\._tcp\\.(.+)");
    private static final Pattern WITHDRAWAL_ID =
            Pattern.compile("v=STSv1;\\s*id=none([0-9]{1,12})t([0-9]{1,8})\\s*;?\\s*");
    private static final String MTA_STS = "_mta-sts";

    private RetirementRules() {}

    /**
     * What the observed MX RRsets say, the ledger of the zone and the time.
     *
     * @param mxHosts per mail domain whose MX RRset was observed, the host names it names (lower
     *     case, no trailing dot)
     */
    public record Context(Instant now, Map<String, Set<String>> mxHosts, OwnedZone ledger) {
        public Context {
            mxHosts = Map.copyOf(mxHosts);
        }
    }

    /**
     * The outcome for the zone: the RRsets that stay (as observed, or replaced), what happened to
     * each retiring RRset and why, and the withdrawals in progress afterwards.
     */
    public record Outcome(
            List<List<Record>> kept, List<Retirement> retirements, SortedMap<String, Withdrawal> withdrawals) {
        public Outcome {
            kept = List.copyOf(kept);
            retirements = List.copyOf(retirements);
        }
    }

    /**
     * Decides every retiring RRset.
     *
     * @param retiring owned RRsets the config no longer produces, as observed (non-empty)
     */
    public static Outcome retire(Map<RrsetKey, List<Record>> retiring, Context context) {
        List<List<Record>> kept = new ArrayList<>();
        List<Retirement> retirements = new ArrayList<>();
        SortedMap<String, Withdrawal> withdrawals = new TreeMap<>();
        for (Map.Entry<RrsetKey, List<Record>> entry : new TreeMap<>(retiring).entrySet()) {
            RrsetKey key = entry.getKey();
            List<Record> observed = entry.getValue();
            Optional<String> tlsaHost = tlsaHost(key);
            Optional<String> stsDomain = mtaStsDomain(key);
            if (tlsaHost.isPresent()) {
                Optional<String> namer = namedBy(tlsaHost.get(), context.mxHosts());
                if (namer.isPresent()) {
                    kept.add(observed);
                    retirements.add(new Retirement(
                            TLSA_NAMED_BY_MX,
                            key,
                            true,
                            Optional.empty(),
                            "kept while the MX RRset of " + namer.get() + " names " + tlsaHost.get()
                                    + "; DANE senders still look it up. Change the MX first; it goes on the next run"
                                    + " after that"));
                    continue;
                }
            } else if (stsDomain.isPresent()) {
                Withdrawal withdrawal = withdrawal(stsDomain.get(), observed, context);
                if (context.now().isBefore(withdrawal.ends())) {
                    long ttl = observed.get(0).getTTL();
                    kept.add(List.of(new TXTRecord(key.owner(), DClass.IN, ttl, "v=STSv1; id=" + withdrawal.id())));
                    withdrawals.put(withdrawal.domain(), withdrawal);
                    retirements.add(new Retirement(
                            MTA_STS_WITHDRAWAL,
                            key,
                            true,
                            Optional.of(withdrawal.ends()),
                            "MTA-STS of " + withdrawal.domain() + " is withdrawn: id " + withdrawal.id()
                                    + " with mode none served since " + withdrawal.started()
                                    + " for the old max_age of "
                                    + withdrawal.maxAge() + "s (RFC 8461 section 8.3); the TXT record and the policy go"
                                    + " from " + withdrawal.ends()));
                    continue;
                }
            }
            retirements.add(new Retirement(
                    DELETED, key, false, Optional.empty(), "owned and no longer in the config: deleted"));
        }
        return new Outcome(kept, retirements, withdrawals);
    }

    /**
     * The refusal of a plan that deletes more than {@code maxPercent} of the zone's owned RRsets,
     * when the zone owns at least {@code minOwned} (octoDNS's {@code MAX_SAFE_DELETE_PCENT} and
     * {@code MIN_EXISTING_RECORDS}). Ownership markers are not counted.
     */
    public static Optional<Refusal> deletionShare(
            List<RrsetChange> changes, Set<RrsetKey> owned, int maxPercent, int minOwned, boolean force) {
        return deletionShare(changes, owned, maxPercent, minOwned, force, "in the zone");
    }

    /**
     * As {@link #deletionShare}, over every zone of the plan together: a hoster's zones each own a
     * few RRsets, fewer than {@code minOwned}, so a config that drops most of its domains would pass
     * zone by zone.
     *
     * @param changes the changes of every zone
     * @param owned the RRsets owned in every zone
     */
    public static Optional<Refusal> deletionShareOfPlan(
            List<RrsetChange> changes, Set<RrsetKey> owned, int maxPercent, int minOwned, boolean force) {
        return deletionShare(changes, owned, maxPercent, minOwned, force, "across the plan's zones");
    }

    private static Optional<Refusal> deletionShare(
            List<RrsetChange> changes, Set<RrsetKey> owned, int maxPercent, int minOwned, boolean force, String where) {
        List<RrsetChange> deletions = changes.stream()
                .filter(c -> c.kind() == RrsetChange.Kind.DELETE)
                .filter(c -> owned.contains(new RrsetKey(c.owner(), c.type())))
                .filter(c -> !OwnershipMarker.isMarker(c.owner()))
                .toList();
        if (force || deletions.isEmpty() || owned.size() < minOwned) {
            return Optional.empty();
        }
        if (deletions.size() * 100L <= (long) maxPercent * owned.size()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(
                DELETION_SHARE,
                deletions.get(0),
                "the plan deletes " + deletions.size() + " of the " + owned.size()
                        + " RRsets owned " + where + ", more than"
                        + " ownership.max_deletion_percent (" + maxPercent + "%); if the config really drops them,"
                        + " run again with --force"));
    }

    /**
     * The MX change rule for one domain with an enforced policy: for each host the policy covers
     * that the observed MX RRset does not name yet, held until the policy has covered it for
     * {@code maxAge}.
     *
     * @param covered the configured MX hosts the desired policy covers
     * @param since from the ledger: since when a published policy has covered each host
     * @return the hold-backs, and the coverage to keep in the ledger (hosts covered from now on
     *     start now)
     */
    public static MxChange mxChange(
            String domain,
            long maxAge,
            Set<String> covered,
            Set<String> observedMx,
            Map<String, Instant> since,
            Instant now) {
        SortedMap<String, Instant> coverage = new TreeMap<>();
        List<Retirement> holds = new ArrayList<>();
        RrsetKey mx = new RrsetKey(Name.fromConstantString(domain + "."), Type.MX);
        for (String host : new java.util.TreeSet<>(covered)) {
            Instant from = since.getOrDefault(host, now);
            coverage.put(host, from);
            Instant safe = from.plusSeconds(maxAge);
            if (!observedMx.contains(host) && now.isBefore(safe)) {
                holds.add(new Retirement(
                        MX_CHANGE,
                        mx,
                        true,
                        Optional.of(safe),
                        "the policy of " + domain + " covers " + host + " since " + from + "; senders may hold the"
                                + " previous policy for max_age " + maxAge + "s, so let the MX RRset name " + host
                                + " only from " + safe + ", then drop the old host from the config (RFC 8461"
                                + " section 8.1)"));
            }
        }
        return new MxChange(holds, coverage);
    }

    /** What {@link #mxChange} decided. */
    public record MxChange(List<Retirement> holds, SortedMap<String, Instant> coverage) {
        public MxChange {
            holds = List.copyOf(holds);
        }
    }

    /** The host of a TLSA owner {@code _<port>._tcp.<host>}. */
    static Optional<String> tlsaHost(RrsetKey key) {
        if (key.type() != Type.TLSA) {
            return Optional.empty();
        }
        Matcher m = TLSA_OWNER.matcher(plain(key.owner()));
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The mail domain of an {@code _mta-sts.<domain>} TXT RRset. */
    static Optional<String> mtaStsDomain(RrsetKey key) {
        if (key.type() != Type.TXT
                || key.owner().labels() < 3
                || !key.owner().getLabelString(0).equalsIgnoreCase(MTA_STS)) {
            return Optional.empty();
        }
        return Optional.of(plain(new Name(key.owner(), 1)));
    }

    private static Optional<String> namedBy(String host, Map<String, Set<String>> mxHosts) {
        return new TreeMap<>(mxHosts)
                .entrySet().stream()
                        .filter(e -> e.getValue().contains(host))
                        .map(Map.Entry::getKey)
                        .findFirst();
    }

    /**
     * The withdrawal of {@code domain}: the ledger's; else the one the observed TXT record shows
     * (its id carries the start, so a run that crashed before writing the ledger resumes it); else
     * one that starts now.
     */
    private static Withdrawal withdrawal(String domain, List<Record> observed, Context context) {
        Withdrawal known = context.ledger().withdrawals().get(domain);
        if (known != null) {
            return known;
        }
        PolicyTerms terms = context.ledger().policies().get(domain);
        if (terms == null) {
            // nothing says how long senders may hold the policy: the longest max_age allowed
            terms = new PolicyTerms(org.mxpolicy.record.MtaStsPolicy.MAX_AGE_LIMIT, Optional.empty(), Optional.empty());
        }
        for (Record r : observed) {
            if (r instanceof TXTRecord txt) {
                Matcher m = WITHDRAWAL_ID.matcher(String.join("", txt.getStrings()));
                if (m.matches()) {
                    Instant started = Instant.ofEpochSecond(Long.parseLong(m.group(1)));
                    long maxAge = Long.parseLong(m.group(2));
                    return new Withdrawal(domain, started, maxAge, withdrawalId(started, maxAge), terms);
                }
            }
        }
        Instant start = Instant.ofEpochSecond(context.now().getEpochSecond());
        return new Withdrawal(domain, start, terms.maxAge(), withdrawalId(start, terms.maxAge()), terms);
    }

    static String withdrawalId(Instant started, long maxAge) {
        return WITHDRAWAL_ID_PREFIX + started.getEpochSecond() + "t" + maxAge;
    }

    /** A name as the config writes it: lower case, no trailing dot. */
    static String plain(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
