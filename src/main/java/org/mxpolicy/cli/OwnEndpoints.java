package org.mxpolicy.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mxpolicy.audit.OwnEndpoint;
import org.mxpolicy.audit.Requirement;
import org.mxpolicy.config.ClientServices;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.record.ClientService;
import org.mxpolicy.scan.TlsStart;

/**
 * The endpoints of a provider's own domains that {@code audit -c} scans beside the MX hosts: the
 * client services of {@code client_services} (SRV targets), the Autoconfig and Autodiscover hosts
 * it serves, and the MTA-STS policy host of each domain with {@code mta_sts}.
 */
final class OwnEndpoints {

    /** HTTPS (RFC 9110 section 4.2.2). */
    static final int HTTPS_PORT = 443;

    private OwnEndpoints() {}

    /** Per domain (lower case, no final dot) in config order, its endpoints. */
    static Map<String, List<OwnEndpoint>> of(ProviderConfig config) {
        Map<String, List<OwnEndpoint>> all = new LinkedHashMap<>();
        for (MailDomain domain : config.domains()) {
            String name = bare(domain.name());
            List<OwnEndpoint> endpoints = new ArrayList<>();
            if (domain.clientServices().isPresent()) {
                ClientServices services = domain.clientServices().get();
                services.services().forEach((service, list) -> {
                    for (ClientServices.Endpoint endpoint : list) {
                        endpoints.add(new OwnEndpoint(
                                service.configKey(),
                                endpoint.host(),
                                endpoint.port(),
                                start(service),
                                service.implicitTls() ? Requirement.CLIENT_TLS : Requirement.CLIENT_TLS_COMPATIBILITY));
                    }
                });
                if (services.autoconfig().isPresent()) {
                    endpoints.add(https("autoconfig", "autoconfig." + name, Requirement.CLIENT_TLS));
                }
                if (services.autodiscover().isPresent()) {
                    endpoints.add(https("autodiscover", "autodiscover." + name, Requirement.CLIENT_TLS));
                }
            }
            if (domain.mtaSts().isPresent()) {
                endpoints.add(https("mta-sts", "mta-sts." + name, Requirement.INBOUND_MTA_STS));
            }
            all.put(name, List.copyOf(endpoints));
        }
        return all;
    }

    /** How TLS starts for a client service: RFC 8314 implicit TLS, or the protocol's STARTTLS. */
    static TlsStart start(ClientService service) {
        return switch (service) {
            case SUBMISSIONS, IMAPS, POP3S -> TlsStart.IMPLICIT;
            case SUBMISSION -> TlsStart.SMTP;
            case IMAP -> TlsStart.IMAP;
            case POP3 -> TlsStart.POP3;
        };
    }

    private static OwnEndpoint https(String service, String host, Requirement requirement) {
        return new OwnEndpoint(service, host, HTTPS_PORT, TlsStart.IMPLICIT, requirement);
    }

    private static String bare(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
