package org.mxpolicy.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SRV records for the mail client services of a domain (RFC 6186, RFC 8314 section 5.1).
 *
 * <p>Clients compare priorities across the implicit-TLS and the STARTTLS variant of a service
 * (RFC 6186 section 3.4), so implicit TLS gets priorities from 0 and STARTTLS from 10: the
 * implicit-TLS service is always preferred (TR-03108-01-M), STARTTLS kept as fallback
 * (TR-03108-02-R). A service configured as {@code none}, or not listed, is published with the
 * target {@code .}: decidedly not offered.
 */
public final class ClientServiceRecords {

    /** First priority of the STARTTLS services, below every implicit-TLS one. */
    public static final int STARTTLS_PRIORITY_BASE = 10;

    private ClientServiceRecords() {}

    /** A host and port that offers a service. */
    public record ServiceEndpoint(String host, int port) {}

    /** One SRV RRset for a service: its owner label and targets. */
    public record ServiceRecords(ClientService service, String owner, List<SrvTarget> targets) {
        public ServiceRecords {
            targets = List.copyOf(targets);
        }
    }

    /** The SRV RRsets of every client service of {@code domain}, in {@link ClientService} order. */
    public static List<ServiceRecords> build(String domain, Map<ClientService, List<ServiceEndpoint>> services) {
        List<ServiceRecords> out = new ArrayList<>();
        for (ClientService service : ClientService.values()) {
            List<ServiceEndpoint> endpoints = services.getOrDefault(service, List.of());
            out.add(new ServiceRecords(service, owner(service, domain), targets(service, endpoints)));
        }
        return out;
    }

    /** {@code _imaps._tcp.example.com}: the owner name of a service's SRV records. */
    public static String owner(ClientService service, String domain) {
        return service.srvLabel() + "._tcp." + domain;
    }

    private static List<SrvTarget> targets(ClientService service, List<ServiceEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return List.of(SrvTarget.notOffered());
        }
        int base = service.implicitTls() ? 0 : STARTTLS_PRIORITY_BASE;
        List<SrvTarget> targets = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            ServiceEndpoint e = endpoints.get(i);
            // One target per priority: weight 0, as RFC 2782 asks when there is no choice to weigh.
            targets.add(new SrvTarget(base + i, 0, e.port(), e.host()));
        }
        return targets;
    }
}
