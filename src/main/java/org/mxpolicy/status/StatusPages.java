package org.mxpolicy.status;

import freemarker.cache.ClassTemplateLoader;
import freemarker.core.HTMLOutputFormat;
import freemarker.template.Configuration;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * Renders the status pages from the {@code .ftlh} templates under {@code templates/}. Every
 * template is HTML with auto-escaping, whatever its name: a value is written as text, never as
 * markup, unless a template marks it otherwise (none does). The shared layout
 * ({@code page/layout.ftlh}) and stylesheet ({@code page/style.css}) are for any report of the
 * project.
 */
public final class StatusPages {

    /** The stylesheet's path on the admin listener. */
    public static final String STYLESHEET_PATH = "/style.css";

    private static final Configuration FREEMARKER = configuration();
    private static final String STYLESHEET = resource("/templates/page/style.css");

    private StatusPages() {}

    /** The shared stylesheet. */
    public static String stylesheet() {
        return STYLESHEET;
    }

    /**
     * Renders a template with its model. {@code root} leads from the page back to the overview
     * ({@code ""} or {@code "../"}); {@code inlineStyle} puts the stylesheet in the page (a file
     * that must stand alone) instead of linking it.
     */
    static String render(String template, Map<String, Object> model, String root, boolean inlineStyle) {
        Map<String, Object> m = new HashMap<>(model);
        m.put("root", root);
        m.put("inlineStyle", inlineStyle ? STYLESHEET : "");
        m.put("standalone", inlineStyle);
        try {
            StringWriter out = new StringWriter(64 * 1024);
            FREEMARKER.getTemplate(template).process(m, out);
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TemplateException e) {
            throw new IllegalStateException("template " + template + ": " + e.getMessage(), e);
        }
    }

    private static Configuration configuration() {
        Configuration c = new Configuration(Configuration.VERSION_2_3_34);
        c.setTemplateLoader(new ClassTemplateLoader(StatusPages.class, "/templates"));
        c.setOutputFormat(HTMLOutputFormat.INSTANCE);
        c.setRecognizeStandardFileExtensions(true);
        c.setAutoEscapingPolicy(Configuration.ENABLE_IF_SUPPORTED_AUTO_ESCAPING_POLICY);
        c.setDefaultEncoding("UTF-8");
        c.setURLEscapingCharset("UTF-8");
        c.setLocale(Locale.ROOT);
        c.setTimeZone(TimeZone.getTimeZone("UTC"));
        c.setNumberFormat("computer");
        c.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        c.setLogTemplateExceptions(false);
        c.setWrapUncheckedExceptions(true);
        c.setFallbackOnNullLoopVariable(false);
        return c;
    }

    private static String resource(String name) {
        try (InputStream in = StatusPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
