package org.mxpolicy.config;

import java.util.List;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;

/**
 * Where the files an {@code include} pattern names come from: the file system for a config file
 * ({@code files.ConfigFile}), nothing for a config read from elsewhere.
 */
public interface ConfigIncludes {

    /** A file the pattern matched, with the name to show in messages and its text. */
    record Included(String source, String text) {}

    /**
     * The files {@code pattern} matches, in the order of their names.
     *
     * @param at where the pattern is written, for messages
     * @throws InvalidInputException a file that cannot be read or is not to be trusted
     */
    List<Included> resolve(String pattern, SourcePosition at) throws InvalidInputException;

    /** For a config that has no directory: an {@code include} is an error there. */
    ConfigIncludes NONE = (pattern, at) -> {
        throw new InvalidInputException(
                "config.include", at, "'include' needs a config file on disk to resolve " + Quoting.quote(pattern));
    };
}
