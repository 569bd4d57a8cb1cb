package org.mxpolicy.scan;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.Vector;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsDHGroupVerifier;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerHello;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsDHGroupVerifier;
import org.bouncycastle.tls.TlsException;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * One connection, one ClientHello: connects, runs the STARTTLS exchange, offers exactly what the
 * {@link Offer} says through Bouncy Castle's TLS client (which, unlike the JDK's, offers any
 * version and suite per connection without process-wide settings), and reports what the server
 * chose. The certificate chain is recorded and never judged here: a scanner must see servers with
 * untrusted or broken chains too.
 */
final class Handshake implements Handshaker {

    /** Smallest finite-field prime accepted, so that weak DHE servers are seen, not refused. */
    private static final int SMALLEST_DH_PRIME_BITS = 512;

    private final BcTlsCrypto crypto;
    private final Duration timeout;
    private final String ehloName;
    private final ScheduledExecutorService deadlines;

    Handshake(BcTlsCrypto crypto, Duration timeout, String ehloName, ScheduledExecutorService deadlines) {
        this.crypto = crypto;
        this.timeout = timeout;
        this.ehloName = ehloName;
        this.deadlines = deadlines;
    }

    @Override
    public BcTlsCrypto crypto() {
        return crypto;
    }

    /** Whether Bouncy Castle can take part in a key exchange with {@code group}. */
    @Override
    public boolean supportsGroup(int group) {
        return crypto.hasNamedGroup(group);
    }

    @Override
    public ServerAnswer offer(TlsEndpoint endpoint, Offer offer) {
        Socket socket = new Socket();
        // One deadline for the whole exchange: closing the socket ends any read that is slow.
        ScheduledFuture<?> deadline =
                deadlines.schedule(() -> closeQuietly(socket), timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Watched in;
            OutputStream out;
            try {
                socket.connect(endpoint.address(), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                in = new Watched(socket.getInputStream());
                out = socket.getOutputStream();
            } catch (IOException e) {
                return ServerAnswer.unreachable(describe(e, deadline));
            }
            try {
                new StartTlsPreamble(in, out).run(endpoint.start(), ehloName);
            } catch (IOException e) {
                String problem = endpoint.start() + " before TLS: " + describe(e, deadline);
                // A plain IOException is the server's own "no" (no STARTTLS, a 5xx); the rest is transport.
                boolean transport = deadline.isDone()
                        || e instanceof StartTlsPreamble.Deferred
                        || e.getClass() != IOException.class;
                return transport ? ServerAnswer.dropped(problem) : ServerAnswer.refused(problem);
            }
            Client client = new Client(crypto, endpoint, offer);
            Protocol protocol = new Protocol(in, out, offer.helloOnly());
            Optional<String> problem = Optional.empty();
            boolean lost = false;
            long beforeTls = in.received;
            try {
                protocol.connect(client);
                protocol.close();
            } catch (IOException | RuntimeException e) {
                if (!(offer.helloOnly() && protocol.hello != null)) {
                    problem = Optional.of(describe(e, deadline));
                    // An alert is an answer, and so is a close without a byte of TLS: servers such as
                    // Dovecot refuse a ClientHello that way. A timeout, a reset, or an end in the
                    // middle of the server's answer is not, even where Bouncy Castle reports it as
                    // a handshake_failure of its own.
                    boolean closedUnanswered = in.ended && !in.failed && in.received == beforeTls;
                    // A whole ServerHello followed by a close is an answer too: JSSE closes so, without
                    // an alert, when it has no certificate for the one signature scheme offered.
                    boolean closedAfterHello = in.ended
                            && !in.failed
                            && !deadline.isDone()
                            && protocol.hello != null
                            && !protocol.hello.isHelloRetryRequest();
                    lost = !client.completed
                            && !closedUnanswered
                            && !closedAfterHello
                            && (deadline.isDone()
                                    || in.ended
                                    || in.failed
                                    || (e instanceof IOException && !(e instanceof TlsException)));
                }
            }
            if (lost) {
                return ServerAnswer.dropped(problem.orElseThrow());
            }
            return answer(protocol, client, problem);
        } finally {
            deadline.cancel(false);
            closeQuietly(socket);
        }
    }

    private static ServerAnswer answer(Protocol protocol, Client client, Optional<String> problem) {
        ServerHello hello = protocol.hello;
        if (hello == null) {
            return ServerAnswer.refused(problem.orElse("no ServerHello"));
        }
        if (hello.isHelloRetryRequest()) {
            // A HelloRetryRequest names the suite and the group the server wants.
            int group = -1;
            try {
                group = TlsExtensionsUtils.getKeyShareHelloRetryRequest(hello.getExtensions());
            } catch (IOException e) {
                // no group named
            }
            return new ServerAnswer(
                    Optional.of("TLSv1.3"), hello.getCipherSuite(), group, false, List.of(), problem, true, false);
        }
        Hashtable<?, ?> extensions = hello.getExtensions();
        ProtocolVersion version = hello.getVersion();
        int group = -1;
        try {
            ProtocolVersion selected = TlsExtensionsUtils.getSupportedVersionsExtensionServer(extensions);
            if (selected != null) {
                version = selected;
                var share = TlsExtensionsUtils.getKeyShareServerHello(extensions);
                group = share != null ? share.getNamedGroup() : -1;
            }
        } catch (IOException e) {
            // a malformed extension leaves the legacy version
        }
        if (group < 0 && client.negotiatedGroup >= 0) {
            group = client.negotiatedGroup;
        }
        return new ServerAnswer(
                Optional.of(name(version)),
                hello.getCipherSuite(),
                group,
                client.completed,
                client.chain,
                client.completed ? Optional.empty() : problem,
                true,
                false);
    }

    private static String name(ProtocolVersion version) {
        for (TlsNames.Version known : TlsNames.VERSIONS) {
            if (known.protocol().equals(version)) {
                return known.name();
            }
        }
        return version.getName();
    }

    private static String describe(Throwable e, ScheduledFuture<?> deadline) {
        if (deadline.isDone()) {
            return "timed out";
        }
        if (e instanceof TlsFatalAlertReceived alert) {
            return "alert " + AlertDescription.getText(alert.getAlertDescription());
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** The socket's input, noting whether it ended or failed: what the TLS engine's errors hide. */
    private static final class Watched extends FilterInputStream {
        private volatile boolean ended;
        private volatile boolean failed;
        private volatile long received;

        Watched(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                int b = super.read();
                ended |= b < 0;
                received += b < 0 ? 0 : 1;
                return b;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                int n = super.read(buffer, offset, length);
                ended |= n < 0;
                received += Math.max(n, 0);
                return n;
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** Stops a {@link Offer#helloOnly()} handshake once the ServerHello is in. */
    private static final class HelloSeen extends IOException {
        private static final long serialVersionUID = 1L;

        HelloSeen() {
            super("ServerHello seen", null);
        }
    }

    /** The protocol engine, keeping the ServerHello as received, before Bouncy Castle judges it. */
    private static final class Protocol extends TlsClientProtocol {
        private final boolean helloOnly;
        private ServerHello hello;

        Protocol(InputStream in, OutputStream out, boolean helloOnly) {
            super(in, out);
            this.helloOnly = helloOnly;
        }

        @Override
        protected ServerHello receiveServerHelloMessage(ByteArrayInputStream buf) throws IOException {
            ServerHello received = super.receiveServerHelloMessage(buf);
            if (hello == null || hello.isHelloRetryRequest()) {
                hello = received;
            }
            if (helloOnly) {
                throw new HelloSeen();
            }
            return received;
        }
    }

    /** The client side: offers exactly the {@link Offer} and records the server's certificates. */
    private static final class Client extends DefaultTlsClient {
        private final TlsEndpoint endpoint;
        private final Offer offer;
        private List<X509Certificate> chain = List.of();
        private boolean completed;
        private int negotiatedGroup = -1;

        Client(BcTlsCrypto crypto, TlsEndpoint endpoint, Offer offer) {
            super(crypto);
            this.endpoint = endpoint;
            this.offer = offer;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return offer.versions().stream().map(TlsNames.Version::protocol).toArray(ProtocolVersion[]::new);
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return offer.suites().stream().mapToInt(Integer::intValue).toArray();
        }

        @Override
        protected Vector<Integer> getSupportedGroups(@SuppressWarnings("rawtypes") Vector namedGroupRoles) {
            return new Vector<>(offer.groups());
        }

        @Override
        public Vector<Integer> getEarlyKeyShareGroups() {
            Vector<Integer> first = new Vector<>();
            for (int group : offer.groups()) {
                if (getCrypto().hasNamedGroup(group)) {
                    first.add(group);
                    break;
                }
            }
            return first;
        }

        @Override
        protected Vector<org.bouncycastle.tls.SignatureAndHashAlgorithm> getSupportedSignatureAlgorithms() {
            Vector<org.bouncycastle.tls.SignatureAndHashAlgorithm> algorithms = new Vector<>();
            for (int scheme : offer.signatureSchemes()) {
                algorithms.add(SignatureScheme.getSignatureAndHashAlgorithm(scheme));
            }
            return algorithms;
        }

        @Override
        protected Vector<ServerName> getSNIServerNames() {
            String host = endpoint.host();
            if (host.equals(endpoint.address().getAddress().getHostAddress()) || host.indexOf(':') >= 0) {
                return null;
            }
            Vector<ServerName> names = new Vector<>();
            names.add(new ServerName(NameType.host_name, host.getBytes(StandardCharsets.US_ASCII)));
            return names;
        }

        @Override
        public TlsDHGroupVerifier getDHGroupVerifier() {
            return new DefaultTlsDHGroupVerifier(SMALLEST_DH_PRIME_BITS);
        }

        @Override
        public boolean shouldCheckSigAlgOfPeerCerts() {
            // The certificate's own signature is reported, not a reason to stop.
            return false;
        }

        @Override
        public int getMaxCertificateChainLength() {
            return 16;
        }

        @Override
        public void notifyHandshakeComplete() throws IOException {
            super.notifyHandshakeComplete();
            completed = true;
            negotiatedGroup = context.getSecurityParametersConnection().getNegotiatedGroup();
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new TlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    chain = certificates(serverCertificate.getCertificate().getCertificateList());
                }

                @Override
                public TlsCredentials getClientCredentials(CertificateRequest request) {
                    return null;
                }
            };
        }
    }

    private static List<X509Certificate> certificates(TlsCertificate[] list) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (TlsCertificate certificate : list) {
                chain.add((X509Certificate)
                        factory.generateCertificate(new ByteArrayInputStream(certificate.getEncoded())));
            }
        } catch (GeneralSecurityException | IOException e) {
            // A certificate the JDK cannot parse ends the chain as far as it can be described.
        }
        return chain;
    }
}
