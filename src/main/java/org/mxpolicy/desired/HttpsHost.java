package org.mxpolicy.desired;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.mxpolicy.config.ClientServices;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MtaStsSettings;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.config.ServerCertificate;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.record.ClientService;
import org.mxpolicy.record.ClientServiceRecords.ServiceEndpoint;
import org.mxpolicy.record.MtaStsPolicy;

/**
 * A host the HTTPS server of {@code serve} should answer for, as the config asks for it: the
 * policy host {@code mta-sts.<domain>} with the domain's policy (the same {@link DomainPolicy}
 * that {@code generate} and {@code policy} write), or a client configuration host
 * ({@code autoconfig.<domain>}, {@code autodiscover.<domain>}) with the domain's service
 * endpoints; each with the certificate and key files it presents.
 *
 * @param host the host name, lower case, without trailing dot
 * @param policy the policy served, for {@link Kind#POLICY}
 * @param clientSettings the domain's mail services, for the client configuration kinds
 */
public record HttpsHost(
        Kind kind,
        String domain,
        String host,
        Optional<MtaStsPolicy> policy,
        Optional<MailClientSettings> clientSettings,
        FileReference cert,
        FileReference key) {

    /** What the host serves. */
    public enum Kind {
        /** {@code mta-sts.<domain>}: the MTA-STS policy (RFC 8461 section 3.3). */
        POLICY("mta-sts."),
        /** {@code autoconfig.<domain>}: Thunderbird Autoconfig. */
        AUTOCONFIG("autoconfig."),
        /** {@code autodiscover.<domain>}: Outlook Autodiscover (POX). */
        AUTODISCOVER("autodiscover.");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The host name of this kind for a mail domain. */
        public String host(String domain) {
            return prefix + domain;
        }
    }

    public HttpsHost {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        if (policy.isPresent() != (kind == Kind.POLICY) || clientSettings.isPresent() == (kind == Kind.POLICY)) {
            throw new IllegalArgumentException(
                    host + ": a policy host has a policy, a client configuration host" + " client settings");
        }
    }

    /**
     * The hosts of the config, domain by domain in config order: {@code mta-sts.<domain>} when
     * {@code mta_sts} has {@code cert} and {@code key} (a warning {@code serve.no-cert} where it
     * has not), then {@code autoconfig.<domain>} and {@code autodiscover.<domain>} where
     * {@code client_services} names their certificates.
     *
     * @param warnings receives the warnings
     */
    public static List<HttpsHost> of(ProviderConfig config, DesiredState desired, List<Finding> warnings) {
        return of(config, desired.policies(), warnings);
    }

    /** As {@link #of(ProviderConfig, DesiredState, List)}, with the domains' policies given. */
    public static List<HttpsHost> of(ProviderConfig config, List<DomainPolicy> policies, List<Finding> warnings) {
        List<HttpsHost> hosts = new ArrayList<>();
        Map<String, DomainPolicy> byDomain = DomainPolicy.byDomain(policies);
        for (MailDomain domain : config.domains()) {
            domain.mtaSts()
                    .ifPresent(settings ->
                            policyHost(domain, settings, byDomain, warnings).ifPresent(hosts::add));
            if (domain.clientServices().isPresent()) {
                ClientServices services = domain.clientServices().get();
                MailClientSettings settings = MailClientSettings.of(domain.name(), endpoints(services));
                services.autoconfig()
                        .ifPresent(files -> hosts.add(clientHost(Kind.AUTOCONFIG, domain, settings, files)));
                services.autodiscover()
                        .ifPresent(files -> hosts.add(clientHost(Kind.AUTODISCOVER, domain, settings, files)));
            }
        }
        return List.copyOf(hosts);
    }

    private static Optional<HttpsHost> policyHost(
            MailDomain domain, MtaStsSettings settings, Map<String, DomainPolicy> policies, List<Finding> warnings) {
        DomainPolicy policy = Optional.ofNullable(policies.get(domain.name()))
                .orElseThrow(() -> new IllegalStateException("no policy built for " + domain.name()));
        if (settings.cert().isEmpty() || settings.key().isEmpty()) {
            warnings.add(Finding.warning(
                    "serve.no-cert",
                    settings.position(),
                    policy.policyHost() + " is not served: mta_sts has no cert and key for it"));
            return Optional.empty();
        }
        return Optional.of(new HttpsHost(
                Kind.POLICY,
                domain.name(),
                policy.policyHost(),
                Optional.of(policy.policy()),
                Optional.empty(),
                settings.cert().get(),
                settings.key().get()));
    }

    private static HttpsHost clientHost(
            Kind kind, MailDomain domain, MailClientSettings settings, ServerCertificate files) {
        return new HttpsHost(
                kind,
                domain.name(),
                kind.host(domain.name()),
                Optional.empty(),
                Optional.of(settings),
                files.cert(),
                files.key());
    }

    private static Map<ClientService, List<ServiceEndpoint>> endpoints(ClientServices services) {
        Map<ClientService, List<ServiceEndpoint>> endpoints = new EnumMap<>(ClientService.class);
        services.services()
                .forEach((service, list) -> endpoints.put(
                        service,
                        list.stream()
                                .map(e -> new ServiceEndpoint(e.host(), e.port()))
                                .toList()));
        return endpoints;
    }
}
