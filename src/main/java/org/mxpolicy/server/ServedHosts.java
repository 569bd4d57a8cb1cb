package org.mxpolicy.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every host the HTTPS listener answers for: the MTA-STS policy hosts and the client
 * configuration hosts. Host names are unique across both, since each is one key store entry.
 */
public record ServedHosts(List<PolicyHost> policies, List<ClientConfigHost> clientConfigs) {

    public ServedHosts {
        policies = List.copyOf(policies);
        clientConfigs = List.copyOf(clientConfigs);
        Set<String> seen = new HashSet<>();
        for (String name : names(policies, clientConfigs)) {
            if (!seen.add(name)) {
                throw new IllegalArgumentException("host " + name + " given twice");
            }
        }
    }

    /** Policy hosts only. */
    public static ServedHosts of(List<PolicyHost> policies) {
        return new ServedHosts(policies, List.of());
    }

    /** The key material of every host: policy hosts first, in the given order. */
    public List<HostCertificate> certificates() {
        List<HostCertificate> all = new ArrayList<>();
        policies.forEach(host -> all.add(host.certificate()));
        clientConfigs.forEach(host -> all.add(host.certificate()));
        return all;
    }

    /** The host names, in the order of {@link #certificates()}. */
    public List<String> names() {
        return names(policies, clientConfigs);
    }

    /** Hosts named in full up to this many; a hoster's thousands are counted, not listed. */
    static final int NAMED_IN_FULL = 5;

    /** For the start and reload lines: every name, or for many the count and the first few. */
    public String summary() {
        List<String> names = names();
        if (names.size() <= NAMED_IN_FULL) {
            return String.join(", ", names);
        }
        return names.size() + " hosts (" + String.join(", ", names.subList(0, NAMED_IN_FULL - 2)) + " and "
                + (names.size() - (NAMED_IN_FULL - 2)) + " more)";
    }

    public boolean isEmpty() {
        return policies.isEmpty() && clientConfigs.isEmpty();
    }

    private static List<String> names(List<PolicyHost> policies, List<ClientConfigHost> clientConfigs) {
        List<String> names = new ArrayList<>();
        policies.forEach(host -> names.add(host.host()));
        clientConfigs.forEach(host -> names.add(host.host()));
        return names;
    }
}
