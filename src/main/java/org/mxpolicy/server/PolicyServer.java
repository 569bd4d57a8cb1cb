package org.mxpolicy.server;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.mxpolicy.tls.TlsProfile;

/**
 * The MTA-STS policy server: an HTTPS listener that serves each policy host's policy file and
 * each client configuration host's Autoconfig or Autodiscover document, and a plain-HTTP admin
 * listener for health checks and metrics, meant for loopback. Built from values (the hosts with
 * their content and key material, the addresses, the limits); reading the config and the files
 * is the caller's business.
 *
 * <p>The two listeners are separate Jetty servers, so nothing of the admin side is reachable on
 * the public port. HTTP/1.1 only; no redirects, no static files, no directory listings.
 */
public final class PolicyServer implements AutoCloseable {

    /** The admin listener's health check: 200 while the server runs. */
    public static final String HEALTH_PATH = "/healthz";
    /** The admin listener's metrics in the Prometheus text format, see {@link ServerMetrics}. */
    public static final String METRICS_PATH = "/metrics";
    /** Access log lines: NCSA common log format, then the Host header. */
    static final String ACCESS_LOG_FORMAT = CustomRequestLog.NCSA_FORMAT + " \"%{Host}i\"";

    private static final int ACCEPTORS = 1;

    private final Javalin policy;
    private final Javalin admin;
    private final SslContextFactory.Server tls;
    private final AtomicReference<Routing> routing;
    private final ServerMetrics metrics;
    /** The hosts in service, to go back to when new key material cannot be used. */
    private ServedHosts current;

    /** What the routes answer, switched as one on reload. */
    private record Routing(Map<String, byte[]> policies, ClientConfigRoutes.Content clientConfigs) {
        static Routing of(ServedHosts hosts) {
            return new Routing(
                    PolicyRoutes.policies(hosts.policies()), ClientConfigRoutes.Content.of(hosts.clientConfigs()));
        }
    }

    private PolicyServer(
            Javalin policy,
            Javalin admin,
            SslContextFactory.Server tls,
            AtomicReference<Routing> routing,
            ServerMetrics metrics,
            ServedHosts current) {
        this.current = current;
        this.policy = policy;
        this.admin = admin;
        this.tls = tls;
        this.routing = routing;
        this.metrics = metrics;
    }

    /** Starts with the {@code bsi} profile; see {@link #start(ServedHosts, ListenAddress, ListenAddress, ServerLimits, RequestLog.Writer, TlsProfile)}. */
    public static PolicyServer start(
            ServedHosts hosts,
            ListenAddress listen,
            ListenAddress adminListen,
            ServerLimits limits,
            RequestLog.Writer accessLog)
            throws ServerException {
        return start(hosts, listen, adminListen, limits, accessLog, ServerTls.defaultProfile());
    }

    /**
     * Starts both listeners, the HTTPS one with the given TLS profile, and returns once they
     * accept connections. The profile's groups and signature schemes are JVM-wide settings
     * ({@link org.mxpolicy.tls.JsseProperties}), the caller's to make before.
     *
     * @param hosts at least one host
     * @param accessLog receives one line per request of the HTTPS listener
     * @throws ServerException when an address cannot be bound
     */
    public static PolicyServer start(
            ServedHosts hosts,
            ListenAddress listen,
            ListenAddress adminListen,
            ServerLimits limits,
            RequestLog.Writer accessLog,
            TlsProfile profile)
            throws ServerException {
        return start(hosts, listen, AdminSettings.plain(adminListen), limits, accessLog, profile);
    }

    /**
     * Starts both listeners, the admin one as its settings say: HTTPS and basic auth when
     * configured, the status pages when a status site is given.
     *
     * @throws UnprotectedAdminException when the admin listener is off loopback without TLS and passwords
     * @throws ServerException when an address cannot be bound
     */
    public static PolicyServer start(
            ServedHosts hosts,
            ListenAddress listen,
            AdminSettings adminSettings,
            ServerLimits limits,
            RequestLog.Writer accessLog,
            TlsProfile profile)
            throws ServerException {
        adminSettings.requireProtected();
        ListenAddress adminListen = adminSettings.address();
        if (hosts.isEmpty()) {
            throw new ServerException("no host to serve");
        }
        AtomicReference<Routing> routing = new AtomicReference<>(Routing.of(hosts));
        ServerMetrics metrics = new ServerMetrics(List.of());
        metrics.certificates(hosts.certificates());
        SslContextFactory.Server tls = ServerTls.forCertificates(hosts.certificates(), profile);
        ScheduledExecutorScheduler timers = new ScheduledExecutorScheduler("mxpolicy-request-deadline", true);
        RequestDeadline deadline = new RequestDeadline(limits.requestTimeout(), timers);
        Javalin policy = Javalin.create(config -> {
            common(config, limits, limits.maxThreads(), "mxpolicy-https");
            config.jetty.modifyServer(server -> {
                CustomRequestLog log = new CustomRequestLog(accessLog, ACCESS_LOG_FORMAT);
                server.addBean(log);
                // Jetty calls the request log for every request, including those it refuses
                // itself (400, 431), so the metrics count those too.
                server.setRequestLog(new RequestLog.Collection(
                        log,
                        (request, response) -> metrics.count(
                                PolicyRoutes.requestHost(request.getHeaders().get(HttpHeader.HOST)),
                                response.getStatus())));
                server.addBean(new NetworkConnectionLimit(limits.maxConnections(), server));
                server.addBean(timers);
                // Javalin puts its servlet context inside this wrapper.
                server.setHandler(deadline.handler());
            });
            config.jetty.addConnector((server, http) -> tlsConnector(server, http, tls, deadline, listen, limits));
            PolicyRoutes.register(config.routes, () -> routing.get().policies());
            ClientConfigRoutes.register(config.routes, () -> routing.get().clientConfigs());
        });
        Javalin admin = Javalin.create(config -> {
            common(config, limits, 8, "mxpolicy-admin");
            config.jetty.modifyServer(server -> {
                server.setHandler(new AdminGuard(adminSettings.passwords()));
                server.setErrorHandler(AdminGuard.errors(server.getErrorHandler()));
            });
            if (adminSettings.tls().isPresent()) {
                SslContextFactory.Server adminTls =
                        ServerTls.forAdmin(adminSettings.tls().get(), profile);
                config.jetty.addConnector(
                        (server, http) -> adminTlsConnector(server, http, adminTls, adminListen, limits));
            } else {
                config.jetty.addConnector((server, http) -> plainConnector(server, http, adminListen, limits));
            }
            adminSettings.status().ifPresent(site -> AdminRoutes.register(config.routes, site));
            config.routes.get(
                    HEALTH_PATH,
                    ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok\n"));
            config.routes.get(
                    METRICS_PATH,
                    ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.render()));
            config.routes.error(
                    404, ctx -> ctx.contentType("text/plain; charset=utf-8").result("not found\n"));
        });
        startOrFail(policy, "the policy listener on " + listen);
        try {
            startOrFail(admin, "the admin listener on " + adminListen);
        } catch (ServerException e) {
            policy.stop();
            throw e;
        }
        return new PolicyServer(policy, admin, tls, routing, metrics, hosts);
    }

    /**
     * Serves a new set of hosts, their content and certificates on the same listeners, without
     * dropping connections: open connections keep their TLS session, handshakes that start
     * while the certificates are switched wait for the switch (Jetty's
     * {@code SslContextFactory.reload} holds its lock throughout) and then get the new ones. The
     * certificates are switched first; should that fail, nothing changes.
     *
     * @param hosts at least one
     * @throws ServerException when the new key material cannot be used; the old stays in service
     */
    public synchronized void reload(ServedHosts hosts) throws ServerException {
        if (hosts.isEmpty()) {
            throw new ServerException("no host to serve; still serving the previous ones");
        }
        try {
            ServerTls.reload(tls, hosts.certificates());
        } catch (Exception e) {
            restore(e);
            throw new ServerException(
                    "cannot use the new certificates (" + e.getMessage() + "); still serving the previous ones", e);
        }
        routing.set(Routing.of(hosts));
        metrics.certificates(hosts.certificates());
        current = hosts;
    }

    /**
     * Jetty drops its TLS context before building the new one, so a failed build leaves no
     * context at all and every new handshake would fail: build the previous one again.
     */
    private void restore(Exception failure) throws ServerException {
        try {
            ServerTls.reload(tls, current.certificates());
        } catch (Exception again) {
            failure.addSuppressed(again);
            throw new ServerException(
                    "cannot use the new certificates (" + failure.getMessage()
                            + ") nor the previous ones again: new TLS connections fail; restart the server",
                    failure);
        }
    }

    /** The counters shown on the admin listener, for the caller to record reload outcomes. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The port the policy listener is bound to (useful when asked for port 0). */
    public int port() {
        return policy.port();
    }

    /** The port the admin listener is bound to. */
    public int adminPort() {
        return admin.port();
    }

    /** Stops accepting connections and stops both listeners, waiting at most the stop timeout. */
    @Override
    public void close() {
        try {
            policy.stop();
        } finally {
            admin.stop();
        }
    }

    private static void startOrFail(Javalin app, String what) throws ServerException {
        try {
            app.start();
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            app.stop();
            throw new ServerException("cannot start " + what + ": " + cause.getMessage() + hint(cause), e);
        }
    }

    private static String hint(Throwable cause) {
        String message = String.valueOf(cause.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("permission denied")) {
            return " (ports below 1024 need CAP_NET_BIND_SERVICE; see examples/mxpolicy-serve.service)";
        }
        if (message.contains("in use")) {
            return " (another server listens there; choose another ADDR:PORT)";
        }
        return "";
    }

    private static void common(JavalinConfig config, ServerLimits limits, int maxThreads, String name) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.startup.startupWatcherEnabled = false;
        config.http.prefer405over404 = true;
        // Exactly one path per resource: no trailing-slash or case variants.
        config.router.ignoreTrailingSlashes = false;
        config.router.treatMultipleSlashesAsSingleSlash = false;
        config.router.caseInsensitiveRoutes = false;
        config.http.generateEtags = false;
        // Only Autodiscover reads a body, itself and bounded (AutodiscoverRequest.MAX_BYTES).
        config.http.maxRequestSize = 1024;
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
        threads.setName(name);
        config.jetty.threadPool = threads;
        config.jetty.modifyServer(server -> {
            server.setStopTimeout(limits.stopTimeout().toMillis());
            ErrorHandler errors = new ErrorHandler();
            errors.setShowStacks(false);
            errors.setShowCauses(false);
            errors.setShowMessageInTitle(false);
            errors.setDefaultResponseMimeType("text/plain");
            server.setErrorHandler(errors);
        });
    }

    private static HttpConfiguration httpConfiguration(HttpConfiguration base, ServerLimits limits) {
        HttpConfiguration http = new HttpConfiguration(base);
        http.setRequestHeaderSize(limits.requestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        return http;
    }

    private static Connector tlsConnector(
            Server server,
            HttpConfiguration base,
            SslContextFactory.Server tls,
            RequestDeadline deadline,
            ListenAddress listen,
            ServerLimits limits) {
        HttpConfiguration http = httpConfiguration(base, limits);
        http.setSecureScheme("https");
        http.setSecurePort(listen.port());
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // Host against SNI is checked by PolicyRoutes, which answers 421 instead of Jetty's 400.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(
                server, ACCEPTORS, -1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.addBean(deadline);
        bind(connector, listen, limits);
        return connector;
    }

    private static Connector adminTlsConnector(
            Server server,
            HttpConfiguration base,
            SslContextFactory.Server tls,
            ListenAddress listen,
            ServerLimits limits) {
        HttpConfiguration http = httpConfiguration(base, limits);
        http.setSecureScheme("https");
        http.setSecurePort(listen.port());
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // One certificate for whatever name or address the operator types.
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(
                server, ACCEPTORS, 1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        bind(connector, listen, limits);
        return connector;
    }

    private static Connector plainConnector(
            Server server, HttpConfiguration base, ListenAddress listen, ServerLimits limits) {
        ServerConnector connector =
                new ServerConnector(server, ACCEPTORS, 1, new HttpConnectionFactory(httpConfiguration(base, limits)));
        bind(connector, listen, limits);
        return connector;
    }

    private static void bind(ServerConnector connector, ListenAddress listen, ServerLimits limits) {
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
    }
}
