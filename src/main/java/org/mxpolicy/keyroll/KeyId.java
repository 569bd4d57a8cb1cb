package org.mxpolicy.keyroll;

import org.mxpolicy.dnssec.ZoneKey;

/**
 * A key of a zone as the DNS names it: algorithm and key tag (RFC 4034 appendix B). Within one
 * zone's key directory mxpolicy never makes two keys with the same pair.
 */
public record KeyId(int algorithm, int tag) implements Comparable<KeyId> {

    public static KeyId of(ZoneKey key) {
        return new KeyId(key.algorithm().number(), key.keyTag());
    }

    /** {@code 13+12345}, as the key files name it. */
    @Override
    public String toString() {
        return algorithm + "+" + tag;
    }

    /**
     * Reads {@link #toString()}'s form.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static KeyId parse(String text) {
        String[] parts = text.split("\\+", -1);
        if (parts.length != 2 || !parts[0].matches("\\d{1,3}") || !parts[1].matches("\\d{1,5}")) {
            throw new IllegalArgumentException("'" + text + "' is not ALGORITHM+TAG");
        }
        int algorithm = Integer.parseInt(parts[0]);
        int tag = Integer.parseInt(parts[1]);
        if (algorithm > 255 || tag > 65535) {
            throw new IllegalArgumentException("'" + text + "' is out of range");
        }
        return new KeyId(algorithm, tag);
    }

    @Override
    public int compareTo(KeyId o) {
        return algorithm != o.algorithm ? Integer.compare(algorithm, o.algorithm) : Integer.compare(tag, o.tag);
    }
}
