package org.mxpolicy.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mxpolicy.desired.MailClientSettings;
import org.mxpolicy.desired.MailClientSettings.MailServer;
import org.mxpolicy.zone.Templates;

/**
 * Renders a domain's {@link MailClientSettings} as the documents mail clients fetch to configure
 * themselves (templates {@code autoconfig.ftlx} and {@code autodiscover.ftlx}, XML-escaped).
 *
 * <p>Both formats describe password authentication over TLS: the password travels only inside
 * the TLS connection, implicit or after STARTTLS, never in clear.
 */
public final class ClientConfigDocuments {

    private ClientConfigDocuments() {}

    /**
     * The Thunderbird Autoconfig document (clientConfig version 1.1). The user name is
     * {@code %EMAILADDRESS%}, which the client replaces with the address being set up, so one
     * document serves every address of the domain.
     */
    public static String autoconfig(MailClientSettings settings) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("domain", settings.domain());
        model.put(
                "incoming",
                servers(
                        settings.incoming(),
                        server -> Map.of(
                                "type",
                                server.protocol().name().toLowerCase(Locale.ROOT),
                                "socketType",
                                server.implicitTls() ? "SSL" : "STARTTLS")));
        model.put(
                "outgoing",
                servers(
                        settings.outgoing(),
                        server -> Map.of("type", "smtp", "socketType", server.implicitTls() ? "SSL" : "STARTTLS")));
        return Templates.render("autoconfig.ftlx", model);
    }

    /**
     * The Outlook Autodiscover (POX) response for one address: the incoming servers, then the
     * outgoing ones, each with the address as login name.
     *
     * <p>{@code Encryption} is {@code SSL} for implicit TLS and {@code TLS} for STARTTLS
     * ([MS-OXDSCLI], the Encryption element, which takes precedence over {@code SSL}). {@code SSL} is
     * {@code on} for both: a client that only knows {@code SSL} must never read "off", which to it
     * means sending the password without TLS.
     *
     * @param address an address of the domain, already validated by {@link AutodiscoverRequest}
     */
    public static String autodiscover(MailClientSettings settings, String address) {
        List<MailServer> all = new ArrayList<>(settings.incoming());
        all.addAll(settings.outgoing());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("address", address);
        model.put(
                "protocols",
                servers(
                        all,
                        server -> Map.of(
                                "type", server.protocol().name(), "encryption", server.implicitTls() ? "SSL" : "TLS")));
        return Templates.render("autodiscover.ftlx", model);
    }

    private static List<Map<String, String>> servers(
            List<MailServer> servers, java.util.function.Function<MailServer, Map<String, String>> extra) {
        List<Map<String, String>> out = new ArrayList<>();
        for (MailServer server : servers) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("host", server.host());
            entry.put("port", String.valueOf(server.port()));
            entry.putAll(extra.apply(server));
            out.add(entry);
        }
        return out;
    }
}
