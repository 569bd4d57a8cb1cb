package org.mxpolicy.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.check.Expiry;
import org.mxpolicy.rollover.RolloverGate;
import org.mxpolicy.rollover.RolloverState;

/**
 * The page of one MX host: its results (the host's and its addresses'), the keys of its
 * rollover with their TLSA records, its expiry times, and the rollover and expiry drawn on a
 * time line.
 *
 * @param domains the first {@link #DOMAINS_SHOWN} domains that name it as MX
 * @param domainCount how many domains name it
 * @param phase the rollover phase in words; empty when it has no rollover state
 * @param keys the keys of the rollover, current first
 * @param timelines the drawings (none when there is nothing to draw)
 */
public record HostView(
        String name,
        List<String> domains,
        int domainCount,
        List<ExplainedResult> results,
        String phase,
        List<KeyRow> keys,
        List<ExpiryRow> expiries,
        List<Timeline> timelines) {

    /** A certificate or signature expiry as the tables list it. */
    public record ExpiryRow(String kind, String subject, String source, String notAfter, String left, Level level) {}

    /** A shared MX host of a hoster serves thousands of domains: the page names the first few. */
    static final int DOMAINS_SHOWN = 20;

    static HostView of(StatusModel model, String host, Optional<RolloverState> state, Instant now, Duration margin) {
        List<KeyRow> keys = new ArrayList<>();
        String phase = "";
        List<Timeline> timelines = new ArrayList<>();
        if (state.isPresent()) {
            RolloverState s = state.get();
            phase = s.phase(now, margin).shown();
            keys.add(key("current", s.current(), "published" + presented(model, host, s.current())));
            s.next().ifPresent(n -> {
                Optional<RolloverGate> gate = n.gate(margin);
                String what = gate.map(g -> g.isOpen(now)
                                ? "published; gate open since " + Times.instant(g.opensAt())
                                : "published; gate opens " + Times.instant(g.opensAt()) + " (in "
                                        + Times.duration(g.timeLeft(now)) + ")")
                        .orElse("staged; its record not yet served everywhere");
                keys.add(key("next", n.key(), what + presented(model, host, n.key())));
            });
            s.retiring()
                    .ifPresent(r -> keys.add(key(
                            "retiring",
                            r.key(),
                            r.compromised()
                                    ? "compromised: its record was removed at once"
                                    : "kept until every address presents the current key"
                                            + presented(model, host, r.key()))));
            timelines.add(rollover(s, now, margin));
        }
        List<ExpiryRow> expiries = expiryRows(model.expiries(host), now);
        if (!expiries.isEmpty()) {
            timelines.add(expiryTimeline("Expiry of certificates and signatures", model.expiries(host), now));
        }
        List<String> domains = model.domainsOf(host);
        return new HostView(
                host,
                domains.subList(0, Math.min(DOMAINS_SHOWN, domains.size())),
                domains.size(),
                model.results(host),
                phase,
                keys,
                expiries,
                List.copyOf(timelines));
    }

    static List<ExpiryRow> expiryRows(List<Expiry> expiries, Instant now) {
        List<ExpiryRow> rows = new ArrayList<>();
        for (Expiry e : expiries) {
            rows.add(new ExpiryRow(
                    e.kind(),
                    e.subject(),
                    e.source(),
                    Times.instant(e.notAfter()),
                    Times.duration(Duration.between(now, e.notAfter())),
                    level(e.notAfter(), now)));
        }
        return rows;
    }

    /** Red within a week, yellow within four, as the check's default thresholds roughly do. */
    static Level level(Instant notAfter, Instant now) {
        Duration left = Duration.between(now, notAfter);
        if (left.compareTo(Duration.ofDays(7)) < 0) {
            return Level.CRITICAL;
        }
        return left.compareTo(Duration.ofDays(28)) < 0 ? Level.WARNING : Level.OK;
    }

    static Timeline expiryTimeline(String caption, List<Expiry> expiries, Instant now) {
        Instant to = now.plus(Duration.ofDays(120));
        Timeline.Builder t = new Timeline.Builder(caption, now.minus(Duration.ofDays(7)), to, now);
        for (Expiry e : expiries) {
            t.lane(e.kind() + " " + e.subject() + " (" + e.source() + ")", laneLabel(e))
                    .bar(now, e.notAfter(), level(e.notAfter(), now), "valid until " + Times.instant(e.notAfter()))
                    .mark(e.notAfter(), "expires " + Times.instant(e.notAfter()));
        }
        return t.build();
    }

    /** A short label: the kind and where it was seen, or the RRset's type for a signature. */
    private static String laneLabel(Expiry e) {
        if (e.kind().equals("signature")) {
            int space = e.subject().lastIndexOf(' ');
            return "signature " + (space < 0 ? e.subject() : e.subject().substring(space + 1));
        }
        return e.kind() + ", " + e.source();
    }

    /** The keys' spans: current since it took over, next from staging through the gate, retiring since. */
    private static Timeline rollover(RolloverState s, Instant now, Duration margin) {
        Instant earliest = s.current().since();
        if (s.next().isPresent()) {
            earliest = min(earliest, s.next().get().key().since());
        }
        if (s.retiring().isPresent()) {
            earliest = min(earliest, s.retiring().get().key().since());
        }
        Instant from = min(earliest, now.minus(Duration.ofDays(3)));
        Optional<RolloverGate> gate = s.next().flatMap(n -> n.gate(margin));
        Instant week = now.plus(Duration.ofDays(7));
        Instant to = gate.isPresent() && gate.get().opensAt().isAfter(week)
                ? gate.get().opensAt().plus(Duration.ofDays(1))
                : week;
        Timeline.Builder t = new Timeline.Builder("Rollover of " + s.host(), from, to, now);
        t.lane("current " + s.current().shortId())
                .bar(
                        s.current().since(),
                        to.plusSeconds(1),
                        Level.OK,
                        "in use since " + Times.instant(s.current().since()));
        s.next().ifPresent(n -> {
            t.lane("next " + n.key().shortId());
            Instant served = n.servedSince().orElse(now);
            t.bar(
                    n.key().since(),
                    served,
                    Level.WARNING,
                    "staged " + Times.instant(n.key().since()));
            gate.ifPresentOrElse(
                    g -> {
                        t.bar(
                                served,
                                g.opensAt(),
                                Level.WARNING,
                                "record served, caches expiring until " + Times.instant(g.opensAt()));
                        t.bar(g.opensAt(), to.plusSeconds(1), Level.OK, "ready from " + Times.instant(g.opensAt()));
                        t.mark(g.opensAt(), "gate ends " + Times.instant(g.opensAt()));
                    },
                    () -> t.mark(now, "record not yet served everywhere"));
        });
        s.retiring()
                .ifPresent(r -> t.lane("retiring " + r.key().shortId())
                        .bar(
                                r.key().since(),
                                now,
                                r.compromised() ? Level.CRITICAL : Level.WARNING,
                                "retiring since " + Times.instant(r.key().since())));
        return t.build();
    }

    /**
     * Which addresses DANE-verified with the key's record in the last check: the check names the
     * matching record in its {@code dane.verified} message.
     */
    private static String presented(StatusModel model, String host, RolloverState.KeyEntry key) {
        List<String> addresses = new ArrayList<>();
        for (ExplainedResult r : model.results(host)) {
            if (r.id().equals("dane.verified") && r.message().contains(key.sha256())) {
                int space = r.subject().indexOf(' ');
                addresses.add(space < 0 ? r.subject() : r.subject().substring(space + 1));
            }
        }
        return addresses.isEmpty() ? "" : "; presented by " + String.join(", ", addresses);
    }

    private static KeyRow key(String role, RolloverState.KeyEntry key, String state) {
        return new KeyRow(
                role, key.description(), key.shortId(), "3 1 1 " + key.sha256(), Times.instant(key.since()), state);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
