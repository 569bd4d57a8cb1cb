package org.mxpolicy.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What tells a file's content apart from before without reading it: its inode, size and change
 * time (a rewrite, a rename over it and a re-pointed link all change one of them).
 */
record FileStamp(Object inode, long size, Object changed, Object modified) {

    /** The stamp of the file a path leads to, links followed; empty when it cannot be read. */
    static Optional<FileStamp> of(Path path) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:ino,size,ctime,lastModifiedTime");
            return Optional.of(
                    new FileStamp(a.get("ino"), (Long) a.get("size"), a.get("ctime"), a.get("lastModifiedTime")));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
