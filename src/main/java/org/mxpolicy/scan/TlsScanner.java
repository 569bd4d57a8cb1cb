package org.mxpolicy.scan;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Enumerates what a TLS server accepts, one ClientHello at a time, as testssl.sh does:
 *
 * <ol>
 *   <li>each protocol version on its own (TLS 1.0 to 1.3), with every cipher suite of it;
 *   <li>per accepted version, the cipher suites: all candidates of one kind of key exchange are
 *       offered, the one the server chooses is taken out and the rest offered again, until the
 *       server refuses; then the same over all accepted suites for the order across kinds. This
 *       finds every suite the server accepts in about two handshakes per accepted suite (instead
 *       of one per candidate, some 300 SMTP sessions per version), and gives the server's order of
 *       preference when it enforces one; one more handshake with that order reversed tells whether
 *       it does;
 *   <li>the key-exchange groups, one group per handshake (TLS 1.3; and the ECDHE curves of the
 *       newest version before it);
 *   <li>the signature schemes, one scheme per completed handshake, in TLS 1.2 and 1.3;
 *   <li>one complete handshake of the newest version with every accepted suite, for the
 *       certificate chain.
 * </ol>
 *
 * <p>Handshakes run a few at a time per endpoint, never more than the {@link AddressLimit} allows
 * per IP address, each within the timeout from connect to the last byte. SSLv3 is not tried:
 * Bouncy Castle does not implement it. Thread-safe: one scanner serves a whole audit.
 *
 * <p>A handshake whose connection fails or is lost before the server answers (timeout, reset, end
 * before the whole ServerHello, STARTTLS put off with a 4xx) is not taken for a refusal: it is tried again, twice,
 * after a pause; if it still gets no answer the scan records a {@link ScanGap} for that probe,
 * and the rules that need what it would have found are not judged.
 */
public final class TlsScanner implements EndpointScanner, AutoCloseable {

    /** Most handshakes of one suite enumeration: more suites than any server accepts in a version. */
    private static final int MAX_SUITES_PER_VERSION = 160;
    /** Further tries of a handshake that got no answer: a server that rate-limits lets most through. */
    private static final int RETRIES = 2;
    /** The pause before each further try, long enough for a rate limit or a reset to pass. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final AddressLimit limit;
    private final Handshaker handshake;
    private final Duration retryPause;
    private final ScheduledExecutorService deadlines;

    /**
     * @param timeout per handshake, from connect to the last byte, STARTTLS included
     * @param limit the connections allowed at once per IP address, shared by every scan
     * @param ehloName the name sent with EHLO for SMTP STARTTLS
     */
    public TlsScanner(Duration timeout, AddressLimit limit, String ehloName) {
        this(limit, RETRY_PAUSE, handshakes(timeout, ehloName));
    }

    /**
     * @param retryPause the pause before a handshake that got no answer is tried again
     * @param handshakes makes the handshaker, given the executor for its deadlines
     */
    TlsScanner(
            AddressLimit limit,
            Duration retryPause,
            Function<ScheduledExecutorService, ? extends Handshaker> handshakes) {
        this.limit = limit;
        this.retryPause = retryPause;
        this.deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tls-scan-deadlines");
            thread.setDaemon(true);
            return thread;
        });
        this.handshake = handshakes.apply(deadlines);
    }

    private static Function<ScheduledExecutorService, Handshaker> handshakes(Duration timeout, String ehloName) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        return deadlines -> new Handshake(new BcTlsCrypto(new SecureRandom()), timeout, ehloName, deadlines);
    }

    @Override
    public TlsScan scan(TlsEndpoint endpoint) throws InterruptedException {
        ExecutorService lanes = Executors.newFixedThreadPool(limit.perAddress(), runnable -> {
            Thread thread = new Thread(runnable, "tls-scan " + endpoint);
            thread.setDaemon(true);
            return thread;
        });
        try {
            return new EndpointScan(endpoint, lanes).run();
        } finally {
            lanes.shutdownNow();
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }

    /** One endpoint's scan: its phases, and the count of handshakes. */
    private final class EndpointScan {
        private final TlsEndpoint endpoint;
        private final ExecutorService lanes;
        private final AtomicInteger handshakes = new AtomicInteger();
        private final Queue<ScanGap> gaps = new ConcurrentLinkedQueue<>();

        EndpointScan(TlsEndpoint endpoint, ExecutorService lanes) {
            this.endpoint = endpoint;
            this.lanes = lanes;
        }

        TlsScan run() throws InterruptedException {
            List<TlsNames.Version> accepted = new ArrayList<>();
            boolean connected = false;
            Optional<String> problem = Optional.empty();
            List<ServerAnswer> answers = all(TlsNames.VERSIONS.stream()
                    .<Callable<ServerAnswer>>map(
                            version -> () -> offer(ScanGap.Probe.VERSION, version, everything(version, true)))
                    .toList());
            for (int i = 0; i < answers.size(); i++) {
                ServerAnswer answer = answers.get(i);
                TlsNames.Version version = TlsNames.VERSIONS.get(i);
                connected |= answer.reached();
                if (answer.accepted() && answer.version().orElseThrow().equals(version.name())) {
                    accepted.add(version);
                } else if (problem.isEmpty() || !answer.reached()) {
                    problem = answer.problem();
                }
            }
            if (accepted.isEmpty()) {
                String why = !connected
                        ? "no connection: " + problem.orElse("unknown")
                        : gaps.isEmpty()
                                ? "no protocol version accepted"
                                        + problem.map(p -> " (" + p + ")").orElse("")
                                : "no protocol version answered: " + problem.orElse("unknown");
                return new TlsScan(
                        endpoint, connected, Optional.of(why), List.of(), List.of(), handshakes.get(), gaps());
            }

            Map<TlsNames.Version, List<Integer>> suites = suites(accepted);
            List<Callable<CipherOrder>> orderChecks = new ArrayList<>();
            for (Map.Entry<TlsNames.Version, List<Integer>> entry : suites.entrySet()) {
                orderChecks.add(() -> cipherOrder(entry.getKey(), entry.getValue()));
            }
            List<CipherOrder> cipherOrders = all(orderChecks);

            Map<TlsNames.Version, List<String>> groups = groups(suites);
            Map<TlsNames.Version, List<String>> schemes = signatureSchemes(suites);
            List<CertificateInfo> chain = defaultChain(accepted.get(0), suites.get(accepted.get(0)));

            List<VersionScan> versions = new ArrayList<>();
            int i = 0;
            for (Map.Entry<TlsNames.Version, List<Integer>> entry : suites.entrySet()) {
                TlsNames.Version version = entry.getKey();
                versions.add(new VersionScan(
                        version.name(),
                        entry.getValue().stream().map(TlsNames::suite).toList(),
                        cipherOrders.get(i++),
                        groups.getOrDefault(version, List.of()),
                        schemes.getOrDefault(version, List.of())));
            }
            return new TlsScan(endpoint, true, Optional.empty(), versions, chain, handshakes.get(), gaps());
        }

        /** The gaps in the order of the scan's steps, whichever lane found them first. */
        private List<ScanGap> gaps() {
            return gaps.stream()
                    .sorted(Comparator.comparing(ScanGap::probe)
                            .thenComparing(gap -> versionRank(gap.version()))
                            .thenComparing(ScanGap::reason))
                    .distinct()
                    .toList();
        }

        /**
         * The accepted suites of each version, in the server's order. The candidates are
         * eliminated per key exchange first, as a server may choose a suite it then cannot
         * complete (DHE without parameters, say) and so hide every suite it would choose after
         * it; then, where more than one kind of key exchange is accepted, once more over all
         * accepted suites for the order across them.
         */
        private Map<TlsNames.Version, List<Integer>> suites(List<TlsNames.Version> accepted)
                throws InterruptedException {
            List<Callable<List<Integer>>> eliminations = new ArrayList<>();
            List<TlsNames.Version> eliminated = new ArrayList<>();
            for (TlsNames.Version version : accepted) {
                Map<Integer, List<Integer>> byKeyExchange = new LinkedHashMap<>();
                for (int suite : TlsNames.candidateSuites(version)) {
                    int keyExchange = version.isTls13() ? 0 : TlsUtils.getKeyExchangeAlgorithm(suite);
                    byKeyExchange
                            .computeIfAbsent(keyExchange, any -> new ArrayList<>())
                            .add(suite);
                }
                for (List<Integer> candidates : byKeyExchange.values()) {
                    eliminated.add(version);
                    eliminations.add(() -> preferenceOrder(version, candidates));
                }
            }
            List<List<Integer>> found = all(eliminations);
            Map<TlsNames.Version, List<List<Integer>>> parts = new LinkedHashMap<>();
            for (TlsNames.Version version : accepted) {
                parts.put(version, new ArrayList<>());
            }
            for (int i = 0; i < found.size(); i++) {
                if (!found.get(i).isEmpty()) {
                    parts.get(eliminated.get(i)).add(found.get(i));
                }
            }
            Map<TlsNames.Version, List<Integer>> suites = new LinkedHashMap<>();
            List<Callable<List<Integer>>> merges = new ArrayList<>();
            List<TlsNames.Version> merged = new ArrayList<>();
            for (Map.Entry<TlsNames.Version, List<List<Integer>>> entry : parts.entrySet()) {
                List<Integer> all =
                        entry.getValue().stream().flatMap(List::stream).toList();
                suites.put(entry.getKey(), all);
                if (entry.getValue().size() > 1) {
                    merged.add(entry.getKey());
                    merges.add(() -> preferenceOrder(entry.getKey(), all));
                }
            }
            List<List<Integer>> orders = all(merges);
            for (int i = 0; i < orders.size(); i++) {
                List<Integer> order = new ArrayList<>(orders.get(i));
                // Suites the merged run did not reach keep their place after the ordered ones.
                suites.get(merged.get(i)).stream()
                        .filter(s -> !order.contains(s))
                        .forEach(order::add);
                suites.put(merged.get(i), order);
            }
            return suites;
        }

        /** Offer all remaining candidates, take out the chosen, repeat: the accepted ones in the server's order. */
        private List<Integer> preferenceOrder(TlsNames.Version version, List<Integer> candidates)
                throws InterruptedException {
            List<Integer> remaining = new ArrayList<>(candidates);
            List<Integer> order = new ArrayList<>();
            Offer offer = everything(version, true);
            while (!remaining.isEmpty() && order.size() < MAX_SUITES_PER_VERSION) {
                ServerAnswer answer = offer(ScanGap.Probe.SUITES, version, offer.withSuites(remaining));
                if (!answer.accepted()
                        || !answer.version().orElseThrow().equals(version.name())
                        || !remaining.contains(answer.suite())) {
                    break;
                }
                order.add(answer.suite());
                remaining.remove(Integer.valueOf(answer.suite()));
            }
            return order;
        }

        /** The accepted suites offered in reverse: a server that keeps its own order still picks its first. */
        private CipherOrder cipherOrder(TlsNames.Version version, List<Integer> order) throws InterruptedException {
            if (order.size() < 2) {
                return CipherOrder.ONE_SUITE;
            }
            List<Integer> reversed = new ArrayList<>(order);
            Collections.reverse(reversed);
            ServerAnswer answer = offer(
                    ScanGap.Probe.CIPHER_ORDER,
                    version,
                    everything(version, true).withSuites(reversed));
            return answer.suite() == order.get(0) ? CipherOrder.SERVER : CipherOrder.CLIENT;
        }

        /**
         * One group per handshake: in TLS 1.3 with a key share for it; before that with the
         * accepted ECDHE suites of the newest such version, so that the server can only agree by
         * choosing one of them with that curve.
         */
        private Map<TlsNames.Version, List<String>> groups(Map<TlsNames.Version, List<Integer>> suites)
                throws InterruptedException {
            Map<TlsNames.Version, List<String>> found = new LinkedHashMap<>();
            List<Callable<Optional<String>>> tries = new ArrayList<>();
            List<TlsNames.Version> tried = new ArrayList<>();
            boolean ecdheSeen = false;
            for (Map.Entry<TlsNames.Version, List<Integer>> entry : suites.entrySet()) {
                TlsNames.Version version = entry.getKey();
                List<Integer> offered = version.isTls13()
                        ? entry.getValue()
                        : entry.getValue().stream().filter(TlsScanner::isEcdhe).toList();
                if (offered.isEmpty() || (!version.isTls13() && ecdheSeen)) {
                    continue;
                }
                ecdheSeen |= !version.isTls13();
                for (int group : version.isTls13() ? TlsNames.TLS13_GROUPS : TlsNames.TLS12_GROUPS) {
                    if (version.isTls13() && !handshake.supportsGroup(group)) {
                        continue;
                    }
                    tried.add(version);
                    Offer offer =
                            new Offer(List.of(version), offered, List.of(group), TlsNames.SIGNATURE_SCHEMES, true);
                    tries.add(() -> {
                        ServerAnswer answer = offer(ScanGap.Probe.GROUPS, version, offer);
                        return answer.accepted()
                                        && answer.version().orElseThrow().equals(version.name())
                                ? Optional.of(TlsNames.group(group))
                                : Optional.empty();
                    });
                }
            }
            List<Optional<String>> results = all(tries);
            for (int i = 0; i < results.size(); i++) {
                TlsNames.Version version = tried.get(i);
                results.get(i)
                        .ifPresent(group -> found.computeIfAbsent(version, any -> new ArrayList<>())
                                .add(group));
            }
            return found;
        }

        /** One signature scheme per complete handshake, with the suites Bouncy Castle can finish. */
        private Map<TlsNames.Version, List<String>> signatureSchemes(Map<TlsNames.Version, List<Integer>> suites)
                throws InterruptedException {
            Map<TlsNames.Version, List<String>> found = new LinkedHashMap<>();
            List<Callable<Optional<String>>> tries = new ArrayList<>();
            List<TlsNames.Version> tried = new ArrayList<>();
            for (Map.Entry<TlsNames.Version, List<Integer>> entry : suites.entrySet()) {
                TlsNames.Version version = entry.getKey();
                if (!version.isTls13() && !version.name().equals("TLSv1.2")) {
                    continue;
                }
                List<Integer> signed = entry.getValue().stream()
                        .filter(suite -> TlsUtils.isSupportedCipherSuite(handshakeCrypto(), suite))
                        .filter(suite -> version.isTls13() || isSignedKeyExchange(suite))
                        .toList();
                if (signed.isEmpty()) {
                    continue;
                }
                List<Integer> groups = supportedGroups(version);
                for (int scheme : TlsNames.SIGNATURE_SCHEMES) {
                    tried.add(version);
                    Offer offer = new Offer(List.of(version), signed, groups, List.of(scheme), false);
                    tries.add(() -> {
                        ServerAnswer answer = offer(ScanGap.Probe.SIGNATURE_SCHEMES, version, offer);
                        return answer.completed() ? Optional.of(TlsNames.signatureScheme(scheme)) : Optional.empty();
                    });
                }
            }
            List<Optional<String>> results = all(tries);
            for (int i = 0; i < results.size(); i++) {
                TlsNames.Version version = tried.get(i);
                results.get(i)
                        .ifPresent(scheme -> found.computeIfAbsent(version, any -> new ArrayList<>())
                                .add(scheme));
            }
            return found;
        }

        private List<CertificateInfo> defaultChain(TlsNames.Version newest, List<Integer> suites)
                throws InterruptedException {
            ServerAnswer answer =
                    offer(ScanGap.Probe.CHAIN, newest, everything(newest, false).withSuites(suites));
            return answer.chain().stream().map(CertificateInfo::of).toList();
        }

        private Offer everything(TlsNames.Version version, boolean helloOnly) {
            return new Offer(
                    List.of(version),
                    TlsNames.candidateSuites(version),
                    supportedGroups(version),
                    TlsNames.SIGNATURE_SCHEMES,
                    helloOnly);
        }

        private List<Integer> supportedGroups(TlsNames.Version version) {
            return (version.isTls13() ? TlsNames.TLS13_GROUPS : TlsNames.TLS12_GROUPS)
                    .stream().filter(handshake::supportsGroup).toList();
        }

        /**
         * One handshake, tried again while it gets no answer; a probe that never gets one is a
         * {@link ScanGap}, so that its empty result is not read as the server's refusal.
         */
        private ServerAnswer offer(ScanGap.Probe probe, TlsNames.Version version, Offer offer)
                throws InterruptedException {
            ServerAnswer answer = attempt(offer);
            for (int retry = 0; retry < RETRIES && answer.transportFailed(); retry++) {
                // Paused without holding a connection of the per-address limit.
                Thread.sleep(retryPause.toMillis());
                answer = attempt(offer);
            }
            if (answer.transportFailed()) {
                gaps.add(new ScanGap(probe, version.name(), answer.problem().orElse("no answer")));
            }
            return answer;
        }

        private ServerAnswer attempt(Offer offer) throws InterruptedException {
            limit.acquire(endpoint.address().getAddress());
            try {
                handshakes.incrementAndGet();
                return handshake.offer(endpoint, offer);
            } finally {
                limit.release(endpoint.address().getAddress());
            }
        }

        private <T> List<T> all(List<Callable<T>> tasks) throws InterruptedException {
            List<Future<T>> futures = lanes.invokeAll(tasks);
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a handshake failed unexpectedly", e.getCause());
                }
            }
            return results;
        }
    }

    private static int versionRank(String name) {
        for (int i = 0; i < TlsNames.VERSIONS.size(); i++) {
            if (TlsNames.VERSIONS.get(i).name().equals(name)) {
                return i;
            }
        }
        return TlsNames.VERSIONS.size();
    }

    private org.bouncycastle.tls.crypto.TlsCrypto handshakeCrypto() {
        return handshake.crypto();
    }

    private static boolean isEcdhe(int suite) {
        int exchange = TlsUtils.getKeyExchangeAlgorithm(suite);
        return exchange == KeyExchangeAlgorithm.ECDHE_ECDSA || exchange == KeyExchangeAlgorithm.ECDHE_RSA;
    }

    private static boolean isSignedKeyExchange(int suite) {
        int exchange = TlsUtils.getKeyExchangeAlgorithm(suite);
        return exchange == KeyExchangeAlgorithm.ECDHE_ECDSA
                || exchange == KeyExchangeAlgorithm.ECDHE_RSA
                || exchange == KeyExchangeAlgorithm.DHE_RSA
                || exchange == KeyExchangeAlgorithm.DHE_DSS;
    }
}
