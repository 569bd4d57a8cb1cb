package org.mxpolicy.transparency;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mxpolicy.transparency.Assessment.State;

/** The outcome of each criterion for one partner, without the evidence: what the history compares. */
public record VerdictState(State meets, State dane, State tls, State mtaSts, State dnssec) {

    public VerdictState {
        Objects.requireNonNull(meets, "meets");
        Objects.requireNonNull(dane, "dane");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(mtaSts, "mtaSts");
        Objects.requireNonNull(dnssec, "dnssec");
    }

    /** What differs from {@code before}, e.g. {@code DANE: yes → no}, in the report's order. */
    public List<String> changesFrom(VerdictState before) {
        List<String> changes = new ArrayList<>();
        change(changes, "meets TR-03108", before.meets, meets);
        change(changes, "DANE", before.dane, dane);
        change(changes, "TLS per TR-03116-4", before.tls, tls);
        change(changes, "MTA-STS", before.mtaSts, mtaSts);
        change(changes, "DNSSEC", before.dnssec, dnssec);
        return changes;
    }

    private static void change(List<String> changes, String what, State before, State now) {
        if (before != now) {
            changes.add(what + ": " + before.label() + " \u2192 " + now.label());
        }
    }
}
