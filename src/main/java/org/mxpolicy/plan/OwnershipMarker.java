package org.mxpolicy.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * The ownership marker of the RRsets one installation published at one owner name, kept in DNS
 * beside them so that a second machine, or one whose state directory was lost, knows what it may
 * delete. The marker of {@code <owner>} is a TXT record at {@code _mxpolicy.<owner>}, one string:
 *
 * <pre>v=mxpolicy1 owner=&lt;owner id&gt; types=&lt;TYPE&gt;[,&lt;TYPE&gt;...]</pre>
 *
 * <p>Why this shape, after the troubles of external-dns's TXT registry:
 * <ul>
 *   <li>a name of its own, below the owner: a TXT at the owner itself would join the owner's own
 *       TXT RRset ({@code _mta-sts} and {@code _smtp._tls} are TXT names) and cannot sit beside a
 *       CNAME (external-dns issues 262 and 330; its later prefixed names);</li>
 *   <li>the types listed: another installation or a person may own other types at the same name,
 *       and only the listed ones are ours (external-dns's per-type markers, pull request 2157);</li>
 *   <li>one record per owner id in the marker RRset: installations with different ids share a
 *       marker name, and each changes only its own record;</li>
 *   <li>no timestamps or counters in it, so it changes only when the owned types at the name do,
 *       never on every run; it lives in the zone and is signed with it.</li>
 * </ul>
 */
public record OwnershipMarker(String ownerId, SortedSet<Integer> types) {

    /** The first label of every marker name. */
    public static final String LABEL = "_mxpolicy";

    private static final String VERSION = "v=mxpolicy1";
    private static final Pattern TEXT =
            Pattern.compile("v=mxpolicy1 owner=([A-Za-z0-9._-]{1,63}) types=([A-Za-z0-9]+(?:,[A-Za-z0-9]+)*)");
    private static final Name LABEL_NAME = Name.fromConstantString(LABEL);

    public OwnershipMarker {
        types = new TreeSet<>(types);
    }

    /** The marker name of the RRsets at {@code owner}. */
    public static Name name(Name owner) {
        try {
            return Name.concatenate(LABEL_NAME, owner);
        } catch (org.xbill.DNS.NameTooLongException e) {
            throw new IllegalArgumentException(owner + " is too long to carry an ownership marker", e);
        }
    }

    /** Whether {@code name} is a marker name (its RRsets are never owned RRsets themselves). */
    public static boolean isMarker(Name name) {
        return name.labels() > 1 && name.getLabelString(0).equalsIgnoreCase(LABEL);
    }

    /** The owner name a marker name stands for. */
    public static Name ownerOf(Name marker) {
        if (!isMarker(marker)) {
            throw new IllegalArgumentException(marker + " is not an ownership marker name");
        }
        return new Name(marker, 1);
    }

    /** The TXT string of this marker. */
    public String text() {
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(Type.string(t)));
        return VERSION + " owner=" + ownerId + " types=" + String.join(",", names);
    }

    /** The marker a TXT string is, if it is one; a string of another format or version is not. */
    public static Optional<OwnershipMarker> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        SortedSet<Integer> types = new TreeSet<>();
        for (String t : m.group(2).split(",", -1)) {
            int type = Type.value(t.toUpperCase(Locale.ROOT));
            if (type < 0) {
                return Optional.empty();
            }
            types.add(type);
        }
        return Optional.of(new OwnershipMarker(m.group(1), types));
    }

    /**
     * The types a marker can claim: those mxpolicy publishes. A marker planted in the zone that
     * names NS, MX or anything else must not make {@code publish} delete it.
     */
    static final Set<Integer> OWNABLE = Set.of(Type.TLSA, Type.TXT, Type.SRV);

    /** The RRsets {@code ownerId}'s markers among {@code markers} (marker name to its TXT RRset) claim. */
    public static Set<RrsetKey> owned(Map<Name, List<Record>> markers, String ownerId) {
        Set<RrsetKey> owned = new TreeSet<>();
        markers.forEach((name, rrset) -> {
            for (Record r : rrset) {
                if (r instanceof TXTRecord txt) {
                    parse(String.join("", txt.getStrings()))
                            .filter(m -> m.ownerId().equals(ownerId))
                            .ifPresent(m -> m.types().stream()
                                    .filter(OWNABLE::contains)
                                    .forEach(t -> owned.add(new RrsetKey(ownerOf(name), t))));
                }
            }
        });
        return owned;
    }

    /**
     * The marker RRset at {@code owner} as it should be: the records of other owners (and any other
     * text) in {@code observed} kept, this installation's record replaced by one naming
     * {@code types}, or dropped when it owns none there.
     */
    public static List<Record> rrset(Name owner, List<Record> observed, String ownerId, Set<Integer> types, long ttl) {
        Name name = name(owner);
        // an RRset has one TTL (RFC 2181 section 5.2): the marker joins the one already there
        long rrsetTtl = observed.isEmpty() ? ttl : observed.get(0).getTTL();
        List<Record> out = new ArrayList<>();
        for (Record r : observed) {
            boolean ours = r instanceof TXTRecord txt
                    && parse(String.join("", txt.getStrings()))
                            .filter(m -> m.ownerId().equals(ownerId))
                            .isPresent();
            if (!ours) {
                out.add(r);
            }
        }
        if (!types.isEmpty()) {
            out.add(new TXTRecord(
                    name, DClass.IN, rrsetTtl, new OwnershipMarker(ownerId, new TreeSet<>(types)).text()));
        }
        return out;
    }
}
