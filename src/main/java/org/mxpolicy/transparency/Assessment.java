package org.mxpolicy.transparency;

import java.util.Objects;

/**
 * Whether a partner meets one criterion, and why it is judged so.
 *
 * @param state met, not met, unknown or not checked
 * @param evidence what was seen, in a sentence
 */
public record Assessment(State state, String evidence) {

    /** The outcome of one criterion. */
    public enum State {
        MET("yes"),
        NOT_MET("no"),
        /** Looked for, but nothing to judge by: no delivery in the log, a lookup without answer. */
        UNKNOWN("unknown"),
        /** Not looked for by this report (e.g. MTA-STS from a log). */
        NOT_CHECKED("not checked");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** The word the report shows. */
        public String label() {
            return label;
        }

        /** The lower-case key used in JSON and the store ({@code met}, {@code not-met}). */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        /** The state whose {@link #key()} is {@code key}. */
        public static State ofKey(String key) {
            for (State state : values()) {
                if (state.key().equals(key)) {
                    return state;
                }
            }
            throw new IllegalArgumentException("not a state: " + key);
        }
    }

    public Assessment {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(evidence, "evidence");
    }

    static Assessment met(String evidence) {
        return new Assessment(State.MET, evidence);
    }

    static Assessment notMet(String evidence) {
        return new Assessment(State.NOT_MET, evidence);
    }

    static Assessment unknown(String evidence) {
        return new Assessment(State.UNKNOWN, evidence);
    }

    static Assessment notChecked(String evidence) {
        return new Assessment(State.NOT_CHECKED, evidence);
    }

    /**
     * The two sources together (an audit and the log): a criterion either shows not met is not
     * met; one met and the other not against it is met; otherwise the better-informed of the two.
     */
    static Assessment combine(Assessment a, Assessment b) {
        if (a.state == State.NOT_CHECKED) {
            return b;
        }
        if (b.state == State.NOT_CHECKED) {
            return a;
        }
        State state;
        if (a.state == State.NOT_MET || b.state == State.NOT_MET) {
            state = State.NOT_MET;
        } else if (a.state == State.MET || b.state == State.MET) {
            state = State.MET;
        } else {
            state = State.UNKNOWN;
        }
        return new Assessment(state, a.evidence + "; " + b.evidence);
    }
}
