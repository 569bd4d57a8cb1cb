package org.mxpolicy.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP CONNECT proxy on 127.0.0.1 that tunnels every request to one local port, whatever
 * host name it asks for. Through it, the JDK HttpClient talks to the server by its real names
 * (SNI and certificate check included) without any DNS: what {@code curl --resolve} does.
 */
final class ConnectProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final AtomicInteger tunnels = new AtomicInteger();

    ConnectProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::accept, "connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.getLocalPort());
    }

    /** How many tunnels (client connections) were opened so far. */
    int tunnels() {
        return tunnels.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread handler = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try (client;
                Socket upstream = new Socket("127.0.0.1", targetPort)) {
            String head = readHead(client.getInputStream());
            if (!head.startsWith("CONNECT ")) {
                client.getOutputStream()
                        .write("HTTP/1.1 405 Method Not Allowed\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            tunnels.incrementAndGet();
            client.getOutputStream()
                    .write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            Thread back = new Thread(() -> pump(upstream, client), "connect-proxy-back");
            back.setDaemon(true);
            back.start();
            pump(client, upstream);
            back.join();
        } catch (IOException | InterruptedException e) {
            // the tunnel ends with either side
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before the CONNECT request ended");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException closed) {
            // one side went away; the other read ends too
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
