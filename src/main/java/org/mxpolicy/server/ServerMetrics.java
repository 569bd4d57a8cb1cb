package org.mxpolicy.server;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the HTTPS listener, rendered in the Prometheus text exposition format (version
 * 0.0.4) for the admin listener's {@code /metrics}: requests by host and status, each host's
 * certificate expiry, for alerting before senders or mail clients see an expired certificate,
 * and the outcome of the last reload, for alerting when a renewed certificate was not taken.
 *
 * <p>The host label is a served host name or {@code other}: the Host header is chosen by the
 * client, and every distinct value would otherwise become a time series.
 */
public final class ServerMetrics {

    /** The content type of the text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    static final String OTHER_HOST = "other";

    private volatile Set<String> hosts;
    private volatile Map<String, Long> expiry;
    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder reloadsSucceeded = new LongAdder();
    private final LongAdder reloadsFailed = new LongAdder();
    /** 1 when the last reload took effect (or none was tried yet), 0 when it failed. */
    private volatile int lastReloadSucceeded = 1;

    private volatile long lastReloadSeconds;

    private record Key(String host, int status) {}

    /** Metrics for the given hosts, with their certificates' notAfter times. */
    public ServerMetrics(List<PolicyHost> hosts) {
        hosts(hosts);
    }

    /** Replaces the hosts with policy hosts only; the request counters keep counting. */
    public void hosts(List<PolicyHost> hosts) {
        certificates(hosts.stream().map(PolicyHost::certificate).toList());
    }

    /** Replaces the hosts (after a reload); the request counters keep counting. */
    public void certificates(List<HostCertificate> hosts) {
        Map<String, Long> notAfter = new TreeMap<>();
        for (HostCertificate host : hosts) {
            X509Certificate leaf = host.chain().leaf();
            notAfter.put(host.host(), leaf.getNotAfter().toInstant().getEpochSecond());
        }
        this.expiry = Map.copyOf(notAfter);
        this.hosts = Set.copyOf(notAfter.keySet());
    }

    /** Counts one answered request. */
    public void count(Optional<String> host, int status) {
        String label = host.filter(hosts::contains).orElse(OTHER_HOST);
        requests.computeIfAbsent(new Key(label, status), k -> new LongAdder()).increment();
    }

    /**
     * Records the outcome of a reload (on SIGHUP or a changed file).
     *
     * @param at when it was tried
     */
    public void reloaded(boolean succeeded, Instant at) {
        (succeeded ? reloadsSucceeded : reloadsFailed).increment();
        lastReloadSucceeded = succeeded ? 1 : 0;
        lastReloadSeconds = at.getEpochSecond();
    }

    /** The current values; series in a stable order (host, then status). */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(
                "# HELP mxpolicy_http_requests_total Requests answered by the HTTPS listener, by host and status.\n");
        out.append("# TYPE mxpolicy_http_requests_total counter\n");
        requests.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::host).thenComparingInt(Key::status)))
                .forEach(e -> out.append("mxpolicy_http_requests_total{host=\"")
                        .append(e.getKey().host())
                        .append("\",status=\"")
                        .append(e.getKey().status())
                        .append("\"} ")
                        .append(e.getValue().sum())
                        .append('\n'));
        out.append("# HELP mxpolicy_certificate_not_after_seconds When each host's certificate expires,"
                + " in seconds since the Unix epoch.\n");
        out.append("# TYPE mxpolicy_certificate_not_after_seconds gauge\n");
        new TreeMap<>(expiry)
                .forEach((host, seconds) -> out.append("mxpolicy_certificate_not_after_seconds{host=\"")
                        .append(host)
                        .append("\"} ")
                        .append(seconds)
                        .append('\n'));
        out.append("# HELP mxpolicy_reloads_total Reloads of the config and certificates tried, by result.\n");
        out.append("# TYPE mxpolicy_reloads_total counter\n");
        out.append("mxpolicy_reloads_total{result=\"failure\"} ")
                .append(reloadsFailed.sum())
                .append('\n');
        out.append("mxpolicy_reloads_total{result=\"success\"} ")
                .append(reloadsSucceeded.sum())
                .append('\n');
        out.append("# HELP mxpolicy_last_reload_success 1 when the last reload took effect or none was tried,"
                + " 0 when it failed and the previous config is still served.\n");
        out.append("# TYPE mxpolicy_last_reload_success gauge\n");
        out.append("mxpolicy_last_reload_success ").append(lastReloadSucceeded).append('\n');
        out.append("# HELP mxpolicy_last_reload_timestamp_seconds When the last reload was tried, in seconds since"
                + " the Unix epoch; 0 before the first.\n");
        out.append("# TYPE mxpolicy_last_reload_timestamp_seconds gauge\n");
        out.append("mxpolicy_last_reload_timestamp_seconds ")
                .append(lastReloadSeconds)
                .append('\n');
        return out.toString();
    }
}
