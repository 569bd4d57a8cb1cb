package org.mxpolicy.probe;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MessageText;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.MtaStsPolicyParser;

/**
 * Fetches a domain's MTA-STS policy as a sending MTA does (RFC 8461 section 3.3): HTTPS to
 * {@code mta-sts.<domain>} on port 443 with SNI, a certificate chain to a trusted CA that is valid
 * for that host name (endpoint identification as for HTTPS, RFC 9110 section 4.3.4), no
 * redirects followed, status 200, media type {@code text/plain}, and a body that parses as a
 * policy (RFC 8461 section 3.2).
 *
 * <p>The request is a single HTTP/1.1 GET written over an {@link SSLSocket} rather than sent with
 * the JDK's {@code HttpClient}: that client always connects where DNS points the URL's host, and
 * a check must be able to reach a policy host at another address ({@link ConnectOverrides}) while
 * SNI, the Host header and the certificate check stay on the real name; and the addresses come
 * from the caller's validating lookup, never from the system resolver. One GET with
 * {@code Connection: close} needs little: a status line, headers, and a body framed by
 * Content-Length, chunked transfer coding or the end of the connection (RFC 9112 section 6.3).
 */
public final class HttpsPolicyFetch implements PolicyFetch {

    /** The well-known path of the policy, RFC 8461 section 3.2. */
    public static final String PATH = "/.well-known/mta-sts.txt";
    /** Policies are a few hundred bytes; a sender need not read more than this. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Status line and headers together. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private static final int MAX_HEADERS = 100;
    private static final int PORT = 443;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final Duration timeout;
    private final ConnectOverrides overrides;

    private HttpsPolicyFetch(SSLContext context, Duration timeout, ConnectOverrides overrides) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        this.context = context;
        this.timeout = timeout;
        this.overrides = overrides;
    }

    /** Trusting the CAs of the Java runtime's default trust store, as a sender on this host would. */
    public static HttpsPolicyFetch withDefaultTrust(Duration timeout, ConnectOverrides overrides) {
        return new HttpsPolicyFetch(context(null), timeout, overrides);
    }

    /** Trusting only {@code anchors}, for example a private CA or a test CA (see {@link #readCaBundle}). */
    public static HttpsPolicyFetch trusting(
            List<X509Certificate> anchors, Duration timeout, ConnectOverrides overrides) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("no trust anchor given");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                store.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            return new HttpsPolicyFetch(context(store), timeout, overrides);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store in memory", e);
        }
    }

    /**
     * Reads a CA bundle: one or more PEM {@code CERTIFICATE} blocks, as in
     * {@code /etc/ssl/certs/ca-certificates.crt}; text between blocks is ignored.
     *
     * @throws InvalidInputException naming the file when it holds no certificate or a broken one
     */
    public static List<X509Certificate> readCaBundle(InputStream in, String source) throws InvalidInputException {
        try {
            byte[] bytes = in.readAllBytes();
            List<X509Certificate> certificates = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(bytes))) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new InvalidInputException(
                        "probe.ca-bundle",
                        SourcePosition.file(source),
                        "holds no certificate; give CA certificates in PEM (-----BEGIN CERTIFICATE-----)");
            }
            return List.copyOf(certificates);
        } catch (CertificateException e) {
            throw new InvalidInputException(
                    "probe.ca-bundle",
                    SourcePosition.file(source),
                    "is not a bundle of PEM CA certificates: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidInputException(
                    "probe.ca-bundle", SourcePosition.file(source), "cannot read: " + e.getMessage());
        }
    }

    @Override
    public PolicyObservation fetch(String domain, List<InetAddress> addresses) {
        return new Exchange(host(domain), List.copyOf(addresses)).run();
    }

    /** {@code mta-sts.<domain>}, in lower case and without the final dot: the name senders fetch from. */
    public static String host(String domain) {
        String name = domain.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return "mta-sts." + name;
    }

    private static SSLContext context(KeyStore anchors) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the Java runtime has no usable TLS", e);
        }
    }

    /** Why a fetch stopped: one short line for {@link PolicyObservation#problem()}. */
    private static final class Stop extends Exception {
        Stop(String problem) {
            super(problem, null, false, false);
        }
    }

    /** One GET: what came back so far, kept for the observation however it ends. */
    private final class Exchange {
        private final String host;
        private final List<InetAddress> addresses;
        private final URI url;
        private Optional<Integer> status = Optional.empty();
        private Optional<String> contentType = Optional.empty();
        private byte[] body = new byte[0];
        private List<X509Certificate> chain = List.of();

        Exchange(String host, List<InetAddress> addresses) {
            this.host = host;
            this.addresses = addresses;
            this.url = URI.create("https://" + host + PATH);
        }

        PolicyObservation run() {
            Optional<String> problem;
            try {
                problem = exchange();
            } catch (Stop stop) {
                problem = Optional.of(stop.getMessage());
            }
            return new PolicyObservation(url, status, contentType, body, problem, chain);
        }

        private Optional<String> exchange() throws Stop {
            try (Socket socket = connect()) {
                SSLSocket tls = handshake(socket);
                OutputStream out = tls.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: mxpolicy\r\n"
                                + "Accept: text/plain\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return response(new BufferedInputStream(new DeadlineInputStream(tls, timeout)));
            } catch (SocketTimeoutException e) {
                throw new Stop("timed out after " + StartTlsProbe.seconds(timeout) + " waiting for the response");
            } catch (IOException e) {
                throw new Stop("connection lost: " + StartTlsProbe.printable(MessageText.problem(e)));
            }
        }

        /** The override's address, or each address the caller's lookup gave in turn until one accepts. */
        private Socket connect() throws Stop {
            List<InetSocketAddress> targets = new ArrayList<>();
            Optional<InetSocketAddress> override = overrides.lookup(host, PORT);
            if (override.isPresent()) {
                targets.add(override.get());
            } else {
                for (InetAddress address : addresses) {
                    targets.add(new InetSocketAddress(address, PORT));
                }
            }
            if (targets.isEmpty()) {
                throw new Stop("no address for " + host + " (no A or AAAA record)");
            }
            List<String> failures = new ArrayList<>();
            for (InetSocketAddress target : targets) {
                Socket socket = new Socket();
                try {
                    socket.connect(target, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
                    return socket;
                } catch (IOException e) {
                    closeQuietly(socket);
                    String why = e instanceof ConnectException
                                    && String.valueOf(e.getMessage()).contains("refused")
                            ? "connection refused"
                            : e instanceof SocketTimeoutException
                                    ? "timed out after " + StartTlsProbe.seconds(timeout)
                                    : StartTlsProbe.printable(MessageText.problem(e));
                    failures.add(ConnectOverrides.describe(target) + ": " + why);
                }
            }
            throw new Stop("cannot connect to " + host + " (" + String.join(", ", failures) + ")");
        }

        private SSLSocket handshake(Socket socket) throws Stop, IOException {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, host, PORT, true);
            SSLParameters parameters = tls.getSSLParameters();
            List<String> supported = Arrays.asList(tls.getSupportedProtocols());
            parameters.setProtocols(
                    Arrays.stream(PROTOCOLS).filter(supported::contains).toArray(String[]::new));
            parameters.setServerNames(List.of(new SNIHostName(host)));
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                throw new Stop("timed out after " + StartTlsProbe.seconds(timeout) + " in the TLS handshake");
            } catch (SSLException e) {
                throw new Stop(tlsProblem(e));
            }
            List<X509Certificate> presented = new ArrayList<>();
            for (java.security.cert.Certificate certificate : tls.getSession().getPeerCertificates()) {
                if (certificate instanceof X509Certificate x509) {
                    presented.add(x509);
                }
            }
            chain = List.copyOf(presented);
            return tls;
        }

        private String tlsProblem(SSLException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                String message = StartTlsProbe.printable(MessageText.problem(cause));
                if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
                    return "certificate of " + host + " is outside its validity period: " + message;
                }
                if (cause instanceof CertPathBuilderException) {
                    return "certificate of " + host + " does not chain to a trusted CA: " + message;
                }
                if (cause instanceof CertificateException && message.contains("No subject alternative")) {
                    return "certificate is not valid for " + host + ": " + message;
                }
            }
            return "TLS handshake with " + host + " failed: " + StartTlsProbe.printable(MessageText.problem(e));
        }

        private Optional<String> response(InputStream in) throws Stop, IOException {
            Map<String, String> headers;
            int code;
            int informational = 0;
            while (true) {
                List<String> head = readHead(in);
                String statusLine = head.get(0);
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
                    throw new Stop("not an HTTP/1.1 response: " + statusLine);
                }
                code = Integer.parseInt(parts[1]);
                headers = headers(head);
                if (code >= 200 || ++informational > 5) {
                    break;
                }
            }
            status = Optional.of(code);
            contentType = Optional.ofNullable(headers.get("content-type"));
            if (code >= 300 && code < 400) {
                String location = headers.get("location");
                return Optional.of("redirect (" + code + ")" + (location == null ? "" : " to " + location)
                        + "; senders do not follow redirects (RFC 8461 section 3.3)");
            }
            if (code != 200) {
                return Optional.of("status " + code + ", not 200 (RFC 8461 section 3.3)");
            }
            body = body(in, headers);
            List<String> problems = new ArrayList<>();
            String mediaType = contentType
                    .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                    .orElse(null);
            if (mediaType == null) {
                problems.add("no Content-Type; senders need text/plain (RFC 8461 section 3.2)");
            } else if (!mediaType.equals("text/plain")) {
                problems.add("media type " + mediaType + ", not text/plain (RFC 8461 section 3.2)");
            }
            MtaStsPolicyParser.Result parsed = MtaStsPolicyParser.parse(body, url.toString());
            List<Finding> errors = parsed.errors();
            if (!errors.isEmpty()) {
                problems.add("the policy does not parse: "
                        + errors.stream()
                                .map(f -> (f.position().line() > 0
                                                ? "line " + f.position().line() + ": "
                                                : "")
                                        + f.message())
                                .collect(Collectors.joining("; ")));
            }
            return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
        }

        /** Lines of the status line and headers, up to the empty line. */
        private List<String> readHead(InputStream in) throws Stop, IOException {
            List<String> lines = new ArrayList<>();
            int total = 0;
            while (true) {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != '\n') {
                    if (b < 0) {
                        throw new Stop(
                                lines.isEmpty() && line.size() == 0
                                        ? "connection closed without a response"
                                        : "connection closed in the response headers");
                    }
                    if (++total > MAX_HEAD_BYTES) {
                        throw new Stop("response headers longer than " + MAX_HEAD_BYTES / 1024 + " KiB");
                    }
                    line.write(b);
                }
                String text = new String(line.toByteArray(), StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (text.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue;
                    }
                    return lines;
                }
                if (lines.size() > MAX_HEADERS) {
                    throw new Stop("more than " + MAX_HEADERS + " response headers");
                }
                lines.add(StartTlsProbe.printable(text));
            }
        }

        /** Header names in lower case; of a repeated header, the first. */
        private Map<String, String> headers(List<String> head) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : head.subList(1, head.size())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(
                            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            return headers;
        }

        private byte[] body(InputStream in, Map<String, String> headers) throws Stop, IOException {
            String transferEncoding = headers.get("transfer-encoding");
            if (transferEncoding != null) {
                if (!transferEncoding.equalsIgnoreCase("chunked")) {
                    throw new Stop("unsupported Transfer-Encoding " + transferEncoding);
                }
                return chunked(in);
            }
            String length = headers.get("content-length");
            if (length != null) {
                if (!length.matches("\\d{1,18}")) {
                    throw new Stop("Content-Length '" + length + "' is not a number");
                }
                long declared = Long.parseLong(length);
                if (declared > MAX_BODY_BYTES) {
                    throw new Stop("body of " + declared + " bytes is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
                }
                byte[] bytes = in.readNBytes((int) declared);
                if (bytes.length < declared) {
                    body = bytes;
                    throw new Stop("body ended after " + bytes.length + " of " + declared + " bytes");
                }
                return bytes;
            }
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new Stop("body larger than " + MAX_BODY_BYTES / 1024 + " KiB");
            }
            return bytes;
        }

        /** Chunked transfer coding, RFC 9112 section 7.1; chunk extensions and trailers are skipped. */
        private byte[] chunked(InputStream in) throws Stop, IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = chunkLine(in).split(";", 2)[0].strip();
                if (!sizeLine.matches("[0-9A-Fa-f]{1,8}")) {
                    throw new Stop("broken chunked body: chunk size '" + StartTlsProbe.printable(sizeLine) + "'");
                }
                long size = Long.parseLong(sizeLine, 16);
                if (size == 0) {
                    for (int trailers = 0; !chunkLine(in).isEmpty(); trailers++) {
                        if (trailers > MAX_HEADERS) {
                            throw new Stop("more than " + MAX_HEADERS + " trailer fields");
                        }
                    }
                    return out.toByteArray();
                }
                if (out.size() + size > MAX_BODY_BYTES) {
                    throw new Stop("body larger than " + MAX_BODY_BYTES / 1024 + " KiB");
                }
                byte[] chunk = in.readNBytes((int) size);
                out.write(chunk);
                if (chunk.length < size) {
                    body = out.toByteArray();
                    throw new Stop("chunked body ended inside a chunk");
                }
                if (!chunkLine(in).isEmpty()) {
                    throw new Stop("broken chunked body: no line end after a chunk");
                }
            }
        }

        private String chunkLine(InputStream in) throws Stop, IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    throw new Stop("chunked body ended early");
                }
                if (line.size() > 1024) {
                    throw new Stop("broken chunked body: line longer than 1 KiB");
                }
                line.write(b);
            }
            String text = new String(line.toByteArray(), StandardCharsets.ISO_8859_1);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }

    /**
     * The socket's input, which must be read to its end within the timeout in all: a server that
     * sends a byte now and then is cut off as surely as one that sends nothing.
     */
    private static final class DeadlineInputStream extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        DeadlineInputStream(Socket socket, Duration timeout) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadline = System.nanoTime() + timeout.toNanos();
        }

        private void arm() throws IOException {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        }

        @Override
        public int read() throws IOException {
            arm();
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            arm();
            return in.read(buffer, offset, length);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing was sent
        }
    }
}
