package org.mxpolicy.cert;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificates read while loading one config, by their DER bytes: a hoster's thousands of chains
 * carry the same few issuer certificates, each then parsed and kept once. Safe for the threads
 * that read the files together.
 */
public final class SharedCertificates {

    private final Map<ByteBuffer, X509Certificate> byEncoding = new ConcurrentHashMap<>();

    /** The certificate parsed before from the same bytes, if any. */
    X509Certificate get(byte[] der) {
        return byEncoding.get(ByteBuffer.wrap(der));
    }

    /** The first certificate kept for these bytes: {@code parsed}, or one kept meanwhile. */
    X509Certificate keep(byte[] der, X509Certificate parsed) {
        X509Certificate earlier = byEncoding.putIfAbsent(ByteBuffer.wrap(der.clone()), parsed);
        return earlier != null ? earlier : parsed;
    }
}
