package org.mxpolicy.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A misbehaving SMTP server on loopback for the cases a real Postfix cannot be made to produce
 * (a 454 to STARTTLS, a flood of lines, silence): it answers one connection from a script of
 * replies, one per command received, and records the commands.
 */
final class ScriptedSmtpPeer implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);

    /**
     * @param greeting sent on connect, as raw text (null: say nothing and wait)
     * @param replies sent one after each command line received; after the last, the connection
     *     closes
     */
    ScriptedSmtpPeer(String greeting, String... replies) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        thread = new Thread(() -> serve(greeting, List.of(replies)), "scripted smtp peer");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** The command lines the client sent, once the conversation is over. */
    List<String> commands() throws InterruptedException {
        done.await(20, TimeUnit.SECONDS);
        return new ArrayList<>(commands);
    }

    private void serve(String greeting, List<String> replies) {
        try (Socket socket = server.accept()) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            if (greeting == null) {
                // Silent until the client gives up.
                while (in.read() >= 0) {
                    // discard
                }
                return;
            }
            out.write(greeting.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            for (String reply : replies) {
                String command = in.readLine();
                if (command == null) {
                    return;
                }
                commands.add(command);
                out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
            String last = in.readLine();
            if (last != null) {
                commands.add(last);
            }
        } catch (IOException e) {
            // the client hung up; what it sent is recorded
        } finally {
            done.countDown();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
