package org.mxpolicy.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mxpolicy.desired.MailClientSettings;

/**
 * The request handling of the client configuration hosts, with the same Host and SNI rules as
 * the policy host ({@link PolicyRoutes#forHost}): a path answers only on hosts of its kind.
 *
 * <ul>
 *   <li>{@code autoconfig.<domain>}: {@code GET} (and {@code HEAD}) {@value #AUTOCONFIG_PATH},
 *       with or without the {@code ?emailaddress=} query Thunderbird adds: the same document for
 *       every address, since it names the user {@code %EMAILADDRESS%};
 *   <li>{@code autodiscover.<domain>}: {@code POST} {@value #AUTODISCOVER_PATH} (also with the
 *       capitals some clients use) with the Autodiscover request; the answer names the address
 *       as login. A body that is not a well-formed request for an address of the domain, or is
 *       larger than {@link AutodiscoverRequest#MAX_BYTES}, gets 400.
 * </ul>
 */
public final class ClientConfigRoutes {

    /** Thunderbird's Autoconfig path on {@code autoconfig.<domain>}. */
    public static final String AUTOCONFIG_PATH = "/mail/config-v1.1.xml";
    /** Outlook's Autodiscover (POX) path on {@code autodiscover.<domain>}. */
    public static final String AUTODISCOVER_PATH = "/autodiscover/autodiscover.xml";
    /** The spelling of Exchange's documentation, which some clients copy. */
    static final String AUTODISCOVER_PATH_CAPITALISED = "/Autodiscover/Autodiscover.xml";
    /** XML (RFC 7303) with its charset given, as the document's own declaration says too. */
    public static final String AUTOCONFIG_CONTENT_TYPE = "application/xml; charset=utf-8";
    /**
     * What Exchange answers with, the server Outlook's Autodiscover was built against; RFC 7303
     * registers {@code text/xml} as an alias of {@code application/xml}, so nothing is lost.
     */
    public static final String AUTODISCOVER_CONTENT_TYPE = "text/xml; charset=utf-8";

    private ClientConfigRoutes() {}

    /** The documents and settings of the client configuration hosts, by host name. */
    public record Content(Map<String, byte[]> autoconfig, Map<String, MailClientSettings> autodiscover) {
        public Content {
            autoconfig = Map.copyOf(autoconfig);
            autodiscover = Map.copyOf(autodiscover);
        }

        /** Renders the Autoconfig documents once; Autodiscover answers depend on the request. */
        public static Content of(List<ClientConfigHost> hosts) {
            Map<String, byte[]> autoconfig = new java.util.HashMap<>();
            Map<String, MailClientSettings> autodiscover = new java.util.HashMap<>();
            for (ClientConfigHost host : hosts) {
                switch (host.kind()) {
                    case AUTOCONFIG ->
                        autoconfig.put(
                                host.host(),
                                ClientConfigDocuments.autoconfig(host.settings())
                                        .getBytes(StandardCharsets.UTF_8));
                    case AUTODISCOVER -> autodiscover.put(host.host(), host.settings());
                    case POLICY -> throw new IllegalArgumentException(host.host() + " is a policy host");
                }
            }
            return new Content(autoconfig, autodiscover);
        }
    }

    /**
     * Adds the handlers to a Javalin configuration.
     *
     * @param content asked for each request so that a reload takes effect at once
     */
    public static void register(RoutesConfig routes, Supplier<Content> content) {
        routes.get(AUTOCONFIG_PATH, ctx -> autoconfig(ctx, content.get()));
        routes.head(AUTOCONFIG_PATH, ctx -> autoconfig(ctx, content.get()));
        routes.post(AUTODISCOVER_PATH, ctx -> autodiscover(ctx, content.get()));
        routes.post(AUTODISCOVER_PATH_CAPITALISED, ctx -> autodiscover(ctx, content.get()));
    }

    /** The Allow header for a 405 on one of these paths; empty for other paths. */
    static Optional<String> allowedMethods(String path) {
        if (AUTOCONFIG_PATH.equals(path)) {
            return Optional.of("GET, HEAD");
        }
        if (AUTODISCOVER_PATH.equals(path) || AUTODISCOVER_PATH_CAPITALISED.equals(path)) {
            return Optional.of("POST");
        }
        return Optional.empty();
    }

    private static void autoconfig(Context ctx, Content content) {
        PolicyRoutes.forHost(ctx, content.autoconfig())
                .ifPresent(document ->
                        ctx.status(200).contentType(AUTOCONFIG_CONTENT_TYPE).result(document));
    }

    private static void autodiscover(Context ctx, Content content) throws IOException {
        Optional<MailClientSettings> settings = PolicyRoutes.forHost(ctx, content.autodiscover());
        if (settings.isEmpty()) {
            return;
        }
        String address;
        try {
            address = AutodiscoverRequest.emailAddress(body(ctx), settings.get().domain());
        } catch (AutodiscoverRequest.BadRequest e) {
            PolicyRoutes.plain(ctx.status(400), "bad request: " + e.getMessage());
            return;
        }
        ctx.status(200)
                .contentType(AUTODISCOVER_CONTENT_TYPE)
                .result(ClientConfigDocuments.autodiscover(settings.get(), address)
                        .getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The request body, read up to one byte over the limit: enough to tell that it is too large
     * without reading what an attacker sends beyond it.
     */
    private static byte[] body(Context ctx) throws IOException, AutodiscoverRequest.BadRequest {
        long declared = ctx.req().getContentLengthLong();
        if (declared > AutodiscoverRequest.MAX_BYTES) {
            throw new AutodiscoverRequest.BadRequest("request body over " + AutodiscoverRequest.MAX_BYTES + " bytes");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            return in.readNBytes(AutodiscoverRequest.MAX_BYTES + 1);
        }
    }
}
