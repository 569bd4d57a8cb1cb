package org.mxpolicy.server;

import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the policy listener, rendered in the Prometheus text exposition format (version
 * 0.0.4) for the admin listener's {@code /metrics}: requests by host and status, and each policy
 * host's certificate expiry, for alerting before senders see an expired certificate.
 *
 * <p>The host label is a policy host name or {@code other}: the Host header is chosen by the
 * client, and every distinct value would otherwise become a time series.
 */
public final class ServerMetrics {

    /** The content type of the text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String OTHER_HOST = "other";

    private volatile Set<String> hosts;
    private volatile Map<String, Long> expiry;
    private final Map<Key, LongAdder> requests = new ConcurrentHashMap<>();

    private record Key(String host, int status) {}

    /** Metrics for the given hosts, with their certificates' notAfter times. */
    public ServerMetrics(List<PolicyHost> hosts) {
        hosts(hosts);
    }

    /** Replaces the hosts (after a reload); the request counters keep counting. */
    public void hosts(List<PolicyHost> hosts) {
        Map<String, Long> notAfter = new TreeMap<>();
        for (PolicyHost host : hosts) {
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

    /** The current values; series in a stable order (host, then status). */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP mxpolicy_http_requests_total Requests answered by the policy listener, by host and status.\n");
        out.append("# TYPE mxpolicy_http_requests_total counter\n");
        requests.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::host).thenComparingInt(Key::status)))
                .forEach(e -> out.append("mxpolicy_http_requests_total{host=\"").append(e.getKey().host())
                        .append("\",status=\"").append(e.getKey().status()).append("\"} ")
                        .append(e.getValue().sum()).append('\n'));
        out.append("# HELP mxpolicy_certificate_not_after_seconds When each policy host's certificate expires,"
                + " in seconds since the Unix epoch.\n");
        out.append("# TYPE mxpolicy_certificate_not_after_seconds gauge\n");
        new TreeMap<>(expiry).forEach((host, seconds) -> out.append("mxpolicy_certificate_not_after_seconds{host=\"")
                .append(host).append("\"} ").append(seconds).append('\n'));
        return out.toString();
    }
}
