package org.mxpolicy.cli;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.apply.PublishedRecords;
import org.mxpolicy.apply.ServerAddresses;
import org.mxpolicy.check.StoredReports;
import org.mxpolicy.config.DnsSettings;
import org.mxpolicy.config.ReportsSettings;
import org.mxpolicy.config.ServerAddress;
import org.mxpolicy.dns.AuthoritativeServers;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.TrustAnchors;
import org.mxpolicy.dns.ValidatingDnsLookup;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.InputFiles;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.history.HistoryException;
import org.mxpolicy.store.JdbcReportStore;
import org.mxpolicy.tlsrpt.ReportStoreException;
import org.xbill.DNS.ExtendedResolver;

/**
 * Builds the adapters of a check from the config: the validating lookup (through the configured
 * or the system resolvers, from the configured or the root trust anchors), direct queries to
 * authoritative servers, and the TLS report store of the {@code reports} section.
 */
final class Observation {

    private Observation() {}

    static DnsLookup lookup(ConfigFile config, Duration timeout, Duration cacheFor, Clock clock)
            throws InvalidInputException {
        DnsSettings dns = config.config().dns();
        TrustAnchors anchors = anchors(config, dns);
        if (dns.resolvers().isEmpty()) {
            ExtendedResolver system = new ExtendedResolver();
            system.setTimeout(timeout);
            return new ValidatingDnsLookup(system, anchors, timeout, cacheFor, clock);
        }
        List<InetSocketAddress> resolvers = new ArrayList<>();
        for (ServerAddress server : dns.resolvers()) {
            resolvers.add(ServerAddresses.resolve(server));
        }
        return ValidatingDnsLookup.via(resolvers, anchors, timeout, cacheFor, clock);
    }

    /**
     * The TLS reports {@code check} judges, when the config has a {@code reports} section; the
     * store is opened by the check, so that a store it cannot reach is a result, not an error.
     */
    static Optional<StoredReports> reports(ConfigFile config) {
        ReportsSettings settings = config.config().reports();
        if (!settings.configured()) {
            return Optional.empty();
        }
        StoredReports.Opener opener = () -> {
            ReportsCommand.Setup setup;
            try {
                setup = ReportsCommand.Setup.of(config);
            } catch (IllegalArgumentException e) {
                throw new ReportStoreException("'database' " + e.getMessage(), e);
            }
            return JdbcReportStore.open(setup.location());
        };
        return Optional.of(new StoredReports(opener, settings.thresholds()));
    }

    /**
     * Where {@code publish --apply} and the rollover record what they published: the history in
     * the report store, when the config has a {@code reports} section.
     */
    static PublishedRecords published(ConfigFile config, Clock clock) {
        if (!config.config().reports().configured()) {
            return new PublishedRecords(Optional.empty(), clock);
        }
        PublishedRecords.Opener opener = () -> {
            try {
                return JdbcReportStore.open(ReportsCommand.Setup.of(config).location());
            } catch (IllegalArgumentException e) {
                throw new HistoryException("'database' " + e.getMessage(), e);
            } catch (ReportStoreException e) {
                throw new HistoryException(e.getMessage(), e);
            }
        };
        return new PublishedRecords(Optional.of(opener), clock);
    }

    static AuthoritativeServers authorities(DnsLookup lookup, Duration timeout) {
        return new AuthoritativeServers(lookup, timeout);
    }

    private static TrustAnchors anchors(ConfigFile config, DnsSettings dns) throws InvalidInputException {
        List<org.xbill.DNS.Record> records = new ArrayList<>();
        if (!dns.trustAnchors().isEmpty()) {
            records.addAll(TrustAnchors.of(dns.trustAnchors(), config.config().source())
                    .records());
        }
        if (dns.trustAnchorFile().isPresent()) {
            Path file = config.baseDir().resolve(dns.trustAnchorFile().get().path());
            String text = new String(InputFiles.read(file, TrustAnchors.SIZE_LIMIT), StandardCharsets.UTF_8);
            records.addAll(
                    TrustAnchors.read(new StringReader(text), file.toString()).records());
        }
        return records.isEmpty() ? TrustAnchors.ianaRoot() : new TrustAnchors(records);
    }
}
