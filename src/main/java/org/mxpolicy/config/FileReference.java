package org.mxpolicy.config;

import org.mxpolicy.finding.SourcePosition;

/**
 * A file named in the config, with the place that names it, so a problem with the file can be
 * reported both at the file and at the config line.
 *
 * @param path the path as written (relative paths are resolved against the config's directory
 *     by the caller)
 */
public record FileReference(String path, SourcePosition position) {}
