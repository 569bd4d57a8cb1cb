package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;
import org.xbill.DNS.Tokenizer;

/**
 * AVC (IANA registration, Application Visibility and Control): one or more character-strings, in
 * the presentation form of TXT. dnsjava 3.7.0 has no class for the type and reads only the
 * RFC 3597 generic form.
 */
final class AvcRecord extends RdataBytesRecord {

    static final int TYPE = 258;

    @Override
    byte[] parse(Tokenizer st, Name origin) throws IOException {
        return characterStrings(st);
    }

    @Override
    String format(DNSInput in) throws IOException {
        return formatCharacterStrings(in);
    }
}
