package org.mxpolicy.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;

/**
 * Knot DNS inside a {@link NetworkNamespace}, authoritative for several zones, each served from
 * its zone file exactly as it is (no signing by Knot, nothing written back), or, made with
 * {@link #signing}, the signing primary of one zone that takes TSIG-signed updates. A lab resolver
 * ({@link UnboundResolver}) in the same namespace points its stub zones here. For one zone on
 * the machine's own loopback, {@link KnotServer} is simpler.
 */
public final class KnotAuthority implements AutoCloseable {

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(20);

    private final BackgroundProcess knotd;
    private final String address;
    private final int port;
    private final Path conf;

    private KnotAuthority(BackgroundProcess knotd, String address, int port, Path conf) {
        this.knotd = knotd;
        this.address = address;
        this.port = port;
        this.conf = conf;
    }

    /**
     * Starts knotd in {@code namespace} on {@code address@port} for {@code zones} (zone name to
     * zone file) and returns once every zone answers its SOA query.
     */
    public static KnotAuthority start(
            NetworkNamespace namespace, Path workDir, String address, int port, Map<String, Path> zones)
            throws IOException, InterruptedException {
        ExternalTool knotd = ExternalTool.require("knotd");
        Path dir = Files.createTempDirectory(workDir, "knot");
        Path conf = dir.resolve("knot.conf");
        Files.writeString(conf, config(dir, address, port, zones), StandardCharsets.UTF_8);
        ExternalTool.require("knotc").run("-c", conf.toString(), "conf-check").assertSuccess();
        BackgroundProcess process =
                namespace.start("knotd", dir.resolve("knotd.log"), Map.of(), knotd.path(), "-c", conf.toString());
        KnotAuthority authority = new KnotAuthority(process, address, port, conf);
        try {
            for (String zone : zones.keySet()) {
                namespace.awaitDnsAnswer(address, port, zone, "SOA", process, STARTUP_LIMIT);
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            authority.close();
            throw e;
        }
        return authority;
    }

    /**
     * Starts knotd in {@code namespace} on 127.0.0.1@{@code port} as the signing primary of
     * {@code zone}, configured as {@link KnotServer#signing} does on the machine's loopback: Knot
     * signs with a P-256 combined key and NSEC, and accepts RFC 2136 updates signed with the TSIG
     * key {@code tsigKeyName} (hmac-sha256, {@code secret} in base64). {@code zoneFile} is copied,
     * never written. Returns once the signed DNSKEY RRset is served.
     */
    public static KnotAuthority signing(
            NetworkNamespace namespace,
            Path workDir,
            int port,
            Name zone,
            Path zoneFile,
            Name tsigKeyName,
            String secret)
            throws IOException, InterruptedException {
        ExternalTool knotd = ExternalTool.require("knotd");
        ExternalTool.require("keymgr");
        Path dir = Files.createTempDirectory(workDir, "knot-signing");
        Path copy = dir.resolve(zone.toString(true) + ".zone");
        Files.copy(zoneFile, copy);
        Path conf = dir.resolve("knot.conf");
        Files.writeString(
                conf, KnotServer.signingConfig(dir, port, zone, copy, tsigKeyName, secret), StandardCharsets.UTF_8);
        ExternalTool.require("knotc").run("-c", conf.toString(), "conf-check").assertSuccess();
        BackgroundProcess process =
                namespace.start("knotd", dir.resolve("knotd.log"), Map.of(), knotd.path(), "-c", conf.toString());
        KnotAuthority authority = new KnotAuthority(process, "127.0.0.1", port, conf);
        try {
            namespace.awaitDnsAnswer(authority.address, port, zone.toString(), "DNSKEY", process, STARTUP_LIMIT);
        } catch (RuntimeException | Error | InterruptedException e) {
            authority.close();
            throw e;
        }
        return authority;
    }

    /** The DS records of {@code zone}'s key-signing key, for a zone this server signs ({@link #signing}). */
    public List<DSRecord> ds(Name zone) {
        return KnotServer.ds(conf, zone);
    }

    /** The configuration file, for {@code knotc -c} (a reload command, say). */
    public Path conf() {
        return conf;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** What knotd has logged so far. */
    public String log() {
        return knotd.log();
    }

    @Override
    public void close() {
        knotd.close();
    }

    /** Block-style YAML: Knot rejects flow maps in its configuration. */
    private static String config(Path dir, String address, int port, Map<String, Path> zones) {
        List<String> lines = new ArrayList<>(List.of(
                "server:",
                "    rundir: \"" + dir + "\"",
                "    listen: " + address + "@" + port,
                "database:",
                "    storage: \"" + dir + "\"",
                "log:",
                "  - target: stderr",
                "    any: info",
                "template:",
                "  - id: default",
                "    dnssec-signing: off",
                "    zonefile-load: whole",
                "    zonefile-sync: -1",
                "    journal-content: none",
                "zone:"));
        zones.forEach((zone, file) -> {
            lines.add("  - domain: " + zone);
            lines.add("    file: \"" + file.toAbsolutePath() + "\"");
        });
        return String.join("\n", lines) + "\n";
    }
}
