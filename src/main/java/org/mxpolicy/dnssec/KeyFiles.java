package org.mxpolicy.dnssec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.TTL;
import org.xbill.DNS.TextParseException;

/**
 * DNSSEC key files in the format of BIND's {@code dnssec-keygen} (also written and read by
 * ldns): {@code K<zone>+<alg>+<tag>.key} holds the DNSKEY record in zone-file syntax,
 * {@code K<zone>+<alg>+<tag>.private} the private key as {@code Field: value} lines
 * ({@code Private-key-format: v1.3}), numbers and keys in base64.
 *
 * <p>Loading checks that the private key belongs to the public key by deriving the public key
 * from the private one. Only the algorithms of {@link DnssecAlgorithm} are accepted. Messages
 * name the file and line and never contain key material.
 *
 * <p>Pure: readers and writers in, values out; the command line turns paths into streams.
 */
public final class KeyFiles {

    /** The largest key file read: a 4096-bit RSA key in BIND's format is under 4 KiB. */
    public static final InputLimit SIZE_LIMIT = new InputLimit("DNSSEC key file", "dnssec.key-size", 64 * 1024);

    /** TTL given to a DNSKEY whose {@code .key} file names none (ldns and BIND write none by default). */
    public static final long DEFAULT_TTL = 3600;

    /** The private-key format version written, as BIND 9.18 writes it. */
    static final String FORMAT_VERSION = "v1.3";

    /**
     * Field names of BIND's {@code .private} key material for RSA, in file order (BIND's
     * {@code dst_parse.c}; the numbers of RFC 8017 section 3.2).
     */
    private static final List<String> RSA_FIELDS = List.of(
            "Modulus",
            "PublicExponent",
            "PrivateExponent",
            "Prime1",
            "Prime2",
            "Exponent1",
            "Exponent2",
            "Coefficient");
    /** The field holding an ECDSA scalar or an EdDSA seed (RFC 6605 section 6, RFC 8080 section 6). */
    private static final String PRIVATE_KEY_FIELD = "PrivateKey";

    private static final String FORMAT_FIELD = "Private-key-format";
    /** Fields that mean the key material is held elsewhere (an HSM through PKCS#11 or an OpenSSL engine). */
    private static final List<String> EXTERNAL_KEY_FIELDS = List.of("Engine", "Label");

    private static final Pattern FIELD = Pattern.compile("([A-Za-z][A-Za-z0-9_-]*):[ \\t]*(.*)");
    private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.(\\d+)");
    private static final Pattern ALGORITHM = Pattern.compile("(\\d+)(?:\\s*\\(([^)]*)\\))?");
    /** A timing line of BIND's {@code .key} comment header: {@code ; Publish: 20261207120000 (...)}. */
    private static final Pattern COMMENT_TIME = Pattern.compile(";\\s*([A-Za-z]+):\\s*(\\S+)(?:\\s.*)?");

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** {@code ctime(3)}'s form, which BIND adds to the timestamps in {@code .key} comments. */
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private static final int P256_SCALAR_BYTES = 32;
    private static final int P256_PUBLIC_BYTES = 64;
    private static final int ED25519_BYTES = 32;

    private KeyFiles() {}

    // ---------------------------------------------------------------------------------------
    // Reading

    /**
     * Reads a {@code .key} file: one DNSKEY record in zone-file syntax, with {@code ;} comments.
     * The owner name is the zone. Without a TTL in the file the DNSKEY gets {@link #DEFAULT_TTL}.
     *
     * @param source the file name used in messages
     * @return the key without its private part
     * @throws InvalidInputException when the file holds no DNSKEY or more than one, the record is
     *     malformed, or its algorithm is not one mxpolicy signs with
     */
    public static ZoneKey readPublicKey(Reader in, String source) throws InvalidInputException {
        List<String> lines = readLines(in, source);
        KeyTiming timing = commentTiming(lines, source);
        List<LogicalRecord> records = logicalRecords(lines, source);
        if (records.isEmpty()) {
            throw new InvalidInputException(
                    "key.bad-format",
                    SourcePosition.file(source),
                    "holds no DNSKEY record; a .key file holds one line 'ZONE. [TTL] IN DNSKEY FLAGS 3 ALGORITHM KEY'");
        }
        if (records.size() > 1) {
            throw new InvalidInputException(
                    "key.bad-format",
                    SourcePosition.at(source, records.get(1).line(), 0),
                    "holds more than one record; a .key file holds exactly one DNSKEY record");
        }
        DNSKEYRecord dnskey = parseDnskey(records.get(0), source);
        SourcePosition where = SourcePosition.at(source, records.get(0).line(), 0);
        DnssecAlgorithm algorithm = supportedAlgorithm(dnskey.getAlgorithm(), where);
        checkPublicKey(dnskey, algorithm, where);
        PublicKey publicKey;
        try {
            publicKey = dnskey.getPublicKey();
        } catch (DNSSEC.DNSSECException e) {
            throw new InvalidInputException(
                    "key.bad-format", where, "the public key is not a valid " + algorithm.mnemonic() + " key");
        }
        return new ZoneKey(dnskey.getName(), dnskey, algorithm, publicKey, Optional.empty(), timing);
    }

    /**
     * The timing BIND writes into the {@code .key} file's comment header ({@code ; Publish:
     * 20261207120000 (Mon Dec  7 12:00:00 2026)}); what a public-only key has to go by.
     */
    private static KeyTiming commentTiming(List<String> lines, String source) throws InvalidInputException {
        KeyTiming timing = KeyTiming.NONE;
        List<Finding> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = COMMENT_TIME.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            Optional<KeyTiming.Event> event = KeyTiming.Event.ofField(m.group(1));
            if (event.isEmpty()) {
                continue;
            }
            try {
                timing = timing.with(event.get(), KeyTiming.parse(m.group(2)));
            } catch (IllegalArgumentException e) {
                problems.add(Finding.error(
                        "key.bad-timing",
                        SourcePosition.at(source, i + 1, 0),
                        "the " + m.group(1) + " time " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return timing;
    }

    /**
     * Reads a {@code .private} file for a key read with {@link #readPublicKey} and checks that
     * the private key belongs to it. {@code Private-key-format} v1.x is accepted. The timing
     * fields ({@code Created:}, {@code Publish:}, {@code Activate:}, {@code Revoke:},
     * {@code Inactive:}, {@code Delete:}, {@code SyncPublish:}, {@code SyncDelete:}) become the
     * key's {@link KeyTiming}, in place of the {@code .key} file's comments when there are any;
     * other fields not needed for signing are ignored.
     *
     * @param publicKey the key from the matching {@code .key} file
     * @param source the file name used in messages
     * @return {@code publicKey} with its private key
     * @throws InvalidInputException when the file is malformed, is for another algorithm, or
     *     holds a private key that does not match {@code publicKey} ({@code key.mismatch})
     */
    public static ZoneKey readPrivateKey(ZoneKey publicKey, Reader in, String source) throws InvalidInputException {
        List<String> lines = readLines(in, source);
        checkFormatLine(lines, source);
        Map<String, Field> fields = new LinkedHashMap<>();
        List<Finding> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            Matcher m = FIELD.matcher(line);
            SourcePosition where = SourcePosition.at(source, i + 1, 0);
            if (!m.matches()) {
                // the line may hold key material: never quote it
                problems.add(Finding.error("key.bad-format", where, "is not a 'Field: value' line"));
                continue;
            }
            Field field = new Field(m.group(1), m.group(2).strip(), where);
            if (fields.putIfAbsent(field.name(), field) != null) {
                problems.add(Finding.error("key.bad-format", where, "repeats the field " + field.name()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        checkFormatVersion(fields.get(FORMAT_FIELD));
        for (String external : EXTERNAL_KEY_FIELDS) {
            Field f = fields.get(external);
            if (f != null) {
                throw new InvalidInputException(
                        "key.unsupported-storage",
                        f.position(),
                        "names a key held in an HSM or OpenSSL engine (" + external
                                + ":); mxpolicy signs with key material in the file only");
            }
        }
        KeyTiming timing = fieldTiming(fields);
        Field algorithmField = require(fields, "Algorithm", source);
        DnssecAlgorithm algorithm = privateFileAlgorithm(algorithmField);
        if (algorithm != publicKey.algorithm()) {
            throw new InvalidInputException(
                    "key.mismatch",
                    algorithmField.position(),
                    "is for algorithm " + algorithm.number() + " (" + algorithm.mnemonic() + "), but the DNSKEY of "
                            + publicKey.baseName() + " is algorithm "
                            + publicKey.algorithm().number() + " ("
                            + publicKey.algorithm().mnemonic() + ")");
        }
        PrivateKey privateKey = switch (algorithm) {
            case RSASHA256 -> rsaPrivateKey(publicKey, fields, source);
            case ECDSAP256SHA256 -> ecdsaPrivateKey(publicKey, fields, source);
            case ED25519 -> ed25519PrivateKey(publicKey, fields, source);
        };
        return new ZoneKey(
                publicKey.zone(),
                publicKey.dnskey(),
                publicKey.algorithm(),
                publicKey.publicKey(),
                Optional.of(privateKey),
                // the .private file is where BIND keeps the timing it goes by; the .key comments are a copy
                timing.times().isEmpty() ? publicKey.timing() : timing);
    }

    /** The timing fields of a {@code .private} file; a malformed time is an error naming its line. */
    private static KeyTiming fieldTiming(Map<String, Field> fields) throws InvalidInputException {
        KeyTiming timing = KeyTiming.NONE;
        List<Finding> problems = new ArrayList<>();
        for (KeyTiming.Event event : KeyTiming.Event.values()) {
            Field f = fields.get(event.field());
            if (f == null) {
                continue;
            }
            try {
                timing = timing.with(event, KeyTiming.parse(f.value()));
            } catch (IllegalArgumentException e) {
                problems.add(Finding.error(
                        "key.bad-timing", f.position(), "the " + event.field() + " time " + e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return timing;
    }

    /** Reads a key pair: the {@code .key} file, then the {@code .private} file checked against it. */
    public static ZoneKey read(Reader keyFile, String keySource, Reader privateFile, String privateSource)
            throws InvalidInputException {
        return readPrivateKey(readPublicKey(keyFile, keySource), privateFile, privateSource);
    }

    private static List<String> readLines(Reader in, String source) throws InvalidInputException {
        try (BufferedReader reader = new BufferedReader(in)) {
            return reader.lines().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidInputException(
                    "input.unreadable", SourcePosition.file(source), "cannot read: " + e.getMessage());
        }
    }

    /** A record of the {@code .key} file: its tokens, joined across parentheses, and its first line. */
    private record LogicalRecord(int line, List<String> tokens) {}

    /**
     * Splits zone-file text into records (RFC 1035 section 5.1): {@code ;} starts a comment,
     * parentheses continue a record over lines. Directives ({@code $TTL}, {@code $INCLUDE}) have
     * no place in a key file and are refused rather than followed.
     */
    private static List<LogicalRecord> logicalRecords(List<String> lines, String source) throws InvalidInputException {
        List<LogicalRecord> records = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        int start = 0;
        int depth = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf(';');
            String text = comment < 0 ? line : line.substring(0, comment);
            if (text.contains("\"")) {
                throw new InvalidInputException(
                        "key.bad-format",
                        SourcePosition.at(source, i + 1, text.indexOf('"') + 1),
                        "has a quoted string; a DNSKEY record has none");
            }
            if (depth == 0 && text.strip().startsWith("$")) {
                throw new InvalidInputException(
                        "key.bad-format",
                        SourcePosition.at(source, i + 1, 1),
                        "has a zone-file directive; a .key file holds only the DNSKEY record");
            }
            for (String token :
                    text.replace("(", " ( ").replace(")", " ) ").trim().split("\\s+", -1)) {
                if (token.isEmpty()) {
                    continue;
                }
                if (token.equals("(")) {
                    depth++;
                } else if (token.equals(")")) {
                    if (--depth < 0) {
                        throw new InvalidInputException(
                                "key.bad-format", SourcePosition.at(source, i + 1, 0), "has a ')' without '('");
                    }
                } else {
                    if (tokens.isEmpty()) {
                        start = i + 1;
                    }
                    tokens.add(token);
                }
            }
            if (depth == 0 && !tokens.isEmpty()) {
                records.add(new LogicalRecord(start, List.copyOf(tokens)));
                tokens.clear();
            }
        }
        if (depth > 0) {
            throw new InvalidInputException(
                    "key.bad-format", SourcePosition.at(source, start, 0), "has a '(' that is never closed");
        }
        return records;
    }

    /** {@code owner [TTL] [IN] DNSKEY flags protocol algorithm key...}; TTL and class in either order. */
    private static DNSKEYRecord parseDnskey(LogicalRecord record, String source) throws InvalidInputException {
        SourcePosition where = SourcePosition.at(source, record.line(), 0);
        List<String> t = record.tokens();
        Name owner;
        try {
            owner = Name.fromString(t.get(0), Name.root);
        } catch (TextParseException e) {
            throw new InvalidInputException("key.bad-format", where, "'" + t.get(0) + "' is not a valid zone name");
        }
        long ttl = -1;
        int i = 1;
        for (; i < t.size() && i <= 2; i++) {
            String token = t.get(i);
            if (token.equalsIgnoreCase("IN")) {
                continue;
            }
            if (Character.isDigit(token.charAt(0)) && ttl < 0) {
                try {
                    ttl = TTL.parseTTL(token);
                } catch (NumberFormatException e) {
                    throw new InvalidInputException("key.bad-format", where, "'" + token + "' is not a valid TTL");
                }
                continue;
            }
            break;
        }
        if (i >= t.size()) {
            throw new InvalidInputException("key.bad-format", where, "ends before the record type; expected 'DNSKEY'");
        }
        if (!t.get(i).equalsIgnoreCase("DNSKEY")) {
            throw new InvalidInputException(
                    "key.bad-format",
                    where,
                    "is a " + t.get(i).toUpperCase(Locale.ROOT)
                            + " record, not DNSKEY"
                            + (t.get(i).equalsIgnoreCase("CH") || t.get(i).equalsIgnoreCase("HS")
                                    ? " (only class IN is supported)"
                                    : ""));
        }
        List<String> rdata = t.subList(i + 1, t.size());
        if (rdata.size() < 4) {
            throw new InvalidInputException(
                    "key.bad-format",
                    where,
                    "DNSKEY needs flags, protocol, algorithm and the key (RFC 4034 section 2.2)");
        }
        int flags = uint(rdata.get(0), 0xffff, "flags", where);
        int protocol = uint(rdata.get(1), 0xff, "protocol", where);
        int algorithm = DNSSEC.Algorithm.value(rdata.get(2));
        if (algorithm < 0) {
            throw new InvalidInputException(
                    "key.unsupported-algorithm",
                    where,
                    "algorithm '" + rdata.get(2) + "' is unknown; " + supportedList());
        }
        if (protocol != 3) {
            throw new InvalidInputException(
                    "key.bad-format",
                    where,
                    "has protocol " + protocol + "; DNSKEY protocol must be 3 (RFC 4034 section 2.1.2)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(String.join("", rdata.subList(3, rdata.size())));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("key.bad-format", where, "the public key is not valid base64");
        }
        if (flags != ZoneKey.FLAGS_KSK && flags != ZoneKey.FLAGS_ZSK) {
            throw new InvalidInputException(
                    "key.flags",
                    where,
                    "has DNSKEY flags " + flags
                            + "; mxpolicy uses keys with flags 257 (key-signing or combined key) or 256 (zone-signing key)"
                            + ((flags & 0x0080) != 0 ? "; this key is revoked (RFC 5011)" : "")
                            + ((flags & ZoneKey.FLAG_ZONE) == 0 ? "; this is not a zone key" : ""));
        }
        return new DNSKEYRecord(
                owner.canonicalize(), DClass.IN, ttl < 0 ? DEFAULT_TTL : ttl, flags, protocol, algorithm, key);
    }

    private static int uint(String token, int max, String what, SourcePosition where) throws InvalidInputException {
        try {
            int value = Integer.parseInt(token);
            if (value >= 0 && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(
                "key.bad-format", where, "DNSKEY " + what + " '" + token + "' is not a number 0.." + max);
    }

    private static DnssecAlgorithm supportedAlgorithm(int number, SourcePosition where) throws InvalidInputException {
        Optional<DnssecAlgorithm> algorithm = DnssecAlgorithm.byNumber(number);
        if (algorithm.isEmpty()) {
            throw new InvalidInputException(
                    "key.unsupported-algorithm",
                    where,
                    "algorithm " + number + " (" + DNSSEC.Algorithm.string(number) + ") is not supported; "
                            + supportedList());
        }
        return algorithm.get();
    }

    private static String supportedList() {
        return "mxpolicy uses "
                + Arrays.stream(DnssecAlgorithm.values())
                        .map(a -> a.number() + " (" + a.mnemonic() + ")")
                        .collect(Collectors.joining(", "));
    }

    /** The key field's length per algorithm: RFC 6605 section 4 (64 octets), RFC 8080 section 3 (32). */
    private static void checkPublicKey(DNSKEYRecord dnskey, DnssecAlgorithm algorithm, SourcePosition where)
            throws InvalidInputException {
        byte[] key = dnskey.getKey();
        switch (algorithm) {
            case ECDSAP256SHA256 -> {
                if (key.length != P256_PUBLIC_BYTES) {
                    throw new InvalidInputException(
                            "key.bad-format",
                            where,
                            "the ECDSA P-256 public key has " + key.length
                                    + " bytes; RFC 6605 section 4 makes it 64 (x and y)");
                }
                if (p256Point(key).isEmpty()) {
                    throw new InvalidInputException("key.bad-format", where, "the public key is not a point on P-256");
                }
            }
            case ED25519 -> {
                if (key.length != ED25519_BYTES) {
                    throw new InvalidInputException(
                            "key.bad-format",
                            where,
                            "the Ed25519 public key has " + key.length + " bytes; RFC 8080 section 3 makes it 32");
                }
            }
            case RSASHA256 -> {
                // RFC 3110 section 2: exponent length, exponent, modulus; checked by decoding
                try {
                    RSAPublicKey rsa = (RSAPublicKey) dnskey.getPublicKey();
                    if (rsa.getModulus().bitLength() < KeyGenerator.MIN_RSA_BITS) {
                        throw new InvalidInputException(
                                "key.weak",
                                where,
                                "the RSA key has " + rsa.getModulus().bitLength()
                                        + " bits; mxpolicy uses RSA keys of " + KeyGenerator.MIN_RSA_BITS
                                        + " bits or more (make a new one with mxpolicy keygen)");
                    }
                } catch (DNSSEC.DNSSECException | ClassCastException | IllegalArgumentException e) {
                    throw new InvalidInputException(
                            "key.bad-format", where, "the public key is not an RSA key in RFC 3110 form");
                }
            }
        }
    }

    private record Field(String name, String value, SourcePosition position) {}

    /** The first line that is not blank must be {@code Private-key-format:}; anything else is not a key file of this kind. */
    private static void checkFormatLine(List<String> lines, String source) throws InvalidInputException {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith(FORMAT_FIELD + ":")) {
                throw new InvalidInputException(
                        "key.bad-format",
                        SourcePosition.at(source, i + 1, 0),
                        "is not a DNSSEC private key file: it does not start with 'Private-key-format: v1.x'"
                                + (line.startsWith("-----BEGIN") ? " (this is a PEM file)" : ""));
            }
            return;
        }
        throw new InvalidInputException("key.bad-format", SourcePosition.file(source), "is empty");
    }

    private static void checkFormatVersion(Field format) throws InvalidInputException {
        Matcher m = VERSION.matcher(format.value());
        if (!m.matches() || !m.group(1).equals("1")) {
            throw new InvalidInputException(
                    "key.bad-format",
                    format.position(),
                    "has private key format '" + format.value() + "'; mxpolicy reads v1.2 and v1.3 (BIND, ldns)");
        }
    }

    private static Field require(Map<String, Field> fields, String name, String source) throws InvalidInputException {
        Field field = fields.get(name);
        if (field == null) {
            throw new InvalidInputException(
                    "key.bad-format", SourcePosition.file(source), "has no '" + name + ":' line");
        }
        return field;
    }

    private static DnssecAlgorithm privateFileAlgorithm(Field field) throws InvalidInputException {
        Matcher m = ALGORITHM.matcher(field.value());
        if (!m.matches()) {
            throw new InvalidInputException(
                    "key.bad-format",
                    field.position(),
                    "Algorithm must be a number, e.g. 'Algorithm: 13 (ECDSAP256SHA256)'");
        }
        int number = Integer.parseInt(m.group(1));
        return supportedAlgorithm(number, field.position());
    }

    /** Decodes base64 fields, reporting every missing or undecodable one at once. */
    private static Map<String, byte[]> decode(Map<String, Field> fields, List<String> names, String source)
            throws InvalidInputException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        List<Finding> problems = new ArrayList<>();
        for (String name : names) {
            Field field = fields.get(name);
            if (field == null) {
                problems.add(
                        Finding.error("key.bad-format", SourcePosition.file(source), "has no '" + name + ":' line"));
                continue;
            }
            try {
                byte[] value = Base64.getDecoder().decode(field.value().replaceAll("\\s+", ""));
                if (value.length == 0) {
                    problems.add(Finding.error("key.bad-format", field.position(), name + " is empty"));
                } else {
                    values.put(name, value);
                }
            } catch (IllegalArgumentException e) {
                problems.add(Finding.error("key.bad-format", field.position(), name + " is not valid base64"));
            }
        }
        if (!problems.isEmpty()) {
            values.values().forEach(v -> Arrays.fill(v, (byte) 0));
            throw new InvalidInputException(problems);
        }
        return values;
    }

    private static InvalidInputException mismatch(ZoneKey publicKey, SourcePosition where) {
        return new InvalidInputException(
                "key.mismatch",
                where,
                "the private key does not belong to the public key in " + publicKey.baseName() + ".key (key tag "
                        + publicKey.keyTag() + "); the two files are of different keys");
    }

    private static PrivateKey ecdsaPrivateKey(ZoneKey publicKey, Map<String, Field> fields, String source)
            throws InvalidInputException {
        SourcePosition where = require(fields, PRIVATE_KEY_FIELD, source).position();
        byte[] bytes = decode(fields, List.of(PRIVATE_KEY_FIELD), source).get(PRIVATE_KEY_FIELD);
        try {
            X9ECParameters curve = CustomNamedCurves.getByName("secp256r1");
            BigInteger d = new BigInteger(1, bytes);
            // ldns writes the scalar without leading zero bytes, BIND pads it to 32
            if (bytes.length > P256_SCALAR_BYTES || d.signum() == 0 || d.compareTo(curve.getN()) >= 0) {
                throw new InvalidInputException("key.bad-format", where, "PrivateKey is not a P-256 private key");
            }
            ECPoint q = new FixedPointCombMultiplier().multiply(curve.getG(), d).normalize();
            byte[] derived =
                    concat(q.getAffineXCoord().getEncoded(), q.getAffineYCoord().getEncoded());
            if (!Arrays.equals(derived, publicKey.dnskey().getKey())) {
                throw mismatch(publicKey, where);
            }
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec("secp256r1"));
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new ECPrivateKeySpec(d, params.getParameterSpec(ECParameterSpec.class)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make EC keys", e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static PrivateKey ed25519PrivateKey(ZoneKey publicKey, Map<String, Field> fields, String source)
            throws InvalidInputException {
        SourcePosition where = require(fields, PRIVATE_KEY_FIELD, source).position();
        byte[] seed = decode(fields, List.of(PRIVATE_KEY_FIELD), source).get(PRIVATE_KEY_FIELD);
        try {
            if (seed.length != ED25519_BYTES) {
                throw new InvalidInputException(
                        "key.bad-format",
                        where,
                        "PrivateKey is not an Ed25519 private key (RFC 8080 section 6: 32 bytes)");
            }
            byte[] derived =
                    new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
            if (!Arrays.equals(derived, publicKey.dnskey().getKey())) {
                throw mismatch(publicKey, where);
            }
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make Ed25519 keys", e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    private static PrivateKey rsaPrivateKey(ZoneKey publicKey, Map<String, Field> fields, String source)
            throws InvalidInputException {
        Map<String, byte[]> raw = decode(fields, RSA_FIELDS, source);
        Map<String, BigInteger> v = new LinkedHashMap<>();
        raw.forEach((name, bytes) -> v.put(name, new BigInteger(1, bytes)));
        raw.values().forEach(b -> Arrays.fill(b, (byte) 0));
        RSAPublicKey rsa = (RSAPublicKey) publicKey.publicKey();
        BigInteger n = v.get("Modulus");
        BigInteger e = v.get("PublicExponent");
        BigInteger d = v.get("PrivateExponent");
        BigInteger p = v.get("Prime1");
        BigInteger q = v.get("Prime2");
        if (!n.equals(rsa.getModulus()) || !e.equals(rsa.getPublicExponent())) {
            throw mismatch(
                    publicKey,
                    fields.get(n.equals(rsa.getModulus()) ? "PublicExponent" : "Modulus")
                            .position());
        }
        // The CRT values sign; a file whose parts do not fit together would sign garbage.
        BigInteger one = BigInteger.ONE;
        BigInteger pm1 = p.subtract(one);
        BigInteger qm1 = q.subtract(one);
        BigInteger lambda = pm1.divide(pm1.gcd(qm1)).multiply(qm1);
        boolean consistent = p.multiply(q).equals(n)
                && e.multiply(d).mod(lambda).equals(one)
                && d.mod(pm1).equals(v.get("Exponent1"))
                && d.mod(qm1).equals(v.get("Exponent2"))
                && q.multiply(v.get("Coefficient")).mod(p).equals(one);
        if (!consistent) {
            throw new InvalidInputException(
                    "key.bad-format",
                    fields.get("PrivateExponent").position(),
                    "the RSA private key's numbers do not fit together (Modulus, PrivateExponent, Prime1, Prime2,"
                            + " Exponent1, Exponent2, Coefficient); the file is damaged");
        }
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePrivate(new RSAPrivateCrtKeySpec(
                            n, e, d, p, q, v.get("Exponent1"), v.get("Exponent2"), v.get("Coefficient")));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException("the JDK cannot make RSA keys", ex);
        }
    }

    /** The P-256 point of a 64-byte DNSKEY key field, if it is one. */
    static Optional<ECPoint> p256Point(byte[] xy) {
        try {
            ECPoint point =
                    CustomNamedCurves.getByName("secp256r1").getCurve().decodePoint(concat(new byte[] {0x04}, xy));
            return point.isValid() && !point.isInfinity() ? Optional.of(point) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    // ---------------------------------------------------------------------------------------
    // Writing

    /**
     * Writes the {@code .key} file as BIND 9.18 does: a comment header naming the key's role,
     * tag and zone and its timing, then the DNSKEY record on one line with its TTL.
     *
     * @param created the time written as {@code Created}, {@code Publish} and {@code Activate}
     */
    public static void writePublicKey(ZoneKey key, Instant created, Writer out) throws IOException {
        writePublicKey(key.withTiming(KeyTiming.createdAt(created)), out);
    }

    /** Writes the {@code .key} file as {@link #writePublicKey(ZoneKey, Instant, Writer)}, with the key's own timing. */
    public static void writePublicKey(ZoneKey key, Writer out) throws IOException {
        DNSKEYRecord dnskey = key.dnskey();
        String zone = key.zone().toString().toLowerCase(Locale.ROOT);
        out.write("; This is a " + (key.isKsk() ? "key-signing" : "zone-signing") + " key, keyid " + key.keyTag()
                + ", for " + zone + "\n");
        for (Map.Entry<KeyTiming.Event, Instant> e : key.timing().times().entrySet()) {
            out.write("; " + e.getKey().field() + ": " + timestamp(e.getValue()) + " ("
                    + CTIME.format(e.getValue().truncatedTo(ChronoUnit.SECONDS)) + ")\n");
        }
        out.write(zone + " " + dnskey.getTTL() + " IN DNSKEY " + dnskey.getFlags() + " " + dnskey.getProtocol() + " "
                + dnskey.getAlgorithm() + " " + Base64.getEncoder().encodeToString(dnskey.getKey()) + "\n");
        out.flush();
    }

    /**
     * Writes the {@code .private} file in {@code Private-key-format: v1.3}: the algorithm, the
     * key material (RFC 6605 section 6 / RFC 8080 section 6: {@code PrivateKey}, the P-256 scalar
     * as 32 big-endian bytes or the Ed25519 seed; RSA: the eight numbers of RFC 8017 section
     * 3.2), then the timing fields BIND writes.
     *
     * @throws IllegalArgumentException when the key has no private part
     */
    public static void writePrivateKey(ZoneKey key, Instant created, Writer out) throws IOException {
        writePrivateKey(key.withTiming(KeyTiming.createdAt(created)), out);
    }

    /** Writes the {@code .private} file as {@link #writePrivateKey(ZoneKey, Instant, Writer)}, with the key's own timing. */
    public static void writePrivateKey(ZoneKey key, Writer out) throws IOException {
        PrivateKey privateKey = key.privateKey()
                .orElseThrow(() -> new IllegalArgumentException(key.baseName() + " has no private key to write"));
        DnssecAlgorithm algorithm = key.algorithm();
        out.write(FORMAT_FIELD + ": " + FORMAT_VERSION + "\n");
        out.write("Algorithm: " + algorithm.number() + " (" + algorithm.mnemonic() + ")\n");
        switch (algorithm) {
            case RSASHA256 -> {
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) privateKey;
                List<BigInteger> numbers = List.of(
                        rsa.getModulus(),
                        rsa.getPublicExponent(),
                        rsa.getPrivateExponent(),
                        rsa.getPrimeP(),
                        rsa.getPrimeQ(),
                        rsa.getPrimeExponentP(),
                        rsa.getPrimeExponentQ(),
                        rsa.getCrtCoefficient());
                for (int i = 0; i < RSA_FIELDS.size(); i++) {
                    out.write(RSA_FIELDS.get(i) + ": " + base64(unsigned(numbers.get(i), 0)) + "\n");
                }
            }
            case ECDSAP256SHA256 ->
                out.write(PRIVATE_KEY_FIELD + ": "
                        + base64(unsigned(((ECPrivateKey) privateKey).getS(), P256_SCALAR_BYTES)) + "\n");
            case ED25519 ->
                out.write(PRIVATE_KEY_FIELD + ": "
                        + base64(((EdECPrivateKey) privateKey)
                                .getBytes()
                                .orElseThrow(() ->
                                        new IllegalArgumentException(key.baseName() + ": the Ed25519 key has no seed")))
                        + "\n");
        }
        for (Map.Entry<KeyTiming.Event, Instant> e : key.timing().times().entrySet()) {
            out.write(e.getKey().field() + ": " + timestamp(e.getValue()) + "\n");
        }
        out.flush();
    }

    /** The {@code .key} file's text; see {@link #writePublicKey}. */
    public static String publicKeyText(ZoneKey key, Instant created) {
        return publicKeyText(key.withTiming(KeyTiming.createdAt(created)));
    }

    /** The {@code .key} file's text with the key's own timing. */
    public static String publicKeyText(ZoneKey key) {
        StringWriter out = new StringWriter();
        try {
            writePublicKey(key, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The {@code .private} file's text; see {@link #writePrivateKey}. Holds the secret key: never log it. */
    public static String privateKeyText(ZoneKey key, Instant created) {
        return privateKeyText(key.withTiming(KeyTiming.createdAt(created)));
    }

    /** The {@code .private} file's text with the key's own timing. */
    public static String privateKeyText(ZoneKey key) {
        StringWriter out = new StringWriter();
        try {
            writePrivateKey(key, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code YYYYMMDDHHMMSS} in UTC, BIND's key timing format. */
    static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Big-endian unsigned bytes, left-padded to {@code length} (0: minimal). */
    static byte[] unsigned(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        int start = bytes.length > 1 && bytes[0] == 0 ? 1 : 0;
        int size = bytes.length - start;
        int target = Math.max(size, length);
        byte[] out = new byte[target];
        System.arraycopy(bytes, start, out, target - size, size);
        return out;
    }
}
