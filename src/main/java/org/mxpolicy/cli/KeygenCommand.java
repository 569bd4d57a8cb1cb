package org.mxpolicy.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.mxpolicy.dnssec.DnssecAlgorithm;
import org.mxpolicy.dnssec.KeyGenerator;
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
            "with --zsk (flags 256: signs everything else), of the same algorithm."
        },
        footer = {
            "",
            "Examples:",
            "  mxpolicy keygen --zone example.com -K /etc/mxpolicy/keys",
            "  mxpolicy keygen --zone example.com -K keys --algorithm ED25519",
            "  mxpolicy keygen --zone example.com -K keys --ksk",
            "  mxpolicy keygen --zone example.com -K keys --zsk",
            "  mxpolicy keygen --zone example.com -K keys -a RSASHA256 --bits 3072",
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
        KeyDirectory keys = new KeyDirectory(dir);
        KeyGenerator generator = new KeyGenerator(random);
        Instant now = clock.instant();
        for (int i = 0; i < TRIES; i++) {
            ZoneKey key = generator.generate(zoneName, alg, flags, rsaBits, ttl);
            if (keys.exists(key)) {
                continue; // a key tag already used in DIR for this zone and algorithm: make another key
            }
            Path written = keys.write(key, now);
            var out = spec.commandLine().getOut();
            out.println(key.baseName());
            out.flush();
            spec.commandLine()
                    .getErr()
                    .println("mxpolicy: wrote " + written + " and " + key.baseName() + ".private (" + role() + ", "
                            + alg.mnemonic() + ", key tag " + key.keyTag() + ")");
            return 0;
        }
        throw new InvalidInputException(
                "keygen.collision",
                null,
                "every new key collided with an existing key tag in " + dir + "; remove unused keys");
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
