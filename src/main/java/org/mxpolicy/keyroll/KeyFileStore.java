package org.mxpolicy.keyroll;

import java.nio.file.Path;
import java.util.List;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;

/** The key directory of a zone, as {@code keys run} reads and changes it. */
public interface KeyFileStore {

    /** Every key of {@code zone} in {@code dir}, with its private key where there is one. */
    List<ZoneKey> load(Path dir, org.xbill.DNS.Name zone) throws InvalidInputException;

    /** Writes a new key's files (private key 0600); never replaces a key. */
    void create(Path dir, ZoneKey key) throws MxpolicyException;

    /** Replaces the timing in an existing key's files with {@code key}'s, each file atomically. */
    void retime(Path dir, ZoneKey key) throws MxpolicyException;

    /**
     * Puts right the files of keys a crash left half retimed (the timing signing goes by written,
     * the other file not yet); returns the keys' base names.
     */
    List<String> settle(Path dir, org.xbill.DNS.Name zone) throws MxpolicyException;
}
