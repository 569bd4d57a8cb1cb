package org.mxpolicy.apply;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.zone.ZoneFileReader;
import org.xbill.DNS.Name;

/** The files a zone is signed from and into: the zone file, the key directory and the signed zone. */
public interface SigningFiles {

    /** The records of a zone file in master file format, with the reader's warnings. */
    ZoneFileReader.Zone zone(Path file, Name origin) throws InvalidInputException;

    /** Every key of {@code origin} in {@code dir}, with its private key where there is one. */
    List<ZoneKey> keys(Path dir, Name origin) throws InvalidInputException;

    /** The bytes of the previous signed zone, or empty when there is none. */
    Optional<byte[]> previous(Path file) throws InvalidInputException;

    /**
     * Replaces {@code file} with {@code text} so that readers never see half of it; true when it
     * changed.
     */
    boolean write(Path file, byte[] text) throws MxpolicyException;
}
