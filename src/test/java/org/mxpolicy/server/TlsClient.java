package org.mxpolicy.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A minimal HTTP/1.1 client over TLS on 127.0.0.1 that sends exactly the bytes given, with the
 * TLS server name (SNI) and certificate check of a chosen host: what {@code curl --resolve}
 * does, without touching name resolution. Requests go out as written, so tests can send
 * paths no normal client would send and Host headers that differ from SNI.
 */
final class TlsClient {

    private final SSLContext context;
    private final int port;
    private String[] protocols;
    private String[] cipherSuites;

    TlsClient(SSLContext context, int port) {
        this.context = context;
        this.port = port;
    }

    /** Restricts what the client offers. */
    TlsClient offering(List<String> protocols, List<String> cipherSuites) {
        this.protocols = protocols.toArray(String[]::new);
        this.cipherSuites = cipherSuites == null ? null : cipherSuites.toArray(String[]::new);
        return this;
    }

    /** {@code METHOD PATH} with {@code Host: host}, SNI {@code host}. */
    Response request(String method, String host, String path) throws IOException {
        return send(host, method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    /**
     * Sends raw request bytes on a new connection.
     *
     * @param sniHost the name sent as SNI and checked against the certificate; null sends no SNI
     *     and skips the name check
     */
    Response send(String sniHost, String rawRequest) throws IOException {
        try (SSLSocket socket = connect(sniHost)) {
            OutputStream out = socket.getOutputStream();
            out.write(rawRequest.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(socket);
        }
    }

    /**
     * A new connection, handshake done, for a test that writes its request in parts.
     *
     * @param sniHost as for {@link #send}
     */
    SSLSocket connect(String sniHost) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        plain.setSoTimeout(10_000);
        SSLSocket socket = (SSLSocket)
                context.getSocketFactory().createSocket(plain, sniHost == null ? "127.0.0.1" : sniHost, port, true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            if (sniHost != null) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            } else {
                parameters.setServerNames(List.of());
            }
            if (protocols != null) {
                parameters.setProtocols(protocols);
            }
            if (cipherSuites != null) {
                parameters.setCipherSuites(cipherSuites);
            }
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The response on a connection {@link #connect} opened, read to its end. */
    static Response read(SSLSocket socket) throws IOException {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        byte[] all = readAll(socket.getInputStream());
        return Response.parse(
                all,
                leaf,
                socket.getSession().getProtocol(),
                socket.getSession().getCipherSuite());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) > 0; ) {
                buffer.write(chunk, 0, n);
            }
        } catch (javax.net.ssl.SSLException | java.net.SocketException closedAbruptly) {
            // The server may close without close_notify after an error; what came is the answer.
            if (buffer.size() == 0) {
                throw closedAbruptly;
            }
        }
        return buffer.toByteArray();
    }

    /** One HTTP response: status, headers (names lower case), body, and the TLS session facts. */
    record Response(
            int status,
            Map<String, String> headers,
            byte[] body,
            X509Certificate certificate,
            String protocol,
            String cipherSuite) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static Response parse(byte[] all, X509Certificate leaf, String protocol, String suite) throws IOException {
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            if (end < 0) {
                throw new IOException("no complete response head in " + all.length + " bytes: "
                        + new String(all, StandardCharsets.ISO_8859_1));
            }
            String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            byte[] body = Arrays.copyOfRange(all, end + 4, all.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Response(status, headers, body, leaf, protocol, suite);
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int pos = 0;
            while (pos < chunked.length) {
                int lineEnd = indexOf(
                        Arrays.copyOfRange(chunked, pos, chunked.length), "\r\n".getBytes(StandardCharsets.US_ASCII));
                String sizeText = new String(chunked, pos, lineEnd, StandardCharsets.US_ASCII).split(";")[0].strip();
                int size = Integer.parseInt(sizeText, 16);
                pos += lineEnd + 2;
                if (size == 0) {
                    break;
                }
                out.write(chunked, pos, size);
                pos += size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOf(byte[] data, byte[] pattern) {
            outer:
            for (int i = 0; i + pattern.length <= data.length; i++) {
                for (int j = 0; j < pattern.length; j++) {
                    if (data[i + j] != pattern[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
