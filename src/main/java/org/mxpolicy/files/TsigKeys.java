package org.mxpolicy.files;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.mxpolicy.dns.TsigKeyFile;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/** TSIG key files (BIND's {@code key} clauses), kept private like DNSSEC private keys. */
public final class TsigKeys {

    private TsigKeys() {}

    /** The key named {@code keyName}, or the file's only key; refused when group or others may read the file. */
    public static TSIG read(Path path, Optional<String> keyName) throws InvalidInputException {
        KeyDirectory.checkPermissions(path);
        String text = new String(InputFiles.read(path, TsigKeyFile.SIZE_LIMIT), StandardCharsets.UTF_8);
        Optional<Name> name = keyName.map(n -> Name.fromConstantString(n + "."));
        return TsigKeyFile.read(new StringReader(text), path.toString())
                .select(name)
                .tsig();
    }
}
