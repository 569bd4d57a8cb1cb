package org.mxpolicy.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mxpolicy.apply.DynamicUpdates;
import org.mxpolicy.apply.MxAddresses;
import org.mxpolicy.apply.Publication;
import org.mxpolicy.apply.ServedWait;
import org.mxpolicy.apply.ServerAddresses;
import org.mxpolicy.apply.ZonePlanner;
import org.mxpolicy.apply.ZoneSigning;
import org.mxpolicy.apply.ZoneUpdater;
import org.mxpolicy.config.ReferencedFiles;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.Rfc2136Update;
import org.mxpolicy.files.ConfigFile;
import org.mxpolicy.files.JsonOwnershipLedger;
import org.mxpolicy.files.TsigKeys;
import org.mxpolicy.files.ZoneFiles;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.probe.ConnectOverrides;
import org.mxpolicy.probe.StartTlsProbe;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The options of the commands that publish ({@code publish}, {@code rollover}, {@code renew-hook}), and what they build. */
final class PublishingOptions {

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "CONFIG",
            description = "The provider config.")
    Path config;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Per DNS query, update message and connection (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "How long to wait for every authoritative server to serve the new data (default:"
                    + " ${DEFAULT-VALUE}; 0 to not wait).")
    Duration wait;

    @Option(
            names = "--connect",
            paramLabel = "HOST:PORT=ADDRESS:PORT",
            description = "Connect to ADDRESS:PORT when probing the MX HOST:PORT for the certificate it presents;"
                    + " repeatable.")
    List<String> connect = new ArrayList<>();

    /**
     * The adapters and services publishing needs, built from one config: the validating lookup
     * without a cache (publishing asks again and again until the new data is there), the queries to
     * authoritative servers, RFC 2136 updates signed with the configured TSIG keys, the zone-file
     * signer and the STARTTLS probe.
     */
    record Setup(DnsLookup dns, AuthoritativeQuery authorities, MxAddresses addresses, Publication publication) {}

    Setup setup(CommandSpec spec, ConfigFile file, Clock clock, Consumer<String> log) throws InvalidInputException {
        // A missing or exposed TSIG key must stop the run before anything is planned, not only once an update is due.
        List<Finding> files = ReferencedFiles.forPublishing(file.config(), file.baseDir()).stream()
                .filter(Finding::isError)
                .toList();
        if (!files.isEmpty()) {
            throw new InvalidInputException(files);
        }
        ConnectOverrides overrides;
        try {
            overrides = ConnectOverrides.parse(connect);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--connect " + e.getMessage());
        }
        DnsLookup dns = Observation.lookup(file, timeout, Duration.ZERO, clock);
        AuthoritativeQuery authorities = Observation.authorities(dns, timeout);
        MxAddresses addresses = new MxAddresses(dns, overrides);
        DynamicUpdates updates = target -> new Rfc2136Update(
                ServerAddresses.resolve(target.server()),
                TsigKeys.read(file.baseDir().resolve(target.key().path()), target.keyName()),
                timeout,
                Rfc2136Update.RetryPolicy.standard());
        ZoneFiles zoneFiles = new ZoneFiles();
        JsonOwnershipLedger ledger = new JsonOwnershipLedger(file.stateDir());
        ZonePlanner planner = new ZonePlanner(
                file.config(),
                file.baseDir(),
                zoneFiles,
                file::certificates,
                authorities,
                addresses,
                new StartTlsProbe(timeout, "localhost.localdomain"),
                dns,
                updates,
                ledger,
                clock);
        ZoneUpdater updater = new ZoneUpdater(
                file.config(), file.baseDir(), updates, new ZoneSigning(zoneFiles), timeout, clock, log, ledger);
        ServedWait served = new ServedWait(file.config(), dns, authorities, clock);
        return new Setup(
                dns,
                authorities,
                addresses,
                new Publication(planner, updater, served, Observation.published(file, clock)));
    }
}
