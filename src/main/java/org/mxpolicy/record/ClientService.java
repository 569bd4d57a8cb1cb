package org.mxpolicy.record;

/**
 * The client services of RFC 6186 and RFC 8314, with their SRV service labels and default ports.
 * Implicit-TLS services come first: TR-03108-01-M wants them offered and preferred.
 */
public enum ClientService {
    /** Message submission over implicit TLS (RFC 8314 section 5.1). */
    SUBMISSIONS("submissions", "_submissions", 465, true),
    IMAPS("imaps", "_imaps", 993, true),
    POP3S("pop3s", "_pop3s", 995, true),
    /** Message submission with STARTTLS (RFC 6186 section 3.1). */
    SUBMISSION("submission", "_submission", 587, false),
    IMAP("imap", "_imap", 143, false),
    POP3("pop3", "_pop3", 110, false);

    private final String configKey;
    private final String srvLabel;
    private final int defaultPort;
    private final boolean implicitTls;

    ClientService(String configKey, String srvLabel, int defaultPort, boolean implicitTls) {
        this.configKey = configKey;
        this.srvLabel = srvLabel;
        this.defaultPort = defaultPort;
        this.implicitTls = implicitTls;
    }

    /** The key under {@code client_services:} in the config. */
    public String configKey() {
        return configKey;
    }

    /** The service label of the SRV owner name, e.g. {@code _imaps}. */
    public String srvLabel() {
        return srvLabel;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public boolean implicitTls() {
        return implicitTls;
    }

    public static java.util.Optional<ClientService> byConfigKey(String key) {
        for (ClientService s : values()) {
            if (s.configKey.equals(key)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
