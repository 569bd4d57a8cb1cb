package org.mxpolicy.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.mxpolicy.finding.MessageText;

/**
 * Probes an MX over SMTP with STARTTLS (RFC 3207) the way a DANE sending MTA does (RFC 7672
 * section 3): greeting, {@code EHLO}, {@code STARTTLS}, then a TLS handshake with the MX host
 * name as SNI, accepting whatever chain the server sends so the check can compare it with the
 * TLSA records. Each reply must arrive within the timeout; replies are read with bounded line
 * length and line count, so a hostile or broken server can neither stall nor flood the probe.
 *
 * <p>The handshake offers TLS 1.2 and 1.3 only. TLS 1.0 and 1.1 are disabled in the JDK's
 * security properties ({@code jdk.tls.disabledAlgorithms}), which a library must not change for
 * the whole process; a server that speaks nothing newer shows up as a handshake failure saying so.
 */
public final class StartTlsProbe implements SmtpProbe {

    /**
     * Longest reply line read. RFC 5321 section 4.5.3.1.5 allows 512 octets; real servers
     * sometimes send longer EHLO lines, so there is room, but not for a flood.
     */
    static final int MAX_LINE_BYTES = 2048;
    /** Most lines in one reply; a long EHLO response has about 15. */
    static final int MAX_REPLY_LINES = 100;

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    private static final Pattern EHLO_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})|\\[[0-9A-Fa-f:.]+]");
    private static final Pattern REPLY_LINE = Pattern.compile("(\\d{3})([ -].*)?");

    private final Duration timeout;
    private final String ehloName;

    /**
     * @param timeout for connecting, for each reply and for the TLS handshake
     * @param ehloName the name sent with EHLO: this host's name, or an address literal
     */
    public StartTlsProbe(Duration timeout, String ehloName) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (!EHLO_NAME.matcher(ehloName).matches()) {
            throw new IllegalArgumentException("'" + ehloName + "' is not a host name or address literal for EHLO");
        }
        this.timeout = timeout;
        this.ehloName = ehloName;
    }

    @Override
    public SmtpObservation probe(String host, InetSocketAddress address) {
        return new Session(host, address).run();
    }

    /** Why a probe stopped: one short line for {@link SmtpObservation#problem()}. */
    private static final class Stop extends Exception {
        Stop(String problem) {
            super(problem, null, false, false);
        }
    }

    /** One SMTP reply: its code and lines, as received. */
    private record Reply(int code, List<String> lines) {
        String firstLine() {
            return lines.get(0);
        }
    }

    /** One probe: what it has seen so far, kept for the observation however the probe ends. */
    private final class Session {
        private final String host;
        private final InetSocketAddress address;
        private final RecordingTrustManager trust = new RecordingTrustManager();
        private Optional<String> greeting = Optional.empty();
        private boolean starttlsOffered;
        private Optional<String> protocol = Optional.empty();
        private Optional<String> cipherSuite = Optional.empty();
        private List<X509Certificate> chain = List.of();

        Session(String host, InetSocketAddress address) {
            this.host = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            this.address = address;
        }

        SmtpObservation run() {
            Optional<String> problem = Optional.empty();
            try (Socket socket = new Socket()) {
                try {
                    converse(socket);
                } catch (Stop stop) {
                    problem = Optional.of(stop.getMessage());
                }
            } catch (IOException closing) {
                // Closing a socket the server already dropped: nothing left to observe.
            }
            if (chain.isEmpty()) {
                chain = trust.chain();
            }
            boolean forwardSecret = protocol.isPresent() && forwardSecret(protocol.get(), cipherSuite.orElse(""));
            return new SmtpObservation(
                    host, address, greeting, starttlsOffered, protocol, cipherSuite, forwardSecret, chain, problem);
        }

        private void converse(Socket socket) throws Stop {
            connect(socket);
            InputStream in;
            OutputStream out;
            try {
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            } catch (IOException e) {
                throw new Stop("connection lost: " + oneLine(e));
            }
            Reply hello = read(socket, in, "the greeting");
            greeting = Optional.of(hello.firstLine());
            if (hello.code() != 220) {
                throw new Stop("greeting is not 220: " + hello.firstLine());
            }
            send(out, "EHLO " + ehloName, "EHLO");
            Reply ehlo = read(socket, in, "the EHLO response");
            if (ehlo.code() != 250) {
                quietly(() -> send(out, "QUIT", "QUIT"));
                throw new Stop("EHLO refused: " + ehlo.firstLine());
            }
            starttlsOffered = ehlo.lines().stream().skip(1).anyMatch(StartTlsProbe::isStarttlsKeyword);
            if (!starttlsOffered) {
                quietly(() -> send(out, "QUIT", "QUIT"));
                throw new Stop("STARTTLS not offered");
            }
            send(out, "STARTTLS", "STARTTLS");
            Reply ready = read(socket, in, "the STARTTLS response");
            if (ready.code() != 220) {
                quietly(() -> send(out, "QUIT", "QUIT"));
                throw new Stop("STARTTLS refused: " + ready.firstLine());
            }
            // Bytes the server sent after its 220 are still in the buffered stream and are dropped
            // with it: nothing from before the handshake may be read as protected (RFC 3207 section 4.2).
            SSLSocket tls = handshake(socket);
            quietly(() -> {
                OutputStream tlsOut = tls.getOutputStream();
                send(tlsOut, "QUIT", "QUIT");
                read(tls, new BufferedInputStream(tls.getInputStream()), "the QUIT response");
            });
        }

        private void connect(Socket socket) throws Stop {
            if (address.isUnresolved()) {
                throw new Stop("no address for " + address.getHostString());
            }
            try {
                socket.connect(address, millis(timeout));
                socket.setSoTimeout(millis(timeout));
            } catch (ConnectException e) {
                throw new Stop(refusedOr(e));
            } catch (SocketTimeoutException e) {
                throw new Stop("timed out after " + seconds(timeout) + " connecting");
            } catch (NoRouteToHostException e) {
                throw new Stop("no route to host");
            } catch (UnknownHostException e) {
                throw new Stop("no address for " + address.getHostString());
            } catch (IOException e) {
                throw new Stop("cannot connect: " + oneLine(e));
            }
        }

        private SSLSocket handshake(Socket socket) throws Stop {
            SSLSocket tls;
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {trust}, null);
                tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, address.getPort(), true);
            } catch (GeneralSecurityException | IOException e) {
                throw new Stop("TLS handshake failed: " + oneLine(e));
            }
            SSLParameters parameters = tls.getSSLParameters();
            List<String> supported = Arrays.asList(tls.getSupportedProtocols());
            parameters.setProtocols(
                    Arrays.stream(PROTOCOLS).filter(supported::contains).toArray(String[]::new));
            parameters.setServerNames(sniName(host));
            // No endpoint identification: the MX certificate is judged against TLSA records later.
            parameters.setEndpointIdentificationAlgorithm(null);
            tls.setSSLParameters(parameters);
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                throw new Stop("timed out after " + seconds(timeout) + " in the TLS handshake");
            } catch (SSLException e) {
                throw new Stop("TLS handshake failed: " + oneLine(e) + versionHint(e));
            } catch (IOException e) {
                throw new Stop("TLS handshake failed: connection lost: " + oneLine(e));
            }
            SSLSession session = tls.getSession();
            protocol = Optional.of(session.getProtocol());
            cipherSuite = Optional.of(session.getCipherSuite());
            try {
                List<X509Certificate> sent = new ArrayList<>();
                for (Certificate c : session.getPeerCertificates()) {
                    if (c instanceof X509Certificate x509) {
                        sent.add(x509);
                    }
                }
                chain = List.copyOf(sent);
            } catch (IOException e) {
                chain = trust.chain();
            }
            return tls;
        }

        private Reply read(Socket socket, InputStream in, String waitingFor) throws Stop {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> lines = new ArrayList<>();
            int code = -1;
            while (true) {
                if (lines.size() == MAX_REPLY_LINES) {
                    throw new Stop("more than " + MAX_REPLY_LINES + " lines in " + waitingFor);
                }
                String line = readLine(socket, in, deadline, waitingFor);
                var m = REPLY_LINE.matcher(line);
                if (!m.matches()) {
                    throw new Stop("not an SMTP reply in " + waitingFor + ": " + line);
                }
                if (code < 0) {
                    code = Integer.parseInt(m.group(1));
                }
                lines.add(line);
                if (m.group(2) == null || m.group(2).charAt(0) == ' ') {
                    return new Reply(code, lines);
                }
            }
        }

        /**
         * One line up to LF, without CR LF, as printable text. The socket timeout is set to
         * what is left of the reply's time, so a server that trickles bytes is cut off too.
         */
        private String readLine(Socket socket, InputStream in, long deadline, String waitingFor) throws Stop {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new SocketTimeoutException();
                    }
                    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
                    int b = in.read();
                    if (b < 0) {
                        throw new Stop("connection closed by the server while waiting for " + waitingFor);
                    }
                    if (b == '\n') {
                        break;
                    }
                    if (line.size() == MAX_LINE_BYTES) {
                        throw new Stop("reply line longer than " + MAX_LINE_BYTES + " bytes in " + waitingFor);
                    }
                    line.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new Stop("timed out after " + seconds(timeout) + " waiting for " + waitingFor);
            } catch (IOException e) {
                throw new Stop("connection lost while waiting for " + waitingFor + ": " + oneLine(e));
            }
            byte[] bytes = line.toByteArray();
            int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            return printable(new String(bytes, 0, length, StandardCharsets.ISO_8859_1));
        }

        private void send(OutputStream out, String command, String what) throws Stop {
            try {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                throw new Stop("connection lost sending " + what + ": " + oneLine(e));
            }
        }
    }

    private interface Step {
        void run() throws Stop, IOException;
    }

    /** For the goodbye: the observation is complete, so a server that hangs up early changes nothing. */
    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Stop | IOException ignored) {
            // nothing more to observe
        }
    }

    /** An EHLO keyword line of RFC 5321 section 4.1.1.1: the keyword, then parameters. */
    private static boolean isStarttlsKeyword(String line) {
        String text = line.length() > 4 ? line.substring(4).strip() : "";
        String keyword = text.split("\\s+", 2)[0];
        return keyword.toUpperCase(Locale.ROOT).equals("STARTTLS");
    }

    /**
     * TLS 1.3 key exchange is always ephemeral (RFC 8446 section 2); in TLS 1.2 only the
     * (EC)DHE suites are.
     */
    static boolean forwardSecret(String protocol, String cipherSuite) {
        if (protocol.equals("TLSv1.3")) {
            return true;
        }
        return cipherSuite.startsWith("TLS_ECDHE_") || cipherSuite.startsWith("TLS_DHE_");
    }

    private static List<javax.net.ssl.SNIServerName> sniName(String host) {
        try {
            return List.of(new SNIHostName(host));
        } catch (IllegalArgumentException notAHostName) {
            // An address literal: RFC 6066 section 3 sends no SNI for those.
            return List.of();
        }
    }

    private static String refusedOr(ConnectException e) {
        String message = MessageText.problem(e);
        return message.toLowerCase(Locale.ROOT).contains("refused")
                ? "connection refused"
                : "cannot connect: " + printable(message);
    }

    private static String versionHint(SSLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("protocol_version") || message.contains("No appropriate protocol")) {
            return " (this probe offers TLS 1.2 and 1.3 only; does the server offer only older versions?)";
        }
        return "";
    }

    private static String oneLine(Exception e) {
        return printable(MessageText.problem(e));
    }

    /** Control characters escaped and long text cut, so a hostile server cannot garble a report. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < s.length() && out.length() < 200; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < s.length() ? out + "..." : out.toString();
    }

    private static int millis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, d.toMillis());
    }

    static String seconds(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    /**
     * Accepts every chain and keeps the last one seen: whether the server's certificate is right
     * is for DANE to say, and a probe that refused unknown CAs would observe nothing.
     */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        private volatile List<X509Certificate> chain = List.of();

        List<X509Certificate> chain() {
            return chain;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] sent, String authType, Socket socket) {
            chain = List.of(sent);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] sent, String authType, SSLEngine engine) {
            chain = List.of(sent);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] sent, String authType) {
            chain = List.of(sent);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] sent, String authType, Socket socket) {
            throw new UnsupportedOperationException("a probe is never a TLS server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] sent, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("a probe is never a TLS server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] sent, String authType) {
            throw new UnsupportedOperationException("a probe is never a TLS server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
