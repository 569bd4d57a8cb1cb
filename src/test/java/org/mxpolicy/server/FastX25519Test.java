package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.KeyAgreement;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

/**
 * The X25519 provider JSSE uses for the policy server's key exchange: RFC 7748 test vectors
 * through the JCA, agreement with the JDK's own X25519 both ways, small-order points refused,
 * other curves left to the JDK, and a real TLS 1.3 handshake on x25519 once it is installed.
 */
class FastX25519Test {

    private static final HexFormat HEX = HexFormat.of();
    /** RFC 7748 section 6.1. */
    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    static {
        TlsCryptoProvider.install();
    }

    private static final String OURS = TlsCryptoProvider.NAME;

    @Test
    void theRfc7748SharedSecretBothWays() throws Exception {
        KeyFactory factory = KeyFactory.getInstance("XDH", OURS);
        PrivateKey alice = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(ALICE_PRIVATE)));
        PrivateKey bob = factory.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(BOB_PRIVATE)));
        PublicKey alicePublic = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(ALICE_PUBLIC)));
        PublicKey bobPublic = factory.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u(BOB_PUBLIC)));

        assertThat(HEX.formatHex(agree(OURS, alice, bobPublic))).isEqualTo(SHARED);
        assertThat(HEX.formatHex(agree(OURS, bob, alicePublic))).isEqualTo(SHARED);
    }

    @Test
    void aGeneratedKeyAgreesWithTheJdksX25519BothWays() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH", OURS);
        ours.initialize(NamedParameterSpec.X25519);
        KeyPairGenerator jdks = KeyPairGenerator.getInstance("XDH", "SunEC");
        jdks.initialize(NamedParameterSpec.X25519);
        for (int i = 0; i < 20; i++) {
            KeyPair mine = ours.generateKeyPair();
            KeyPair theirs = jdks.generateKeyPair();
            // The JDK's public key as JSSE hands it over: a u-coordinate in a key spec.
            PublicKey theirsHere = KeyFactory.getInstance("XDH", OURS).generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, ((XECPublicKey) theirs.getPublic()).getU()));
            PublicKey mineThere = KeyFactory.getInstance("XDH", "SunEC").generatePublic(
                    new XECPublicKeySpec(NamedParameterSpec.X25519, ((XECPublicKey) mine.getPublic()).getU()));

            byte[] here = agree(OURS, mine.getPrivate(), theirsHere);
            byte[] there = agree("SunEC", theirs.getPrivate(), mineThere);
            assertThat(here).hasSize(32).isEqualTo(there);
        }
    }

    @Test
    void publicKeysEncodeAsTheJdkEncodesThem() throws Exception {
        KeyPair mine = KeyPairGenerator.getInstance("XDH", OURS).generateKeyPair();
        PublicKey same = KeyFactory.getInstance("XDH", "SunEC").generatePublic(
                new XECPublicKeySpec(NamedParameterSpec.X25519, ((XECPublicKey) mine.getPublic()).getU()));
        assertThat(mine.getPublic().getEncoded()).isEqualTo(same.getEncoded());
        assertThat(mine.getPublic().getAlgorithm()).isEqualTo("XDH");
    }

    @Test
    void aSmallOrderPeerKeyIsRefused() throws Exception {
        KeyPair mine = KeyPairGenerator.getInstance("XDH", OURS).generateKeyPair();
        for (BigInteger u : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE}) {
            PublicKey bad = KeyFactory.getInstance("XDH", OURS).generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, u));
            KeyAgreement agreement = KeyAgreement.getInstance("XDH", OURS);
            agreement.init(mine.getPrivate());
            assertThatThrownBy(() -> agreement.doPhase(bad, true)).isInstanceOf(InvalidKeyException.class)
                    .hasMessageContaining("all zeros");
        }
    }

    @Test
    void otherCurvesAreLeftToTheJdk() throws Exception {
        KeyPairGenerator ours = KeyPairGenerator.getInstance("XDH", OURS);
        assertThatThrownBy(() -> ours.initialize(NamedParameterSpec.X448)).isInstanceOf(InvalidAlgorithmParameterException.class);

        // Through the JCA without naming a provider, as JSSE asks: X25519 is ours, X448 the JDK's.
        KeyPairGenerator any = KeyPairGenerator.getInstance("XDH");
        any.initialize(NamedParameterSpec.X25519);
        assertThat(any.generateKeyPair().getPublic()).isInstanceOf(FastX25519.PublicX25519.class);
        KeyPairGenerator x448 = KeyPairGenerator.getInstance("XDH");
        x448.initialize(NamedParameterSpec.X448);
        KeyPair pair = x448.generateKeyPair();
        assertThat(pair.getPublic()).isNotInstanceOf(FastX25519.PublicX25519.class);
        KeyAgreement agreement = KeyAgreement.getInstance("XDH");
        agreement.init(pair.getPrivate());
        agreement.doPhase(x448.generateKeyPair().getPublic(), true);
        assertThat(agreement.generateSecret()).hasSize(56);
    }

    @Test
    void aTls13HandshakeWithTheProviderInstalled() throws Exception {
        List<PolicyHost> hosts = ExampleHosts.hosts();
        String host = hosts.get(0).certificate().host();
        SslContextFactory.Server factory = ServerTls.contextFactory(hosts);
        factory.start();
        try {
            SSLEngine serverEngine = factory.newSSLEngine();
            serverEngine.setUseClientMode(false);
            factory.customize(serverEngine);
            SSLEngine clientEngine = ExampleHosts.clientTrustingTestCa("TLSv1.3").createSSLEngine(host, 443);
            clientEngine.setUseClientMode(true);
            SSLParameters parameters = clientEngine.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            clientEngine.setSSLParameters(parameters);

            handshake(clientEngine, serverEngine);

            assertThat(serverEngine.getSession().getProtocol()).isEqualTo("TLSv1.3");
            // What JSSE asks for the x25519 key share (the first group JSSE clients offer).
            assertThat(KeyPairGenerator.getInstance("XDH").getProvider().getName()).isEqualTo(OURS);
        } finally {
            factory.stop();
        }
    }

    private static byte[] agree(String provider, PrivateKey mine, PublicKey theirs) throws Exception {
        KeyAgreement agreement = KeyAgreement.getInstance("XDH", provider);
        agreement.init(mine);
        agreement.doPhase(theirs, true);
        return agreement.generateSecret();
    }

    /** An RFC 7748 public key (little-endian bytes) as a u-coordinate. */
    private static BigInteger u(String littleEndianHex) {
        return FastX25519.decodeU(HEX.parseHex(littleEndianHex));
    }

    private static void handshake(SSLEngine client, SSLEngine server) throws Exception {
        int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(size * 4);
        ByteBuffer toClient = ByteBuffer.allocate(size * 4);
        ByteBuffer appIn = ByteBuffer.allocate(client.getSession().getApplicationBufferSize() * 2);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < 50 && !(done(client) && done(server)); round++) {
            pass(client, toServer, server, appIn);
            pass(server, toClient, client, appIn);
        }
        assertThat(done(client) && done(server)).as("handshake finished").isTrue();
    }

    /** What {@code from} has to send, through {@code wire}, to {@code to}. */
    private static void pass(SSLEngine from, ByteBuffer wire, SSLEngine to, ByteBuffer appIn) throws Exception {
        from.wrap(ByteBuffer.allocate(0), wire);
        runTasks(from);
        wire.flip();
        to.unwrap(wire, appIn);
        wire.compact();
        runTasks(to);
    }

    private static boolean done(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void runTasks(SSLEngine engine) {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }
}
