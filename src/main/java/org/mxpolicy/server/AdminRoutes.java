package org.mxpolicy.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.mxpolicy.status.StatusPages;
import org.mxpolicy.status.StatusSite;

/**
 * The status pages on the admin listener: {@code /} (the overview, with its query parameters),
 * {@code /tr-03108}, {@code /domain/NAME}, {@code /mx/HOST} and the stylesheet. Thin: the pages are rendered by
 * {@link StatusSite}.
 */
final class AdminRoutes {

    static final String HTML = "text/html; charset=utf-8";

    private AdminRoutes() {}

    static void register(RoutesConfig routes, StatusSite site) {
        for (var add : java.util.List.<Adder>of(routes::get, routes::head)) {
            add.route("/", ctx -> page(ctx, site.overview(ctx.queryParamMap())));
            add.route("/tr-03108", ctx -> page(ctx, site.tr03108(ctx.queryParamMap())));
            add.route("/domain/{name}", ctx -> page(ctx, site.domain(ctx.pathParam("name"))));
            add.route("/mx/{host}", ctx -> page(ctx, site.host(ctx.pathParam("host"))));
            add.route(
                    StatusPages.STYLESHEET_PATH,
                    ctx -> ctx.contentType("text/css; charset=utf-8").result(StatusPages.stylesheet()));
        }
    }

    /** {@code routes::get} or {@code routes::head}. */
    private interface Adder {
        void route(String path, io.javalin.http.Handler handler);
    }

    private static void page(Context ctx, StatusSite.Page page) {
        ctx.status(page.status()).contentType(HTML).result(page.html());
    }
}
