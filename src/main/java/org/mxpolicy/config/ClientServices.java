package org.mxpolicy.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.ClientService;

/**
 * The mail client services of a domain, for RFC 6186 SRV records and for the client
 * configuration documents {@code mxpolicy serve} answers (TR-03108-01-M). Each service maps to
 * its endpoints in order of preference; an empty list means "not offered", published as an SRV
 * record with target {@code .}.
 *
 * @param autoconfig certificate and key of {@code autoconfig.<domain>} (Thunderbird
 *     Autoconfig); absent: that host is not served
 * @param autodiscover certificate and key of {@code autodiscover.<domain>} (Outlook
 *     Autodiscover); absent: that host is not served
 */
public record ClientServices(
        Map<ClientService, List<Endpoint>> services,
        Optional<ServerCertificate> autoconfig,
        Optional<ServerCertificate> autodiscover,
        SourcePosition position) {
    public ClientServices {
        // in ClientService order, so every walk over the services is deterministic
        EnumMap<ClientService, List<Endpoint>> copy = new EnumMap<>(ClientService.class);
        services.forEach((service, endpoints) -> copy.put(service, List.copyOf(endpoints)));
        services = Collections.unmodifiableMap(copy);
    }

    /** A host and port offering a service, and where it was written. */
    public record Endpoint(String host, int port, SourcePosition position) {}
}
