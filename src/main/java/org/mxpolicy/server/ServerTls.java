package org.mxpolicy.server;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEParameterSpec;
import org.eclipse.jetty.util.ssl.SniX509ExtendedKeyManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.ssl.X509;
import org.mxpolicy.tls.JsseProperties;
import org.mxpolicy.tls.TlsProfile;
import org.mxpolicy.tls.TlsRuleSet;

/**
 * The TLS settings of the policy server: Jetty's own {@code SslContextFactory.Server} on the JDK's
 * TLS (JSSE), offering the protocols and cipher suites of a {@link TlsProfile} in the server's
 * order of preference, without renegotiation. TLS compression does not exist in JSSE.
 *
 * <p>Jetty sets protocols and suites per listener; JSSE takes the key-exchange groups and
 * signature schemes only from JVM-wide system properties, which {@link JsseProperties} sets at
 * the start of {@code serve}.
 *
 * <p>Each host (policy host or client configuration host) is one key store entry, its alias the
 * host name. The certificate is chosen by the SNI name the client sends (RFC 6066 section 3),
 * matched exactly against the aliases: a client that sends no SNI, or a name that is not a host
 * of this server, gets no certificate and the handshake fails. MTA-STS senders always name the
 * policy host (RFC 8461 section 3.3 has them validate the certificate for it), so a default
 * certificate would only ever be the wrong one.
 */
public final class ServerTls {

    private ServerTls() {}

    /** The {@code bsi} profile of the latest edition known, for tests and callers without a date. */
    static TlsProfile defaultProfile() {
        List<TlsRuleSet> editions = TlsRuleSet.editions();
        return TlsProfile.of(TlsProfile.Choice.BSI, editions.get(editions.size() - 1));
    }

    /**
     * A Jetty TLS context for the hosts, one key store entry each.
     *
     * @param hosts at least one; host names unique
     */
    public static SslContextFactory.Server forCertificates(List<HostCertificate> hosts, TlsProfile profile) {
        SslContextFactory.Server factory = new SslContextFactory.Server();
        factory.setIncludeProtocols(profile.protocols().toArray(String[]::new));
        factory.setIncludeCipherSuites(
                profile.cipherSuites().stream().map(s -> "^" + s + "$").toArray(String[]::new));
        factory.setUseCipherSuitesOrder(true);
        factory.setRenegotiationAllowed(false);
        factory.setSniRequired(true);
        useKeys(factory, hosts);
        return factory;
    }

    /**
     * The TLS context of the admin listener: one certificate, presented whatever name the client
     * asks for, or none (an operator may connect by address).
     */
    static SslContextFactory.Server forAdmin(HostCertificate certificate, TlsProfile profile) {
        SslContextFactory.Server factory = forCertificates(List.of(certificate), profile);
        factory.setSniRequired(false);
        factory.setSNISelector((keyType, issuers, session, sniHost, certificates) ->
                certificates.isEmpty() ? null : certificates.iterator().next().getAlias());
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
                store.setEntry(
                        host.host(),
                        new KeyStore.PrivateKeyEntry(
                                host.key(), host.chain().certificates().toArray(X509Certificate[]::new)),
                        inMemory(password));
            }
            return store;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the in-memory key store: " + e.getMessage(), e);
        }
    }

    /**
     * The store never leaves memory and its password is random, so its key encryption needs no
     * slow key derivation: PKCS12's default of 10,000 rounds per key made a start with thousands of
     * hosts take minutes.
     */
    private static KeyStore.PasswordProtection inMemory(char[] password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        return new KeyStore.PasswordProtection(
                password, "PBEWithHmacSHA256AndAES_256", new PBEParameterSpec(salt, 1, new IvParameterSpec(salt)));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Chooses the key store entry whose alias is the SNI host name. Returning null means "no
     * certificate of this key type"; when no key type has one, the handshake fails.
     */
    private record ExactHostSelector(Set<String> hosts) implements SniX509ExtendedKeyManager.SniSelector {

        @Override
        public String sniSelect(
                String keyType,
                java.security.Principal[] issuers,
                javax.net.ssl.SSLSession session,
                String sniHost,
                java.util.Collection<X509> certificates) {
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
