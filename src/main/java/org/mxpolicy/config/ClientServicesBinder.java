package org.mxpolicy.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.mxpolicy.record.ClientService;

/**
 * Binds a domain's {@code client_services}: the SRV endpoints of each service, and the
 * certificates of the Autoconfig and Autodiscover hosts {@code mxpolicy serve} answers for.
 */
final class ClientServicesBinder extends SectionBinder {

    static final String SERVICE_ENDPOINT = "client-services.endpoint";

    private static final String AUTOCONFIG = "autoconfig";
    private static final String AUTODISCOVER = "autodiscover";
    private static final List<String> CLIENT_SERVICES_KEYS = Stream.concat(
                    Arrays.stream(ClientService.values()).map(ClientService::configKey),
                    Stream.of(AUTOCONFIG, AUTODISCOVER))
            .toList();
    private static final List<String> SERVER_CERTIFICATE_KEYS = List.of("cert", "key");
    private static final String NONE = "none";

    ClientServicesBinder(SectionBinder config) {
        super(config);
    }

    ClientServices clientServices(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'client_services'", "a map from service to host:port", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under client_services", CLIENT_SERVICES_KEYS);
        Map<ClientService, List<ClientServices.Endpoint>> services = new EnumMap<>(ClientService.class);
        for (ClientService service : ClientService.values()) {
            services.put(service, List.of());
            YamlNode.Entry serviceEntry = keys.get(service.configKey());
            if (serviceEntry != null) {
                services.put(service, endpoints(service, serviceEntry));
            }
        }
        Optional<ServerCertificate> autoconfig =
                Optional.ofNullable(keys.get(AUTOCONFIG)).map(e -> serverCertificate(e, "autoconfig.<domain>"));
        Optional<ServerCertificate> autodiscover =
                Optional.ofNullable(keys.get(AUTODISCOVER)).map(e -> serverCertificate(e, "autodiscover.<domain>"));
        return new ClientServices(services, autoconfig, autodiscover, entry.keyPosition());
    }

    /**
     * {@code cert} and {@code key} of a host {@code mxpolicy serve} answers for; both required,
     * since the entry exists only to have the host served. Null after reporting.
     */
    private ServerCertificate serverCertificate(YamlNode.Entry entry, String host) {
        String where = "under " + entry.key();
        YamlNode.Mapping map = map(entry.value(), Quoting.quote(entry.key()), "a map with 'cert' and 'key'", false);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), where, SERVER_CERTIFICATE_KEYS);
        YamlNode.Entry certEntry = keys.required(
                "cert",
                Quoting.quote(entry.key()),
                "give the certificate chain file for " + host + ", as in 'cert: /etc/letsencrypt/live/" + host
                        + "/fullchain.pem'");
        YamlNode.Entry keyEntry = keys.required(
                "key",
                Quoting.quote(entry.key()),
                "give the private key file for " + host + ", as in 'key: /etc/letsencrypt/live/" + host
                        + "/privkey.pem'");
        FileReference cert = certEntry == null ? null : file(certEntry.value(), "'cert'");
        FileReference key = keyEntry == null ? null : file(keyEntry.value(), "'key'");
        if (cert == null || key == null) {
            return null;
        }
        return new ServerCertificate(cert, key, entry.keyPosition());
    }

    private List<ClientServices.Endpoint> endpoints(ClientService service, YamlNode.Entry entry) {
        YamlNode value = entry.value();
        String expected = "'host:port', 'host', a list of those, or 'none'";
        if (value instanceof YamlNode.Scalar scalar
                && scalar.type() == YamlNode.ScalarType.STRING
                && scalar.text().equals(NONE)) {
            return List.of();
        }
        if (value instanceof YamlNode.Sequence list && list.items().isEmpty()) {
            error(
                    EMPTY,
                    entry.keyPosition(),
                    Quoting.quote(entry.key()) + " is an empty list; write 'none' to publish the"
                            + " service as not offered");
            return List.of();
        }
        List<ClientServices.Endpoint> endpoints = new ArrayList<>();
        List<YamlNode> items = value instanceof YamlNode.Sequence list ? list.items() : List.of(value);
        for (YamlNode item : items) {
            if (!(item instanceof YamlNode.Scalar scalar) || scalar.type() == YamlNode.ScalarType.NULL) {
                error(
                        TYPE,
                        item.position(),
                        Quoting.quote(entry.key()) + " must be " + expected + ", found " + item.describe());
                continue;
            }
            if (scalar.text().equals(NONE)) {
                error(
                        SERVICE_ENDPOINT,
                        item.position(),
                        "'none' cannot be combined with hosts; write 'none' alone" + " or leave it out");
                continue;
            }
            endpoint(service, scalar).ifPresent(endpoints::add);
        }
        return endpoints;
    }

    private Optional<ClientServices.Endpoint> endpoint(ClientService service, YamlNode.Scalar scalar) {
        String text = scalar.text().strip();
        if (text.startsWith("[")) {
            error(
                    DNS_NAME,
                    scalar.position(),
                    Quoting.quote(text) + " is an IP address; SRV targets are host names"
                            + " (RFC 2782), so give the host name");
            return Optional.empty();
        }
        String host = text;
        int port = service.defaultPort();
        int colon = text.lastIndexOf(':');
        if (colon >= 0 && text.indexOf(':') == colon) {
            host = text.substring(0, colon);
            String digits = text.substring(colon + 1);
            long value = PORT_DIGITS.matcher(digits).matches() ? Long.parseLong(digits) : -1;
            if (value < 1 || value > MAX_PORT) {
                error(
                        PORT,
                        scalar.position(),
                        "port " + Quoting.quote(digits) + " of " + Quoting.quote(text) + " must be a number from 1 to "
                                + MAX_PORT);
                return Optional.empty();
            }
            port = (int) value;
        }
        String name = DnsNames.normalise(host);
        Optional<String> problem = DnsNames.problem(name, 2);
        if (problem.isPresent()) {
            error(DNS_NAME, scalar.position(), Quoting.quote(text) + " is not a valid host name: " + problem.get());
            return Optional.empty();
        }
        return Optional.of(new ClientServices.Endpoint(name, port, scalar.position()));
    }
}
