package org.mxpolicy.tls;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM-wide settings through which JSSE takes a {@link TlsProfile}'s key-exchange groups and
 * signature schemes. JSSE reads them once, at the JVM's first handshake. {@code SSLParameters}
 * gained per-connection setters in Java 19 ({@code setSignatureSchemes}) and 20
 * ({@code setNamedGroups}), but Jetty's {@code SslContextFactory} has no setting that passes them
 * on, so the properties are the way on every Java version.
 */
public final class JsseProperties {

    /** JSSE's key-exchange groups, in order of preference. */
    public static final String NAMED_GROUPS = "jdk.tls.namedGroups";
    /** JSSE's signature schemes of a server (Java 17 and later). */
    public static final String SIGNATURE_SCHEMES = "jdk.tls.server.SignatureSchemes";

    private JsseProperties() {}

    /**
     * Sets the groups and signature schemes to the profile's, each only where the operator has
     * not set it (with {@code -D} in {@code JAVA_OPTS}). Must run before the JVM's first TLS
     * handshake; {@code serve} calls it first thing.
     *
     * @return one line per property the operator had set otherwise, saying that it is kept
     */
    public static List<String> use(TlsProfile profile) {
        List<String> kept = new ArrayList<>();
        setUnlessSet(NAMED_GROUPS, String.join(",", profile.namedGroups()), kept);
        setUnlessSet(SIGNATURE_SCHEMES, String.join(",", profile.signatureSchemes()), kept);
        return kept;
    }

    private static void setUnlessSet(String property, String value, List<String> kept) {
        String operators = System.getProperty(property);
        if (operators == null) {
            System.setProperty(property, value);
        } else if (!operators.equals(value)) {
            kept.add(property + "=" + operators + " is kept; the TLS profile would set " + value);
        }
    }
}
