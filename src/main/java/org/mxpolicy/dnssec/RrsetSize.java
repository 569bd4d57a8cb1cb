package org.mxpolicy.dnssec;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * The two sizes that bound an RRset of a signed zone to 65,535 bytes. An RRset over either limit
 * could never be served whole, or never validate.
 *
 * <p>{@link #inResponse}: the smallest DNS response that carries the RRset whole with its RRSIGs
 * must fit in a DNS message, at most 65,535 bytes (the two-byte length of a message over TCP, RFC
 * 1035 section 4.2.2). Counted: the header (12 bytes); the question (the owner name, type and
 * class); each record with its owner compressed to a pointer to the question (2 bytes), type,
 * class, TTL and RDATA length (10 bytes) and its RDATA uncompressed, as it is signed; each RRSIG the
 * RRset gets, likewise, with 18 bytes of fixed fields, the signer's name uncompressed (RFC 4034
 * section 3.1.7) and the signature; and the EDNS(0) OPT record without options (11 bytes, RFC 6891
 * section 6.1.2) of every response to a validator's query.
 *
 * <p>{@link #signedData}: the data an RRSIG signs (RFC 4034 section 3.1.8.1: the RRSIG fields and
 * every record with its owner name uncompressed) must not exceed 65,535 bytes either, or Knot,
 * ldns and the validators built on them hold the signature bogus, although the RRset fits in a
 * message.
 */
final class RrsetSize {

    /** The largest DNS message, RFC 1035 section 4.2.2; also the most signed data validators take. */
    static final int LIMIT = 65_535;

    private static final int HEADER = 12;
    private static final int QUESTION_TYPE_AND_CLASS = 4;
    private static final int RR_FIXED = 10;
    private static final int RRSIG_FIXED = 18;
    private static final int OPT = 11;

    private RrsetSize() {}

    /**
     * @param rrset the records of one RRset, without duplicates
     * @param signer the zone apex, the signer's name in each RRSIG
     * @param signatureLengths the signature length of each RRSIG the RRset gets; empty for an unsigned RRset
     */
    static long inResponse(Name owner, List<Record> rrset, Name signer, List<Integer> signatureLengths) {
        int ownerPointer = Math.min(2, owner.length());
        long size = HEADER + owner.length() + QUESTION_TYPE_AND_CLASS + OPT;
        for (Record r : rrset) {
            size += ownerPointer + RR_FIXED + r.rdataToWireCanonical().length;
        }
        for (int signatureLength : signatureLengths) {
            size += ownerPointer + RR_FIXED + RRSIG_FIXED + signer.length() + signatureLength;
        }
        return size;
    }

    /** The length of the data an RRSIG of {@code rrset} signs (the wildcard owner, if any, is not shorter). */
    static long signedData(Name owner, List<Record> rrset, Name signer) {
        long size = RRSIG_FIXED + signer.length();
        for (Record r : rrset) {
            size += owner.length() + RR_FIXED + r.rdataToWireCanonical().length;
        }
        return size;
    }
}
