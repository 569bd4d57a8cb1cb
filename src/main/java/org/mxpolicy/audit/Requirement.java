package org.mxpolicy.audit;

import java.util.Arrays;
import java.util.Optional;

/**
 * The requirements of BSI TR-03108 (version 2.0, section 4.1) that an audit can judge from
 * outside, by what a sender or a mail client finds. The others are about sending (04-M, 06-M,
 * 09-M), evaluating reports (11-R) or organisation (13-M to 16-M), and no probe can see them.
 */
public enum Requirement {
    /** 4.1.1: clients reach the provider over implicit TLS (RFC 8314) per TR-03116-4. */
    CLIENT_TLS("01-M", "4.1.1", "MUA to MHS communication"),
    /** 4.1.2: STARTTLS on 587, 143 and 110 for old clients, per TR-03116-4. */
    CLIENT_TLS_COMPATIBILITY("02-R", "4.1.2", "MUA to MHS backwards compatibility"),
    /** 4.1.3: the MX offers STARTTLS (RFC 3207) per TR-03116-4, forward secrecy preferred. */
    INBOUND_TLS("03-M", "4.1.3", "MTA to MTA inbound transport encryption"),
    /** 4.1.5: the mail domain's and the MX host's zones signed; TLSA records for every MX (RFC 7671). */
    INBOUND_DANE("05-M", "4.1.5", "Inbound DANE transport encryption"),
    /** 4.1.7: MTA-STS (RFC 8461) offered to senders. */
    INBOUND_MTA_STS("07-R", "4.1.7", "Inbound MTA-STS transport encryption"),
    /**
     * 4.1.8: senders should not accept wildcard certificates when fetching a policy, so a policy
     * host with one is not fetched by them.
     */
    OUTBOUND_MTA_STS("08-R", "4.1.8", "Outbound MTA-STS (policy host certificate)"),
    /** 4.1.10: a TLS-RPT policy (RFC 8460) asking for reports by mail only. */
    TLS_RPT("10-M", "4.1.10", "Receiving TLSRPT reports"),
    /** 4.1.12: certificates from a CA that follows TR-03116-4. */
    SECURE_CA("12-R", "4.1.12", "Secure CA");

    private final String id;
    private final String section;
    private final String title;

    Requirement(String id, String section, String title) {
        this.id = id;
        this.section = section;
        this.title = title;
    }

    /** {@code 05-M}: the short form used in findings ({@code TR-03108-05-M} in the TR). */
    public String id() {
        return id;
    }

    /** {@code TR-03108 4.1.5}. */
    public String section() {
        return "TR-03108 " + section;
    }

    public String title() {
        return title;
    }

    /** A MUST requirement (the ID ends in M), whose failure is CRITICAL. */
    public boolean mandatory() {
        return id.endsWith("-M");
    }

    public static Optional<Requirement> of(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
