package org.mxpolicy.files;

import java.nio.file.Path;
import java.util.List;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.mxpolicy.keyroll.KeyFileStore;
import org.xbill.DNS.Name;

/** The key directories of {@code keys run}, as {@link KeyDirectory} keeps them (owner and mode checked). */
public final class KeyDirectoryFiles implements KeyFileStore {

    @Override
    public List<ZoneKey> load(Path dir, Name zone) throws InvalidInputException {
        return new KeyDirectory(dir).load(zone);
    }

    @Override
    public void create(Path dir, ZoneKey key) throws MxpolicyException {
        new KeyDirectory(dir).write(key);
    }

    @Override
    public void retime(Path dir, ZoneKey key) throws MxpolicyException {
        new KeyDirectory(dir).retime(key);
    }

    @Override
    public List<String> settle(Path dir, Name zone) throws MxpolicyException {
        return new KeyDirectory(dir).settleTiming(zone);
    }
}
