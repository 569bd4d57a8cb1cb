package org.mxpolicy.dnssec;

import java.util.Arrays;

/**
 * The two forms of an ECDSA signature: the DER {@code SEQUENCE { INTEGER r, INTEGER s }} of JCA
 * providers (RFC 3279 section 2.2.3) and the fixed-size {@code r || s} of DNSSEC (RFC 6605 section
 * 4), each integer big-endian and left-padded to the size of the curve's order.
 */
final class EcdsaSignatureFormat {

    private static final int SEQUENCE = 0x30;
    private static final int INTEGER = 0x02;

    private EcdsaSignatureFormat() {}

    /**
     * The RRSIG form of a DER signature.
     *
     * @param half the size of r and of s, 32 for P-256
     * @throws IllegalArgumentException when {@code der} is not a DER signature with r and s that fit
     */
    static byte[] toPlain(byte[] der, int half) {
        // Lengths below 128 throughout: a signature over a curve of up to 488 bits.
        if (der.length < 8 || (der[0] & 0xff) != SEQUENCE || (der[1] & 0xff) != der.length - 2) {
            throw new IllegalArgumentException("not a DER ECDSA signature");
        }
        byte[] out = new byte[2 * half];
        int next = copyInteger(der, 2, out, 0, half);
        if (copyInteger(der, next, out, half, half) != der.length) {
            throw new IllegalArgumentException("trailing bytes after the DER ECDSA signature");
        }
        return out;
    }

    /** Copies the INTEGER at {@code pos}, right-aligned, into {@code out[at..at+half)}; returns the position after it. */
    private static int copyInteger(byte[] der, int pos, byte[] out, int at, int half) {
        if (pos + 2 > der.length || (der[pos] & 0xff) != INTEGER) {
            throw new IllegalArgumentException("not a DER ECDSA signature");
        }
        int length = der[pos + 1] & 0xff;
        int start = pos + 2;
        int end = start + length;
        if (length == 0 || length >= 0x80 || end > der.length || (der[start] & 0x80) != 0) {
            throw new IllegalArgumentException("not a DER ECDSA signature (bad or negative INTEGER)");
        }
        while (start < end - 1 && der[start] == 0) {
            start++;
        }
        int size = end - start;
        if (size > half) {
            throw new IllegalArgumentException("ECDSA signature value longer than " + half + " bytes");
        }
        System.arraycopy(der, start, out, at + half - size, size);
        return end;
    }

    /** The DER form of an RRSIG's {@code r || s} signature (of even length), in the minimal encoding DER asks for. */
    static byte[] toDer(byte[] plain) {
        int half = plain.length / 2;
        byte[] r = integer(Arrays.copyOfRange(plain, 0, half));
        byte[] s = integer(Arrays.copyOfRange(plain, half, 2 * half));
        byte[] out = new byte[2 + r.length + s.length];
        out[0] = SEQUENCE;
        out[1] = (byte) (r.length + s.length);
        System.arraycopy(r, 0, out, 2, r.length);
        System.arraycopy(s, 0, out, 2 + r.length, s.length);
        return out;
    }

    /** Tag, length and the value without leading zero bytes, with one where the high bit would make it negative. */
    private static byte[] integer(byte[] unsigned) {
        int start = 0;
        while (start < unsigned.length - 1 && unsigned[start] == 0) {
            start++;
        }
        boolean pad = unsigned.length == 0 || (unsigned[start] & 0x80) != 0;
        int size = unsigned.length - start + (pad ? 1 : 0);
        byte[] out = new byte[2 + size];
        out[0] = INTEGER;
        out[1] = (byte) size;
        System.arraycopy(unsigned, start, out, 2 + (pad ? 1 : 0), unsigned.length - start);
        return out;
    }
}
