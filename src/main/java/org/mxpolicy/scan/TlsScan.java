package org.mxpolicy.scan;

import java.util.List;
import java.util.Optional;

/**
 * Everything a scan of one endpoint found.
 *
 * @param endpoint what was scanned
 * @param connected whether a connection could be made at all
 * @param problem why nothing could be learned (no connection, STARTTLS failed, or no version was
 *     accepted), when so
 * @param versions per protocol version the server accepts, newest first
 * @param chain the certificates of the default handshake (the newest version, every suite), leaf
 *     first
 * @param handshakes how many connections the scan made
 * @param gaps the probes that got no answer even when tried again; empty for a complete scan
 */
public record TlsScan(
        TlsEndpoint endpoint,
        boolean connected,
        Optional<String> problem,
        List<VersionScan> versions,
        List<CertificateInfo> chain,
        int handshakes,
        List<ScanGap> gaps) {

    public TlsScan {
        versions = List.copyOf(versions);
        chain = List.copyOf(chain);
        gaps = List.copyOf(gaps);
    }

    /** A complete scan. */
    public TlsScan(
            TlsEndpoint endpoint,
            boolean connected,
            Optional<String> problem,
            List<VersionScan> versions,
            List<CertificateInfo> chain,
            int handshakes) {
        this(endpoint, connected, problem, versions, chain, handshakes, List.of());
    }

    /** Whether some probe got no answer, so that some of what the server accepts may be missing. */
    public boolean incomplete() {
        return !gaps.isEmpty();
    }

    /** The versions accepted, newest first. */
    public List<String> protocols() {
        return versions.stream().map(VersionScan::version).toList();
    }

    public Optional<VersionScan> version(String name) {
        return versions.stream().filter(v -> v.version().equals(name)).findFirst();
    }
}
