package org.mxpolicy.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The provider config: the DNS zones mxpolicy writes into and the mail domains whose records it
 * owns. Built only by {@link ConfigLoader}, which has validated every field.
 *
 * @param source display name of the config file, for messages
 * @param zones  zone apex (lower case, no trailing dot) to its settings, in file order
 * @param domains mail domains in file order
 * @param dns resolvers and trust anchors for looking things up
 * @param rollover how certificate rollovers are run
 * @param serve how {@code mxpolicy serve} runs its HTTPS endpoint; the defaults when the config has no {@code serve}
 * @param reports where TLS reports are stored; the defaults when the config has no {@code reports}
 * @param ownership how published records are owned and retired; the defaults when the config has no
 *     {@code ownership}
 */
public record ProviderConfig(
        String source,
        Map<String, ZoneSettings> zones,
        List<MailDomain> domains,
        DnsSettings dns,
        RolloverSettings rollover,
        ServeSettings serve,
        ReportsSettings reports,
        OwnershipSettings ownership) {
    public ProviderConfig(
            String source,
            Map<String, ZoneSettings> zones,
            List<MailDomain> domains,
            DnsSettings dns,
            RolloverSettings rollover,
            ServeSettings serve,
            ReportsSettings reports) {
        this(source, zones, domains, dns, rollover, serve, reports, OwnershipSettings.defaults());
    }

    public ProviderConfig(String source, Map<String, ZoneSettings> zones, List<MailDomain> domains) {
        this(source, zones, domains, DnsSettings.defaults(), RolloverSettings.defaults(), ServeSettings.defaults());
    }

    public ProviderConfig(
            String source,
            Map<String, ZoneSettings> zones,
            List<MailDomain> domains,
            DnsSettings dns,
            RolloverSettings rollover,
            ServeSettings serve) {
        this(source, zones, domains, dns, rollover, serve, ReportsSettings.defaults());
    }

    public ProviderConfig {
        zones = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(zones));
        domains = List.copyOf(domains);
    }

    /**
     * The zone a record owner name belongs to: the longest configured zone that equals the name
     * or contains it.
     *
     * @param name a DNS name; case and a trailing dot do not matter
     */
    public Optional<String> zoneFor(String name) {
        String owner = name.toLowerCase(Locale.ROOT);
        if (owner.endsWith(".")) {
            owner = owner.substring(0, owner.length() - 1);
        }
        // the name itself, then each parent, longest first: one lookup per label, however many zones
        for (String candidate = owner; !candidate.isEmpty(); ) {
            if (zones.containsKey(candidate)) {
                return Optional.of(candidate);
            }
            int dot = candidate.indexOf('.');
            candidate = dot < 0 ? "" : candidate.substring(dot + 1);
        }
        return Optional.empty();
    }
}
