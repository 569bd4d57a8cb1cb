package org.mxpolicy.dnssec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.xbill.DNS.CDNSKEYRecord;
import org.xbill.DNS.CDSRecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Record;

/**
 * The records that tie a zone to its parent: DS for the parent zone (RFC 4034 section 5) with a
 * SHA-256 digest (digest type 2, RFC 4509; RFC 8624 section 3.3 makes it the one to use), and
 * CDS and CDNSKEY for the zone itself, from which a parent that supports RFC 7344/RFC 8078 takes
 * the DS automatically. Pure: keys in, records out.
 */
public final class DelegationSigner {

    /** DS digest type 2, SHA-256 (RFC 4509). */
    public static final int DIGEST_SHA256 = DNSSEC.Digest.SHA256;

    /** Keys in output order: by algorithm, then key tag. */
    public static final Comparator<ZoneKey> KEY_ORDER =
            Comparator.comparingInt((ZoneKey k) -> k.algorithm().number()).thenComparingInt(ZoneKey::keyTag);

    private DelegationSigner() {}

    /** The DS record for {@code key}, with the TTL of its DNSKEY. */
    public static DSRecord ds(ZoneKey key) {
        return ds(key, key.dnskey().getTTL());
    }

    public static DSRecord ds(ZoneKey key, long ttl) {
        return new DSRecord(key.zone(), DClass.IN, ttl, DIGEST_SHA256, key.dnskey());
    }

    /** The CDS record (RFC 7344 section 3.1): the DS, published in the child zone. */
    public static CDSRecord cds(ZoneKey key, long ttl) {
        return new CDSRecord(key.zone(), DClass.IN, ttl, DIGEST_SHA256, key.dnskey());
    }

    /** The CDNSKEY record (RFC 7344 section 3.2): the DNSKEY, published in the child zone. */
    public static CDNSKEYRecord cdnskey(ZoneKey key, long ttl) {
        DNSKEYRecord dnskey = key.dnskey();
        return new CDNSKEYRecord(
                key.zone(),
                DClass.IN,
                ttl,
                dnskey.getFlags(),
                dnskey.getProtocol(),
                dnskey.getAlgorithm(),
                dnskey.getKey());
    }

    /** The keys the parent's DS should point at: those with the SEP flag, in {@link #KEY_ORDER}. */
    public static List<ZoneKey> secureEntryPoints(List<ZoneKey> keys) {
        return keys.stream().filter(ZoneKey::isKsk).sorted(KEY_ORDER).toList();
    }

    /**
     * For every key with the SEP flag: the DS records, then the CDS records, then the CDNSKEY
     * records, each group in {@link #KEY_ORDER}.
     *
     * @param ttl the TTL of every record
     */
    public static List<Record> delegationRecords(List<ZoneKey> keys, long ttl) {
        List<ZoneKey> seps = secureEntryPoints(keys);
        List<Record> out = new ArrayList<>();
        seps.forEach(k -> out.add(ds(k, ttl)));
        seps.forEach(k -> out.add(cds(k, ttl)));
        seps.forEach(k -> out.add(cdnskey(k, ttl)));
        return out;
    }
}
