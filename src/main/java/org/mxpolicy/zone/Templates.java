package org.mxpolicy.zone;

import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * The Freemarker templates under {@code src/main/resources/templates/}, configured so that the
 * output depends on nothing but the data: fixed locale and time zone, computer number format
 * (no grouping separators in TTLs), and template errors thrown, never printed into the output.
 */
public final class Templates {

    private static final Configuration CONFIGURATION = configure();

    private Templates() {}

    private static Configuration configure() {
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(Templates.class, "/templates");
        cfg.setDefaultEncoding(StandardCharsets.UTF_8.name());
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setNumberFormat("computer");
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setFallbackOnNullLoopVariable(false);
        return cfg;
    }

    /**
     * Renders a template with a data model of maps, lists and strings.
     *
     * @throws IllegalStateException when the template is missing or fails: a bug, not bad input
     */
    public static String render(String name, Map<String, ?> model) {
        try {
            Template template = CONFIGURATION.getTemplate(name);
            StringWriter out = new StringWriter();
            template.process(model, out);
            return out.toString();
        } catch (TemplateException e) {
            throw new IllegalStateException("template " + name + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load template " + name, e);
        }
    }
}
