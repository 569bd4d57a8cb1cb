package org.mxpolicy.zone.corrections;

import java.io.IOException;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Tokenizer;

/**
 * The SvcParams of an SVCB or HTTPS record in AliasMode (SvcPriority 0), which dnsjava 3.7.0 refuses
 * to read ("No parameter values allowed for AliasMode"). RFC 9460 section 2.4.2 says only that
 * AliasMode records SHOULD NOT carry them and that clients MUST ignore them; the presentation format
 * allows them, and BIND, Knot and ldns read them. They are parsed here as if in ServiceMode, with
 * dnsjava's own parameter parser, so the wire form is dnsjava's; the caller then puts priority 0
 * back. The zone reader reports such records as a warning.
 */
final class AliasModeText {

    /** What reads {@code priority target params} into the record: the subclass's {@code super.rdataFromString}. */
    interface Parser {
        void parse(Tokenizer st, Name origin) throws IOException;
    }

    private AliasModeText() {}

    /**
     * Reads the RDATA with {@code parser}; true when it was AliasMode with parameters, parsed with
     * priority 1 in their place (the caller must write priority 0 into the wire form).
     */
    static boolean parse(Tokenizer st, Name origin, Parser parser) throws IOException {
        Tokenizer.Token priority = st.get();
        if (!priority.isString() || !priority.value.equals("0")) {
            st.unget();
            parser.parse(st, origin);
            return false;
        }
        Name target = st.getName(origin);
        StringBuilder params = new StringBuilder();
        for (Tokenizer.Token t = st.get(); t.isString(); t = st.get()) {
            params.append(' ').append(t.type() == Tokenizer.QUOTED_STRING ? "\"" + t.value + "\"" : t.value);
        }
        st.unget();
        if (params.length() == 0) {
            parser.parse(new Tokenizer("0 " + target), origin);
            return false;
        }
        try (Tokenizer serviceMode = new Tokenizer("1 " + target + params)) {
            parser.parse(serviceMode, origin);
        } catch (TextParseException e) {
            // The message names line 1 of the re-read text; name the zone file's line instead.
            throw st.exception(e.getMessage().replaceFirst("^<none>:\\d+: ", ""));
        }
        return true;
    }
}
