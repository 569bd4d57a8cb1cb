package org.mxpolicy.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.mxpolicy.finding.SourcePosition;

/** Binds a domain's {@code tls_rpt}: the report URIs, checked by RFC 8460 and TR-03108. */
final class TlsRptBinder extends SectionBinder {

    static final String TLSRPT_HTTPS = "tlsrpt.https-uri";
    static final String TLSRPT_URI = "tlsrpt.uri";
    static final String TLSRPT_SCHEME = "tlsrpt.uri-scheme";

    private static final List<String> TLS_RPT_KEYS = List.of("rua", "allow_https");

    /** RFC 8460 section 3: these must be percent-encoded inside a report URI. */
    private static final Pattern URI_RESERVED = Pattern.compile("[,;!]");
    /** The local part of a mailbox: RFC 5322 atext and dots, or percent-encoded octets. */
    private static final Pattern LOCAL_PART = Pattern.compile("[A-Za-z0-9.#$%&'*+/=^_`{|}~-]+");

    TlsRptBinder(SectionBinder config) {
        super(config);
    }

    TlsRptSettings tlsRpt(YamlNode.Entry entry) {
        YamlNode.Mapping map = map(entry.value(), "'tls_rpt'", "a map with at least 'rua'", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under tls_rpt", TLS_RPT_KEYS);
        // null when allow_https is present but invalid: https URIs are then neither allowed nor refused
        Boolean allowHttps = keys.get("allow_https") == null ? Boolean.FALSE : bool(keys.get("allow_https"));
        YamlNode.Entry ruaEntry = keys.required(
                "rua", "tls_rpt", "give the address reports go to, as in 'rua: [\"mailto:tlsrpt@example.com\"]'");
        if (ruaEntry == null) {
            return null;
        }
        List<YamlNode.Scalar> items = stringOrList(ruaEntry.value(), "'rua'");
        if (items.isEmpty() && ruaEntry.value() instanceof YamlNode.Sequence) {
            error(EMPTY, ruaEntry.keyPosition(), "'rua' is empty; give at least one mailto: address for reports");
        }
        int before = errorCount();
        List<TlsRptSettings.Uri> uris = new ArrayList<>();
        for (YamlNode.Scalar item : items) {
            String text = string(item, "a report URI");
            if (text != null && reportUri(text.strip(), item.position(), allowHttps)) {
                uris.add(new TlsRptSettings.Uri(text.strip(), item.position()));
            }
        }
        if (uris.isEmpty() || allowHttps == null || errorCount() != before) {
            return null;
        }
        return new TlsRptSettings(uris, allowHttps, entry.keyPosition());
    }

    /** Checks a TLS-RPT report URI (RFC 8460 section 3); true when it may be published. */
    private boolean reportUri(String text, SourcePosition position, Boolean allowHttps) {
        if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
            error(TLSRPT_URI, position, "report URI " + Quoting.quote(text) + " is empty or contains white space");
            return false;
        }
        if (URI_RESERVED.matcher(text).find()) {
            error(
                    TLSRPT_URI,
                    position,
                    "report URI " + Quoting.quote(text) + " contains ',', ';' or '!', which RFC 8460 section 3"
                            + " requires percent-encoded (%2C, %3B, %21)");
            return false;
        }
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? text : text.substring(colon + 1);
        switch (scheme) {
            case "mailto" -> {
                return mailto(text, rest, position);
            }
            case "https" -> {
                if (!httpsUri(text, position) || allowHttps == null) {
                    return false;
                }
                String rule = "TR-03108-10-M requires reports by e-mail (mailto:) only";
                if (allowHttps) {
                    warning(
                            TLSRPT_HTTPS,
                            position,
                            "report URI " + Quoting.quote(text)
                                    + " asks for reports over HTTPS (accepted because of allow_https); " + rule);
                    return true;
                }
                error(
                        TLSRPT_HTTPS,
                        position,
                        "report URI " + Quoting.quote(text) + " asks for reports over HTTPS; " + rule
                                + ": use a mailto: address (or set 'allow_https: true' to publish it anyway)");
                return false;
            }
            default -> {
                String hint = colon < 0 && text.contains("@") ? "; write " + Quoting.quote("mailto:" + text) : "";
                error(
                        TLSRPT_SCHEME,
                        position,
                        "report URI " + Quoting.quote(text) + " "
                                + (colon < 0 ? "has no scheme" : "has the scheme " + Quoting.quote(scheme + ":"))
                                + "; TLS-RPT takes mailto: URIs (RFC 8460 section 3, TR-03108-10-M)" + hint);
                return false;
            }
        }
    }

    private boolean mailto(String text, String address, SourcePosition position) {
        int at = address.lastIndexOf('@');
        String problem = null;
        if (address.contains("?")) {
            problem = "header fields ('?...') are not supported; give the bare address";
        } else if (at <= 0 || at == address.length() - 1) {
            problem = "it needs an address of the form local@domain";
        } else if (!LOCAL_PART.matcher(address.substring(0, at)).matches()) {
            problem = "the local part " + Quoting.quote(address.substring(0, at))
                    + " has characters that need percent-encoding";
        } else {
            problem = DnsNames.problem(DnsNames.normalise(address.substring(at + 1)), 2)
                    .map(p -> "the domain " + Quoting.quote(address.substring(at + 1)) + " is not valid: " + p)
                    .orElse(null);
        }
        if (problem != null) {
            error(
                    TLSRPT_URI,
                    position,
                    "report URI " + Quoting.quote(text) + " is not a valid mailto: URI: " + problem);
            return false;
        }
        return true;
    }

    private boolean httpsUri(String text, SourcePosition position) {
        try {
            URI uri = new URI(text);
            if (uri.getHost() != null && uri.getRawUserInfo() == null) {
                return true;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        error(TLSRPT_URI, position, "report URI " + Quoting.quote(text) + " is not a valid https: URL");
        return false;
    }
}
