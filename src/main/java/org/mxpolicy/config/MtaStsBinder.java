package org.mxpolicy.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.record.MtaStsMode;
import org.mxpolicy.record.MxPattern;

/** Binds a domain's {@code mta_sts}: the policy's mode, max_age and mx patterns, and the policy host's certificate. */
final class MtaStsBinder extends SectionBinder {

    static final String MTA_STS_MODE = "mta-sts.mode";
    static final String MTA_STS_MAX_AGE = "mta-sts.max-age";
    static final String MTA_STS_MAX_AGE_SHORT = "mta-sts.max-age-short";
    static final String MTA_STS_MX_PATTERN = "mta-sts.mx-pattern";
    static final String MTA_STS_KEY_PAIR = "mta-sts.cert-key";

    /** RFC 8461 section 3.2: max_age is at most 31557600 seconds (about a year). */
    static final long MAX_MAX_AGE = 31557600L;
    /** Below a day a policy hardly outlives an outage; RFC 8461 section 3.2 suggests weeks. */
    static final long SHORT_MAX_AGE = 86400L;

    private static final List<String> MTA_STS_KEYS = List.of("mode", "max_age", "mx", "cert", "key");
    private static final List<String> MTA_STS_MODES =
            Arrays.stream(MtaStsMode.values()).map(MtaStsMode::keyword).toList();

    MtaStsBinder(SectionBinder config) {
        super(config);
    }

    /**
     * @param domain the domain's name, which replaces {@code {domain}} in the policy host's
     *     certificate and key paths (so that one profile serves every hosted domain); null when the
     *     name was in error
     */
    MtaStsSettings mtaSts(YamlNode.Entry entry, String domain) {
        YamlNode.Mapping map = map(entry.value(), "'mta_sts'", "a map with at least 'mode'", true);
        if (map == null) {
            return null;
        }
        Keys keys = new Keys(map, entry.keyPosition(), "under mta_sts", MTA_STS_KEYS);
        MtaStsMode mode = null;
        YamlNode.Entry modeEntry =
                keys.required("mode", "mta_sts", "add 'mode: enforce', 'mode: testing' or 'mode: none'");
        if (modeEntry != null) {
            String text = string(modeEntry.value(), "'mode'");
            if (text != null && MtaStsMode.fromKeyword(text).isPresent()) {
                mode = MtaStsMode.fromKeyword(text).get();
            } else if (text != null) {
                error(
                        MTA_STS_MODE,
                        modeEntry.value().position(),
                        "'mode' must be enforce, testing or none, found " + Quoting.quote(text)
                                + didYouMean(text, MTA_STS_MODES));
            }
        }
        long maxAge = optional(keys.get("max_age"), this::maxAge, MtaStsSettings.DEFAULT_MAX_AGE);
        List<MtaStsSettings.Pattern> patterns = new ArrayList<>();
        YamlNode.Entry mxEntry = keys.get("mx");
        if (mxEntry != null) {
            for (YamlNode.Scalar item : stringOrList(mxEntry.value(), "'mx'")) {
                String text = string(item, "an mx pattern");
                if (text != null) {
                    mxPattern(text, item.position()).ifPresent(patterns::add);
                }
            }
        }
        Optional<FileReference> cert = Optional.ofNullable(keys.get("cert"))
                .map(e -> file(e.value(), "'cert'"))
                .map(f -> forDomain(f, domain));
        Optional<FileReference> key = Optional.ofNullable(keys.get("key"))
                .map(e -> file(e.value(), "'key'"))
                .map(f -> forDomain(f, domain));
        if (keys.get("cert") != null && keys.get("key") == null) {
            error(
                    MTA_STS_KEY_PAIR,
                    keys.get("cert").keyPosition(),
                    "mta_sts has 'cert' but no 'key';"
                            + " the policy server needs both, so add the private key file as 'key'");
        } else if (keys.get("key") != null && keys.get("cert") == null) {
            error(
                    MTA_STS_KEY_PAIR,
                    keys.get("key").keyPosition(),
                    "mta_sts has 'key' but no 'cert';"
                            + " the policy server needs both, so add the certificate chain file as 'cert'");
        }
        if (mode == null) {
            return null;
        }
        return new MtaStsSettings(mode, maxAge, patterns, cert, key, entry.keyPosition());
    }

    private static FileReference forDomain(FileReference file, String domain) {
        return domain == null
                ? file
                : new FileReference(file.path().replace(DomainsBinder.DOMAIN_PLACEHOLDER, domain), file.position());
    }

    private Long maxAge(YamlNode.Entry entry) {
        Long value = integer(
                entry, MTA_STS_MAX_AGE, 0, MAX_MAX_AGE, "seconds from 0 to " + MAX_MAX_AGE + " (RFC 8461 section 3.2)");
        if (value != null && value < SHORT_MAX_AGE) {
            warning(
                    MTA_STS_MAX_AGE_SHORT,
                    entry.value().position(),
                    "max_age " + value
                            + " is less than a day; senders forget the policy that soon after they last fetched it,"
                            + " and RFC 8461 section 3.2 recommends weeks, such as 604800");
        }
        return value;
    }

    /** An {@code mx} pattern, checked by the rules of {@link MxPattern} (RFC 8461 section 4.1). */
    private Optional<MtaStsSettings.Pattern> mxPattern(String text, SourcePosition position) {
        try {
            return Optional.of(new MtaStsSettings.Pattern(MxPattern.parse(text).toString(), position));
        } catch (IllegalArgumentException e) {
            error(
                    MTA_STS_MX_PATTERN,
                    position,
                    "mx pattern " + Quoting.quote(text) + " is not valid: " + e.getMessage());
            return Optional.empty();
        }
    }
}
