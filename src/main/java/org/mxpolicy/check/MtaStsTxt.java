package org.mxpolicy.check;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts} TXT record: {@code v=STSv1; id=<1-32 alphanumerics>;} with optional
 * whitespace around fields (RFC 8461 section 3.1).
 */
public final class MtaStsTxt {

    private static final Pattern ID = Pattern.compile("(?:^|;)\\s*id\\s*=\\s*([A-Za-z0-9]{1,32})\\s*(?:;|$)");

    private MtaStsTxt() {}

    /** The id of a {@code v=STSv1} record's text, or empty when it has none that is valid. */
    public static Optional<String> id(String text) {
        Matcher m = ID.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
