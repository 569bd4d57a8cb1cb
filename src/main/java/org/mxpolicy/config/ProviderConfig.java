package org.mxpolicy.config;

import java.util.List;
import java.util.Map;

/**
 * The provider config: the DNS zones mxpolicy writes into and the mail domains whose records it
 * owns. Built only by {@link ConfigLoader}, which has validated every field.
 *
 * @param source display name of the config file, for messages
 * @param zones  zone apex (lower case, no trailing dot) to its settings, in file order
 * @param domains mail domains in file order
 */
public record ProviderConfig(String source, Map<String, ZoneSettings> zones, List<MailDomain> domains) {
    public ProviderConfig {
        zones = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(zones));
        domains = List.copyOf(domains);
    }
}
