package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.apply.SigningFiles;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.zone.ZoneFileReader;
import org.xbill.DNS.Name;

/** Zone files, key directories and signed zones on the local file system. */
public final class ZoneFiles implements SigningFiles {

    @Override
    public ZoneFileReader.Zone zone(Path file, Name origin) throws InvalidInputException {
        return read(file, origin);
    }

    /** The records of a zone file in master file format, with the reader's warnings (records dropped). */
    public static ZoneFileReader.Zone read(Path file, Name origin) throws InvalidInputException {
        return ZoneFileReader.readZone(
                new ByteArrayInputStream(InputFiles.read(file, ZoneFileReader.SIZE_LIMIT)), file.toString(), origin);
    }

    @Override
    public List<ZoneKey> keys(Path dir, Name origin) throws InvalidInputException {
        return new KeyDirectory(dir).load(origin);
    }

    @Override
    public Optional<byte[]> previous(Path file) throws InvalidInputException {
        return Files.isRegularFile(file)
                ? Optional.of(InputFiles.read(file, ZoneFileReader.SIZE_LIMIT))
                : Optional.empty();
    }

    @Override
    public boolean write(Path file, byte[] text) throws MxpolicyException {
        return AtomicFiles.write(file, text, AtomicFiles.PUBLIC) == AtomicFiles.Outcome.WRITTEN;
    }
}
