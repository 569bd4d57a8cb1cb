package org.mxpolicy.dnssec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

/**
 * The names of a zone and what the zone is authoritative for at each, as signing and denial of
 * existence need it (RFC 4035 section 2.2 and 2.3, RFC 5155 section 7.1):
 *
 * <ul>
 *   <li>the apex and ordinary names: every RRset is authoritative and signed;
 *   <li>delegation points (NS below the apex): only DS is authoritative and signed; the NS RRset
 *       and any other data there belong to the child;
 *   <li>names below a delegation point or below a DNAME: glue or occluded data, neither signed nor
 *       in the NSEC/NSEC3 chain, but kept in the zone;
 *   <li>empty non-terminals: names without RRsets that have authoritative names below them; they
 *       get an NSEC3 record but no NSEC record.
 * </ul>
 *
 * Names are held in canonical order (RFC 4034 section 6.1) and in lower case, so owner names that
 * differ only in case are one name. Built from the zone's data without RRSIG, NSEC and NSEC3
 * records.
 */
final class ZoneStructure {

    enum Kind {
        APEX,
        AUTHORITATIVE,
        DELEGATION,
        EMPTY_NON_TERMINAL,
        NON_AUTHORITATIVE
    }

    /** One owner name and its RRsets by type. */
    static final class Node {
        final Name name;
        Kind kind;
        final TreeMap<Integer, List<Record>> rrsets = new TreeMap<>();

        Node(Name name) {
            this.name = name;
        }

        /** In the NSEC chain: the apex, ordinary names and delegation points. */
        boolean inNsecChain() {
            return kind == Kind.APEX || kind == Kind.AUTHORITATIVE || kind == Kind.DELEGATION;
        }

        /** In the NSEC3 chain: those and empty non-terminals (RFC 5155 section 7.1). */
        boolean inNsec3Chain() {
            return inNsecChain() || kind == Kind.EMPTY_NON_TERMINAL;
        }

        /** An insecure delegation: NS without DS. */
        boolean insecureDelegation() {
            return kind == Kind.DELEGATION && !rrsets.containsKey(Type.DS);
        }

        /** The types of the RRsets this zone signs here. */
        List<Integer> signedTypes() {
            return switch (kind) {
                case APEX, AUTHORITATIVE -> new ArrayList<>(rrsets.keySet());
                case DELEGATION -> rrsets.containsKey(Type.DS) ? List.of(Type.DS) : List.of();
                default -> List.of();
            };
        }

        /**
         * The NSEC type bitmap (RFC 4035 section 2.3): the authoritative types, NSEC and RRSIG (the
         * NSEC itself is signed); at a delegation NS and DS only.
         */
        int[] nsecTypes() {
            Set<Integer> types = new TreeSet<>(kind == Kind.DELEGATION ? delegationTypes() : rrsets.keySet());
            types.add(Type.NSEC);
            types.add(Type.RRSIG);
            return toArray(types);
        }

        /**
         * The NSEC3 type bitmap (RFC 5155 section 7.1): the types at the original owner name, with
         * RRSIG only when something there is signed; empty for an empty non-terminal; NS (and DS,
         * RRSIG) at a delegation.
         */
        int[] nsec3Types() {
            if (kind == Kind.EMPTY_NON_TERMINAL) {
                return new int[0];
            }
            Set<Integer> types = new TreeSet<>(kind == Kind.DELEGATION ? delegationTypes() : rrsets.keySet());
            if (!signedTypes().isEmpty()) {
                types.add(Type.RRSIG);
            }
            return toArray(types);
        }

        private Set<Integer> delegationTypes() {
            Set<Integer> types = new TreeSet<>();
            types.add(Type.NS);
            if (rrsets.containsKey(Type.DS)) {
                types.add(Type.DS);
            }
            return types;
        }

        private static int[] toArray(Set<Integer> types) {
            return types.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private final Name origin;
    private final NavigableMap<Name, Node> nodes;

    private ZoneStructure(Name origin, NavigableMap<Name, Node> nodes) {
        this.origin = origin;
        this.nodes = nodes;
    }

    /**
     * @param origin the apex
     * @param records the zone's records, all at or below {@code origin}, without RRSIG, NSEC and NSEC3
     */
    static ZoneStructure of(Name origin, Collection<Record> records) {
        Name apex = origin.canonicalize();
        TreeMap<Name, Node> nodes = new TreeMap<>();
        for (Record r : records) {
            Name name = r.getName().canonicalize();
            nodes.computeIfAbsent(name, Node::new)
                    .rrsets
                    .computeIfAbsent(r.getType(), t -> new ArrayList<>(1))
                    .add(r);
        }
        Set<Name> cuts = new HashSet<>();
        Set<Name> dnames = new HashSet<>();
        for (Node node : nodes.values()) {
            if (!node.name.equals(apex) && node.rrsets.containsKey(Type.NS)) {
                cuts.add(node.name);
            }
            if (node.rrsets.containsKey(Type.DNAME)) {
                dnames.add(node.name);
            }
        }
        int apexLabels = apex.labels();
        for (Node node : nodes.values()) {
            node.kind = classify(node, apex, apexLabels, cuts, dnames);
        }
        List<Name> empty = new ArrayList<>();
        Set<Name> seen = new HashSet<>();
        for (Node node : nodes.values()) {
            if (!node.inNsecChain()) {
                continue;
            }
            for (int strip = 1; node.name.labels() - strip > apexLabels; strip++) {
                Name ancestor = new Name(node.name, strip);
                if (nodes.containsKey(ancestor) || !seen.add(ancestor)) {
                    break;
                }
                empty.add(ancestor);
            }
        }
        for (Name name : empty) {
            Node node = new Node(name);
            node.kind = Kind.EMPTY_NON_TERMINAL;
            nodes.put(name, node);
        }
        return new ZoneStructure(apex, nodes);
    }

    private static Kind classify(Node node, Name apex, int apexLabels, Set<Name> cuts, Set<Name> dnames) {
        Name name = node.name;
        if (name.equals(apex)) {
            return Kind.APEX;
        }
        for (int strip = 1; name.labels() - strip >= apexLabels; strip++) {
            Name ancestor = new Name(name, strip);
            boolean atApex = name.labels() - strip == apexLabels;
            if ((!atApex && cuts.contains(ancestor)) || dnames.contains(ancestor)) {
                return Kind.NON_AUTHORITATIVE;
            }
        }
        return cuts.contains(name) ? Kind.DELEGATION : Kind.AUTHORITATIVE;
    }

    Name origin() {
        return origin;
    }

    /** Every name, empty non-terminals included, in canonical order. */
    Collection<Node> nodes() {
        return nodes.values();
    }

    Node apex() {
        return nodes.get(origin);
    }

    Node node(Name name) {
        return nodes.get(name.canonicalize());
    }

    /** The names of the NSEC chain, in canonical order. */
    List<Node> nsecChain() {
        return nodes.values().stream().filter(Node::inNsecChain).toList();
    }

    /** The names of the NSEC3 chain (before hashing), in canonical order. */
    List<Node> nsec3Chain() {
        return nodes.values().stream().filter(Node::inNsec3Chain).toList();
    }

    /** DS records at names that are not delegation points: they belong in a parent zone only. */
    List<Node> misplacedDs() {
        List<Node> out = new ArrayList<>();
        for (Node node : nodes.values()) {
            if (node.rrsets.containsKey(Type.DS) && (node.kind == Kind.APEX || node.kind == Kind.AUTHORITATIVE)) {
                out.add(node);
            }
        }
        return out;
    }

    /** For messages: the type mnemonics of a set of types. */
    static String typeList(int[] types) {
        StringBuilder sb = new StringBuilder();
        for (int t : types) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(Type.string(t));
        }
        return sb.length() == 0 ? "(none)" : sb.toString();
    }
}
