package org.mxpolicy.server;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.conscrypt.Conscrypt;
import org.eclipse.jetty.util.ssl.SniX509ExtendedKeyManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.ssl.X509;

/**
 * The TLS settings of the policy server, after BSI TR-03116-4 (section 4, TLS for servers of the
 * federal administration, as TR-03108 refers to it): TLS 1.3 and 1.2 only; on TLS 1.2 only
 * ECDHE key exchange (forward secrecy) with AEAD ciphers, in the server's order of preference;
 * no renegotiation. TLS compression exists in neither TLS engine ({@link TlsEngine}).
 *
 * <p>Each host (policy host or client configuration host) is one key store entry, its alias the
 * host name. The certificate is chosen
 * by the SNI name the client sends (RFC 6066 section 3), matched exactly against the aliases: a
 * client that sends no SNI, or a name that is not a policy host, gets no certificate and the
 * handshake fails. MTA-STS senders always name the policy host (RFC 8461 section 3.3 has them
 * validate the certificate for it), so a default certificate would only ever be the wrong one.
 */
public final class ServerTls {

    /** TLS versions offered: TR-03116-4 allows 1.2 and recommends 1.3. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * Cipher suites in order of preference. TLS 1.3 suites first (all AEAD, ephemeral key exchange
     * is built in), then TLS 1.2 suites with ECDHE and AES-GCM or ChaCha20-Poly1305. No CBC, no
     * static RSA key exchange, no DHE, no SHA-1 MAC.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private ServerTls() {}

    /** A Jetty TLS context for policy hosts, one key store entry each. */
    public static SslContextFactory.Server contextFactory(List<PolicyHost> hosts) {
        return forCertificates(hosts.stream().map(PolicyHost::certificate).toList());
    }

    /**
     * A Jetty TLS context for the hosts, one key store entry each, on JSSE.
     *
     * @param hosts at least one; host names unique
     */
    public static SslContextFactory.Server forCertificates(List<HostCertificate> hosts) {
        return forCertificates(hosts, TlsEngine.JSSE);
    }

    /**
     * A Jetty TLS context for the hosts on the given engine. The settings are the same on both
     * engines; the key managers (with the SNI selection) stay the JDK's, which BoringSSL asks
     * once it has read the client's server name.
     *
     * @param hosts at least one; host names unique
     */
    public static SslContextFactory.Server forCertificates(List<HostCertificate> hosts, TlsEngine engine) {
        if (engine.provider().isEmpty()) {
            // JSSE asks the JCA for X25519 and AES-GCM; the JDK's own make handshakes dearer.
            TlsCryptoProvider.install();
        }
        SslContextFactory.Server factory = new ListenerContextFactory(engine.provider().orElse(null));
        factory.setIncludeProtocols(PROTOCOLS.toArray(String[]::new));
        factory.setIncludeCipherSuites(CIPHER_SUITES.stream().map(s -> "^" + s + "$").toArray(String[]::new));
        factory.setUseCipherSuitesOrder(true);
        factory.setRenegotiationAllowed(false);
        factory.setSniRequired(true);
        useKeys(factory, hosts);
        return factory;
    }

    /**
     * Replaces the hosts' key material of a running factory. Connections already open keep their
     * session; new handshakes use the new certificates.
     *
     * @throws Exception when Jetty cannot build the new TLS context (the old one stays in use)
     */
    public static void reload(SslContextFactory.Server factory, List<HostCertificate> hosts) throws Exception {
        factory.reload(f -> useKeys((SslContextFactory.Server) f, hosts));
    }

    private static void useKeys(SslContextFactory.Server factory, List<HostCertificate> hosts) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host to serve");
        }
        // The key store lives only in memory; its password protects nothing and is never shown.
        String password = randomPassword();
        factory.setKeyStore(keyStore(hosts, password.toCharArray()));
        factory.setKeyStorePassword(password);
        factory.setKeyManagerPassword(password);
        factory.setSNISelector(new ExactHostSelector(
                hosts.stream().map(HostCertificate::host).collect(Collectors.toUnmodifiableSet())));
    }

    private static KeyStore keyStore(List<HostCertificate> hosts, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (HostCertificate host : hosts) {
                if (store.containsAlias(host.host())) {
                    throw new IllegalArgumentException("host " + host.host() + " given twice");
                }
                store.setKeyEntry(host.host(), host.key(), password,
                        host.chain().certificates().toArray(X509Certificate[]::new));
            }
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the in-memory key store: " + e.getMessage(), e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Jetty's TLS context factory with what the policy listener needs changed: the
     * {@code SSLContext} from a provider instance, session tickets on Conscrypt, and no look for
     * client certificates that are never asked for.
     */
    private static final class ListenerContextFactory extends SslContextFactory.Server {
        /** Null for the JDK's TLS. */
        private final Provider provider;

        ListenerContextFactory(Provider provider) {
            this.provider = provider;
        }

        /**
         * Jetty's own {@code setProvider} takes a name, which works only for providers registered
         * JVM-wide; this keeps the provider to the policy listener.
         */
        @Override
        protected SSLContext getSSLContextInstance() throws NoSuchAlgorithmException {
            return provider == null ? super.getSSLContextInstance() : SSLContext.getInstance(getProtocol(), provider);
        }

        /**
         * Conscrypt sends TLS session tickets only when asked, engine by engine; without them
         * every returning client makes a full handshake (certificate and signature), where JSSE
         * and nginx let it resume (RFC 8446 section 2.2). BoringSSL makes and rotates the ticket
         * keys itself.
         */
        @Override
        public void customize(SSLEngine engine) {
            super.customize(engine);
            if (Conscrypt.isConscrypt(engine)) {
                Conscrypt.setUseSessionTickets(engine, true);
            }
        }

        /**
         * The client's certificates, for the request's TLS attributes, which Jetty gathers once per
         * connection. The server asks clients for none, so there are none; asking the session
         * anyway costs an exception (JSSE's {@code SSLPeerUnverifiedException}) with its stack
         * trace on every connection.
         */
        @Override
        public X509Certificate[] getX509CertChain(SSLSession session) {
            return getNeedClientAuth() || getWantClientAuth() ? super.getX509CertChain(session) : null;
        }
    }

    /**
     * Chooses the key store entry whose alias is the SNI host name. Returning null means "no
     * certificate of this key type"; when no key type has one, the handshake fails.
     */
    private record ExactHostSelector(Set<String> hosts) implements SniX509ExtendedKeyManager.SniSelector {

        @Override
        public String sniSelect(String keyType, java.security.Principal[] issuers, javax.net.ssl.SSLSession session,
                String sniHost, java.util.Collection<X509> certificates) {
            if (sniHost == null) {
                return null;
            }
            String wanted = sniHost.toLowerCase(Locale.ROOT);
            if (wanted.endsWith(".")) {
                wanted = wanted.substring(0, wanted.length() - 1);
            }
            if (!hosts.contains(wanted)) {
                return null;
            }
            for (X509 certificate : certificates) {
                if (certificate.getAlias().equals(wanted)) {
                    return certificate.getAlias();
                }
            }
            return null;
        }
    }
}
