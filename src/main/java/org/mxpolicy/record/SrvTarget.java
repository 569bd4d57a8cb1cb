package org.mxpolicy.record;

/**
 * The data of one SRV record (RFC 2782): priority, weight, port and target host. The target
 * {@code .} with port 0 says "this service is decidedly not offered" (RFC 2782, RFC 6186
 * section 3.4), which stops clients from guessing host names.
 */
public record SrvTarget(int priority, int weight, int port, String target) {

    /** The target name that means "not offered". */
    public static final String NOT_OFFERED = ".";

    public SrvTarget {
        check("priority", priority);
        check("weight", weight);
        check("port", port);
        if (target == null || target.isEmpty()) {
            throw new IllegalArgumentException("empty SRV target");
        }
        if (!target.endsWith(".")) {
            target = target + ".";
        }
    }

    public static SrvTarget notOffered() {
        return new SrvTarget(0, 0, 0, NOT_OFFERED);
    }

    public boolean offered() {
        return !NOT_OFFERED.equals(target);
    }

    private static void check(String field, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("SRV " + field + " " + value + " outside 0..65535");
        }
    }
}
