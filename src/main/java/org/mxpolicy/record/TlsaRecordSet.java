package org.mxpolicy.record;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import org.mxpolicy.cert.CertificateChain;
import org.mxpolicy.cert.SubjectPublicKey;

/**
 * The TLSA RRset of one SMTP server (RFC 7672 section 3): owner {@code _25._tcp.<host>}, a
 * DANE-EE record for the current key and each key that is to follow (RFC 7671 section 8.1), and
 * DANE-TA records for the issuers, so that a renewal under the same CA keeps matching (RFC 7671
 * section 8.4). The records are distinct and in canonical order: usage, selector, matching type,
 * then data as unsigned octets.
 *
 * @param owner the owner name, fully qualified without the final dot
 * @param records the records, distinct, in canonical order
 * @param notes remarks on what could not be expressed, for the operator
 */
public record TlsaRecordSet(String owner, List<TlsaRecord> records, List<String> notes) {

    /** Canonical order, so that two runs write identical files. */
    public static final Comparator<TlsaRecord> CANONICAL = Comparator.comparingInt(TlsaRecord::usage)
            .thenComparingInt(TlsaRecord::selector)
            .thenComparingInt(TlsaRecord::matching)
            .thenComparing(TlsaRecord::data, Arrays::compareUnsigned);

    public TlsaRecordSet {
        Objects.requireNonNull(owner, "owner");
        records = List.copyOf(records);
        notes = List.copyOf(notes);
    }

    /**
     * The records for an MX host.
     *
     * @param host the MX host name
     * @param port the SMTP port, 25 for MX hosts (RFC 7672 section 3)
     * @param chain the chain the host presents, leaf first
     * @param nextKeys keys that later certificates will carry
     * @param extraIssuers further CA certificates to publish DANE-TA records for
     * @param issuer whether to publish DANE-TA records for the issuers in the chain
     * @param selector 0 or 1
     * @param matching 0, 1 or 2
     */
    public static TlsaRecordSet forMx(
            String host,
            int port,
            CertificateChain chain,
            List<SubjectPublicKey> nextKeys,
            List<X509Certificate> extraIssuers,
            boolean issuer,
            int selector,
            int matching) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " outside 1..65535");
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        TreeSet<TlsaRecord> records = new TreeSet<>(CANONICAL);
        List<String> notes = new ArrayList<>();
        int daneEe = TlsaUsage.DANE_EE.value();
        int daneTa = TlsaUsage.DANE_TA.value();
        records.add(TlsaRecord.of(daneEe, selector, matching, chain.leaf()));
        if (selector == TlsaRecord.SELECTOR_SPKI) {
            nextKeys.forEach(key -> records.add(TlsaRecord.of(daneEe, matching, key)));
        } else if (!nextKeys.isEmpty()) {
            notes.add("selector " + selector + " matches whole certificates, so the " + nextKeys.size()
                    + " next key(s) of " + name + " have no record; use selector 1 to publish them ahead of time");
        }
        if (issuer) {
            chain.issuers().forEach(ca -> records.add(TlsaRecord.of(daneTa, selector, matching, ca)));
        }
        extraIssuers.forEach(ca -> records.add(TlsaRecord.of(daneTa, selector, matching, ca)));
        return new TlsaRecordSet("_" + port + "._tcp." + name, new ArrayList<>(records), notes);
    }
}
