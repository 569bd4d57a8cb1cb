package org.mxpolicy.desired;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.mxpolicy.record.ClientService;
import org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint;

/**
 * The servers a mail client of one domain is configured with: what Thunderbird Autoconfig and
 * Outlook Autodiscover hand out (TR-03108-01-M: clients are configured from the provider's own
 * premises, with implicit TLS preferred).
 *
 * <p>Servers are listed in the order clients should prefer them: implicit TLS before STARTTLS
 * (RFC 8314 section 3), then IMAP before POP3, then as written in the config. Both formats take
 * the first entry of a kind as the one to use and keep the others as alternatives.
 *
 * @param domain the mail domain, lower case
 * @param incoming IMAP and POP3 servers, in order of preference
 * @param outgoing submission servers, in order of preference
 */
public record MailClientSettings(String domain, List<MailServer> incoming, List<MailServer> outgoing) {

    public MailClientSettings {
        Objects.requireNonNull(domain, "domain");
        incoming = List.copyOf(incoming);
        outgoing = List.copyOf(outgoing);
    }

    /** The protocols of the client configuration formats. */
    public enum Protocol {
        IMAP,
        POP3,
        SMTP
    }

    /**
     * One server a client connects to.
     *
     * @param implicitTls true: TLS from the first byte (RFC 8314); false: STARTTLS
     */
    public record MailServer(Protocol protocol, String host, int port, boolean implicitTls) {
        public MailServer {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " outside 1..65535");
            }
        }
    }

    /**
     * The settings of a domain's configured client services. A service without endpoints is not
     * offered and not listed.
     */
    public static MailClientSettings of(String domain, Map<ClientService, List<ServiceEndpoint>> services) {
        List<MailServer> incoming = new ArrayList<>();
        List<MailServer> outgoing = new ArrayList<>();
        // ClientService lists the implicit-TLS services first, so walking it gives the preference order.
        for (ClientService service : ClientService.values()) {
            Protocol protocol = protocol(service);
            for (ServiceEndpoint endpoint : services.getOrDefault(service, List.of())) {
                MailServer server = new MailServer(protocol, endpoint.host(), endpoint.port(), service.implicitTls());
                (protocol == Protocol.SMTP ? outgoing : incoming).add(server);
            }
        }
        return new MailClientSettings(domain, incoming, outgoing);
    }

    private static Protocol protocol(ClientService service) {
        return switch (service) {
            case IMAPS, IMAP -> Protocol.IMAP;
            case POP3S, POP3 -> Protocol.POP3;
            case SUBMISSIONS, SUBMISSION -> Protocol.SMTP;
        };
    }
}
