package org.mxpolicy.config;

import java.math.BigInteger;
import java.util.List;
import org.mxpolicy.finding.SourcePosition;

/**
 * A YAML node that remembers where it was written. Jackson's own tree drops positions, and data
 * binding stops at the first problem; this tree keeps both the positions and the freedom to
 * report every problem.
 */
sealed interface YamlNode permits YamlNode.Mapping, YamlNode.Sequence, YamlNode.Scalar {

    /** Where the node starts: the first key of a block map, the {@code [} of a flow list, ... */
    SourcePosition position();

    /** A short description for messages: "a map", "the string \"x\"", "nothing". */
    String describe();

    /** A key of a map, where the key was written, and its value. */
    record Entry(String key, SourcePosition keyPosition, YamlNode value) {}

    /** A map; keys are unique (later duplicates are reported and dropped by the reader). */
    record Mapping(List<Entry> entries, SourcePosition position) implements YamlNode {
        public Mapping {
            entries = List.copyOf(entries);
        }

        @Override
        public String describe() {
            return "a map";
        }
    }

    record Sequence(List<YamlNode> items, SourcePosition position) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /** What YAML made of a scalar (the YAML 1.2 core schema, as Jackson resolves it). */
    enum ScalarType {
        STRING,
        INTEGER,
        FLOAT,
        BOOLEAN,
        NULL
    }

    /**
     * A single value.
     *
     * @param text the value as written (for an integer, e.g. {@code 0x19}); empty for null
     * @param integer the value of an {@link ScalarType#INTEGER}, else null
     */
    record Scalar(ScalarType type, String text, BigInteger integer, SourcePosition position) implements YamlNode {
        @Override
        public String describe() {
            return switch (type) {
                case STRING -> "the string \"" + shortened() + "\"";
                case INTEGER -> "the integer " + shortened();
                case FLOAT -> "the number " + shortened();
                case BOOLEAN -> "the boolean " + text;
                case NULL -> "nothing";
            };
        }

        private String shortened() {
            return Quoting.shorten(text);
        }
    }
}
