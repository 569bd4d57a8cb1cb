package org.mxpolicy.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyGenerator;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.files.KeyDirectory;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.xbill.DNS.Name;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mxpolicy keygen}: a new DNSSEC key pair in BIND's key file format. */
@Command(
        name = "keygen",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Make a DNSSEC key pair for a zone, in BIND's key file format.",
            "",
            "Writes DIR/K<zone>+<alg>+<tag>.key (the DNSKEY record) and",
            "DIR/K<zone>+<alg>+<tag>.private (the private key, mode 0600), the files",
            "dnssec-keygen writes: BIND and ldns sign with them too. Prints the key's",
            "base name on stdout.",
            "",
            "By default the key is a combined signing key (CSK, flags 257): it signs the",
            "whole zone, and its DS goes to the parent. For split keys make one key with",
            "--ksk (flags 257: signs the DNSKEY set, its DS goes to the parent) and one",
            "with --zsk (flags 256: signs everything else), of the same algorithm.",
            "",
            "--publish, --activate, --inactive and --delete write BIND's timing fields;",
            "sign follows them: published keys are in the DNSKEY set, only active ones sign."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy keygen --zone example.com -K /etc/mxpolicy/keys",
            "  mxpolicy keygen --zone example.com -K keys --algorithm ED25519",
            "  mxpolicy keygen --zone example.com -K keys --ksk",
            "  mxpolicy keygen --zone example.com -K keys --zsk",
            "  mxpolicy keygen --zone example.com -K keys -a RSASHA256 --bits 3072",
            "  mxpolicy keygen --zone example.com -K keys --zsk --publish now --activate +30d    # a successor ZSK",
            "  mxpolicy keygen --zone example.com -K keys --zsk --inactive +90d --delete +100d",
            "  mxpolicy ds --zone example.com -K keys    # then: the DS for the parent"
        })
final class KeygenCommand implements Callable<Integer> {

    /** Tries before giving up when new keys keep colliding with existing key tags (1 in 65536 each). */
    private static final int TRIES = 16;

    @Option(
            names = {"-z", "--zone"},
            required = true,
            paramLabel = "ZONE",
            description = "The zone the key is for.")
    private String zone;

    @Option(names = "-K", required = true, paramLabel = "DIR", description = "Directory for the key files; must exist.")
    private Path dir;

    @Option(
            names = {"-a", "--algorithm"},
            paramLabel = "ALGORITHM",
            defaultValue = "ECDSAP256SHA256",
            description = "ECDSAP256SHA256 (13, default), ED25519 (15) or RSASHA256 (8); names or numbers.")
    private String algorithm;

    @ArgGroup(exclusive = true)
    private Role role;

    static final class Role {
        @Option(names = "--ksk", required = true, description = "Make a key-signing key (flags 257) of a KSK/ZSK pair.")
        boolean ksk;

        @Option(
                names = "--zsk",
                required = true,
                description = "Make a zone-signing key (flags 256) of a KSK/ZSK pair.")
        boolean zsk;
    }

    @Option(
            names = {"-b", "--bits"},
            paramLabel = "BITS",
            description = "RSA modulus size, " + KeyGenerator.MIN_RSA_BITS + ".." + KeyGenerator.MAX_RSA_BITS
                    + " (default " + KeyGenerator.DEFAULT_RSA_BITS + "); RSASHA256 only.")
    private Integer bits;

    @Option(
            names = "--ttl",
            paramLabel = "SECONDS",
            defaultValue = "3600",
            description = "TTL of the DNSKEY record (default: ${DEFAULT-VALUE}).")
    private long ttl;

    @Option(
            names = "--publish",
            paramLabel = "TIME",
            description = "When the DNSKEY is published (default: now), as dnssec-keygen -P. TIME: "
                    + "YYYYMMDDHHMMSS (UTC), YYYYMMDD, now, an offset from now (+30d, -12h, now+1w; "
                    + "units y, mo, w, d, h, mi, s) or none.")
    private String publish;

    @Option(
            names = "--activate",
            paramLabel = "TIME",
            description = "When the key starts signing (default: now), as dnssec-keygen -A; none: never.")
    private String activate;

    @Option(
            names = "--inactive",
            paramLabel = "TIME",
            description = "When the key stops signing; it stays published (default: none), as dnssec-keygen -I.")
    private String inactive;

    @Option(
            names = "--delete",
            paramLabel = "TIME",
            description = "When the DNSKEY leaves the zone (default: none), as dnssec-keygen -D.")
    private String delete;

    @Spec
    private CommandSpec spec;

    private final Clock clock;
    private final SecureRandom random;

    KeygenCommand(Clock clock) {
        this(clock, new SecureRandom());
    }

    KeygenCommand(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    @Override
    public Integer call() throws MxpolicyException {
        Name zoneName = KeyDirectory.zoneName(zone);
        DnssecAlgorithm alg = algorithm(algorithm);
        int rsaBits = rsaBits(alg);
        if (ttl < 0 || ttl > Integer.MAX_VALUE) {
            throw new InvalidInputException(
                    "keygen.ttl", null, "--ttl must be 0.." + Integer.MAX_VALUE + ", not " + ttl);
        }
        int flags = role != null && role.zsk ? ZoneKey.FLAGS_ZSK : ZoneKey.FLAGS_KSK;
        Instant now = clock.instant();
        KeyTiming timing = timing(now);
        KeyDirectory keys = new KeyDirectory(dir);
        KeyGenerator generator = new KeyGenerator(random);
        // as dnssec-keygen: a key whose tag, or whose tag once revoked (RFC 5011), is another key's
        // tag either way would make signatures of one look like the other's
        Set<Integer> taken = new HashSet<>();
        for (ZoneKey other : keys.loadPublic(zoneName)) {
            if (other.algorithm() == alg) {
                taken.add(other.keyTag());
                taken.add(other.revoked().keyTag());
            }
        }
        for (int i = 0; i < TRIES; i++) {
            ZoneKey key = generator.generate(zoneName, alg, flags, rsaBits, ttl).withTiming(timing);
            if (keys.exists(key)
                    || taken.contains(key.keyTag())
                    || taken.contains(key.revoked().keyTag())) {
                continue; // a key tag already used in DIR for this zone and algorithm: make another key
            }
            Path written = keys.write(key);
            var out = spec.commandLine().getOut();
            out.println(key.baseName());
            out.flush();
            spec.commandLine()
                    .getErr()
                    .println("mxpolicy: wrote " + written + " and " + key.baseName() + ".private (" + role() + ", "
                            + alg.mnemonic() + ", key tag " + key.keyTag() + "; " + timing.describe(now) + ")");
            return 0;
        }
        throw new InvalidInputException(
                "keygen.collision",
                null,
                "every new key collided with an existing key tag in " + dir + "; remove unused keys");
    }

    /**
     * Created now; published and active now unless told otherwise, as dnssec-keygen does. Times
     * out of order are refused: a key active before its DNSKEY is published, or deleted while it
     * still signs, would break validation.
     */
    private KeyTiming timing(Instant now) throws InvalidInputException {
        Optional<Instant> published = setting("--publish", publish, now);
        Optional<Instant> active = setting("--activate", activate, now);
        Optional<Instant> retired = inactive == null ? Optional.empty() : setting("--inactive", inactive, now);
        Optional<Instant> deleted = delete == null ? Optional.empty() : setting("--delete", delete, now);
        if (published.isEmpty() && active.isEmpty()) {
            throw new InvalidInputException(
                    "keygen.timing", null, "--publish none with --activate none makes a key that is never used");
        }
        order("--publish", published, "--activate", active, false);
        order("--activate", active, "--inactive", retired, true);
        order("--inactive", retired, "--delete", deleted, true);
        order("--activate", active, "--delete", deleted, true);
        order("--publish", published, "--delete", deleted, true);
        return KeyTiming.NONE
                .with(KeyTiming.Event.CREATED, now)
                .with(KeyTiming.Event.PUBLISH, published)
                .with(KeyTiming.Event.ACTIVATE, active)
                .with(KeyTiming.Event.INACTIVE, retired)
                .with(KeyTiming.Event.DELETE, deleted);
    }

    private static Optional<Instant> setting(String option, String text, Instant now) throws InvalidInputException {
        try {
            return KeyTiming.parseSetting(text == null ? "now" : text, now);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("keygen.timing", null, option + " " + e.getMessage());
        }
    }

    private static void order(
            String earlierOption,
            Optional<Instant> earlier,
            String laterOption,
            Optional<Instant> later,
            boolean strict)
            throws InvalidInputException {
        if (earlier.isEmpty() || later.isEmpty()) {
            return;
        }
        if (later.get().isBefore(earlier.get()) || (strict && later.get().equals(earlier.get()))) {
            throw new InvalidInputException(
                    "keygen.timing",
                    null,
                    laterOption + " (" + later.get() + ") must be after " + earlierOption + " (" + earlier.get() + ")");
        }
    }

    private String role() {
        if (role == null) {
            return "combined signing key";
        }
        return role.ksk ? "key-signing key" : "zone-signing key";
    }

    static DnssecAlgorithm algorithm(String text) throws InvalidInputException {
        return DnssecAlgorithm.parse(text)
                .orElseThrow(() -> new InvalidInputException(
                        "keygen.algorithm",
                        null,
                        "--algorithm " + text + " is not supported; use one of "
                                + Arrays.stream(DnssecAlgorithm.values())
                                        .map(a -> a.mnemonic() + " (" + a.number() + ")")
                                        .collect(Collectors.joining(", "))));
    }

    private int rsaBits(DnssecAlgorithm alg) throws InvalidInputException {
        if (bits == null) {
            return KeyGenerator.DEFAULT_RSA_BITS;
        }
        if (alg != DnssecAlgorithm.RSASHA256) {
            throw new InvalidInputException(
                    "keygen.bits",
                    null,
                    "--bits applies to RSASHA256 only; " + alg.mnemonic() + " keys have a fixed size");
        }
        if (bits < KeyGenerator.MIN_RSA_BITS || bits > KeyGenerator.MAX_RSA_BITS) {
            throw new InvalidInputException(
                    "keygen.bits",
                    null,
                    "--bits must be " + KeyGenerator.MIN_RSA_BITS + ".."
                            + KeyGenerator.MAX_RSA_BITS + ", not " + bits
                            + (bits < KeyGenerator.MIN_RSA_BITS
                                    ? " (shorter RSA keys are no longer safe)"
                                    : " (RFC 3110 limit)"));
        }
        return bits;
    }
}
