package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The policy path is answered ahead of Javalin by {@link PolicyFileHandler}: what it answers and
 * logs must be what Javalin's routes answer and log for the same request. The bodies of 404 and
 * 421 on the policy path are compared with those Javalin gives on paths the handler leaves alone.
 */
class PolicyFileHandlerTest {

    private static final String COM = "mta-sts.example.com";
    private static final String NET = "mta-sts.example.net";
    private static final String AUTOCONFIG = "autoconfig.example.com";
    private static final String PATH = "/.well-known/mta-sts.txt";

    private static PolicyServer server;
    private static final BlockingQueue<String> accessLog = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        server = PolicyServer.start(ExampleHosts.served(), new ListenAddress("127.0.0.1", 0),
                new ListenAddress("127.0.0.1", 0), ServerLimits.DEFAULT, accessLog::add);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static TlsClient client() throws Exception {
        return new TlsClient(ExampleHosts.clientTrustingTestCa(), server.port());
    }

    private static TlsClient.Response send(String sni, String method, String host, String path) throws Exception {
        return client().send(sni, method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void notFoundOnThePolicyPathIsJavalinsNotFound() throws Exception {
        TlsClient.Response handler = send(COM, "GET", "nope.example", PATH);
        TlsClient.Response javalin = send(COM, "GET", COM, "/nothing-here");
        assertThat(handler.status()).isEqualTo(404).isEqualTo(javalin.status());
        assertThat(handler.text()).isEqualTo("not found\n").isEqualTo(javalin.text());
        assertThat(handler.header("Content-Type")).isEqualTo(javalin.header("Content-Type"));
        assertThat(handler.headers().keySet()).containsExactlyInAnyOrderElementsOf(javalin.headers().keySet());
    }

    @Test
    void misdirectedOnThePolicyPathIsJavalinsMisdirected() throws Exception {
        // The Autoconfig path stays with Javalin; its host rules are the same.
        TlsClient.Response handler = send(COM, "GET", NET, PATH);
        TlsClient.Response javalin = send(COM, "GET", AUTOCONFIG, ClientConfigRoutes.AUTOCONFIG_PATH);
        assertThat(handler.status()).isEqualTo(421).isEqualTo(javalin.status());
        assertThat(handler.text()).isEqualTo(javalin.text()).startsWith("misdirected request: ");
        assertThat(handler.headers().keySet()).containsExactlyInAnyOrderElementsOf(javalin.headers().keySet());
    }

    @Test
    void aQueryIsIgnoredAsJavalinDoes() throws Exception {
        TlsClient.Response plain = send(COM, "GET", COM, PATH);
        TlsClient.Response query = send(COM, "GET", COM, PATH + "?id=1");
        assertThat(query.status()).isEqualTo(200);
        assertThat(query.body()).isEqualTo(plain.body());
    }

    @Test
    void otherMethodsStillGetJavalins405WithAllow() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS")) {
            TlsClient.Response response = send(COM, method, COM, PATH);
            assertThat(response.status()).as(method).isEqualTo(405);
            assertThat(response.header("Allow")).as(method).isEqualTo("GET, HEAD");
        }
    }

    @Test
    void headIsLoggedWithTheSizeOfTheGetBody() throws Exception {
        TlsClient.Response get = send(COM, "GET", COM, PATH + "?get-size");
        TlsClient.Response head = send(COM, "HEAD", COM, PATH + "?head-size");
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(get.body().length));
        assertThat(head.body()).isEmpty();
        assertThat(logLine(PATH + "?get-size")).contains("\" 200 " + get.body().length + " ");
        assertThat(logLine(PATH + "?head-size")).contains("\"HEAD ").contains("\" 200 " + get.body().length + " ");
    }

    @Test
    void aReloadIsServedAtOnce() throws Exception {
        TlsClient.Response before = send(NET, "GET", NET, PATH);
        assertThat(before.status()).isEqualTo(200);
        ServedHosts all = ExampleHosts.served();
        server.reload(new ServedHosts(all.policies().stream().filter(host -> host.host().equals(COM)).toList(),
                all.clientConfigs()));
        try {
            assertThat(send(COM, "GET", NET, PATH).status()).isEqualTo(404);
        } finally {
            server.reload(all);
        }
        assertThat(send(NET, "GET", NET, PATH).body()).isEqualTo(before.body());
    }

    /** The access log line of the request for {@code target}, waiting for it (bounded). */
    private static String logLine(String target) throws InterruptedException {
        String line;
        do {
            line = accessLog.poll(10, TimeUnit.SECONDS);
        } while (line != null && !line.contains(" " + target + " "));
        assertThat(line).as("access log line for " + target).isNotNull();
        return line;
    }
}
