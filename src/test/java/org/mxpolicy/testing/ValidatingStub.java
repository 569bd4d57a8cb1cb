package org.mxpolicy.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * A validating stub: dnsjava's {@link ValidatingResolver} in front of one authoritative server,
 * with a DS record set as its only trust anchor. Each answer says whether it validated (the AD
 * flag) and, when it did not, why (the validator's reason and any Extended DNS Error).
 */
public final class ValidatingStub {

    static {
        // dnsjava's validator logs every bogus signature with a stack trace; negative tests make
        // many on purpose, and each Answer carries the reason anyway.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.xbill.DNS.dnssec") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.xbill.DNS.dnssec", "error");
        }
    }

    private final ValidatingResolver resolver;

    /** Validates what {@code authority} answers, starting from the DS records {@code anchors}. */
    public ValidatingStub(Resolver authority, List<DSRecord> anchors) throws IOException {
        this.resolver = new ValidatingResolver(authority);
        resolver.setAddReasonToAdditional(true);
        resolver.setTimeout(Duration.ofSeconds(5));
        String text = anchors.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
        resolver.loadTrustAnchors(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Asks for {@code name}/{@code type} (class IN) and reports the validated answer. */
    public Answer ask(String name, int type) throws IOException {
        Name qname = Name.fromString(name, Name.root);
        Message response = resolver.send(Message.newQuery(Record.newRecord(qname, type, DClass.IN)));
        return new Answer(
                qname + " " + Type.string(type),
                response.getRcode(),
                response.getHeader().getFlag(Flags.AD),
                response.getSection(Section.ANSWER),
                reasons(response),
                response.toString());
    }

    /** The Extended DNS Errors, then the validator's reason records where they add something. */
    private static List<String> reasons(Message response) {
        return org.mxpolicy.dns.ValidatingDnsLookup.reasons(response);
    }

    /**
     * One validated answer.
     *
     * @param question the name and type asked for
     * @param rcode the response code
     * @param authenticated whether the AD flag is set: the answer validated to the trust anchor
     * @param answer the answer section
     * @param reasons why validation failed, from the validator (empty when it succeeded)
     * @param response the whole response, for failure messages
     */
    public record Answer(
            String question,
            int rcode,
            boolean authenticated,
            List<Record> answer,
            List<String> reasons,
            String response) {

        /** The answer section's records of one type, e.g. the TLSA records without their RRSIGs. */
        public List<Record> records(int type) {
            return answer.stream().filter(r -> r.getType() == type).toList();
        }

        /** A one-paragraph description for assertion messages. */
        public String describe() {
            return question + ": " + Rcode.string(rcode) + (authenticated ? " AD" : " (no AD)")
                    + (reasons.isEmpty() ? "" : ", validator says: " + String.join("; ", reasons))
                    + "\nresponse:\n" + response;
        }
    }
}
