package org.mxpolicy.zone;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.zone.corrections.RecordTypes;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SVCBBase;
import org.xbill.DNS.Type;

/**
 * Reads a zone in master file format (RFC 1035 section 5) with dnsjava's parser, and checks what
 * every later step relies on: class IN only, every owner name inside the zone, exactly one SOA,
 * at the apex. A record outside the zone is dropped with a warning, as BIND and Knot do.
 *
 * <p>Record types are read with mxpolicy's corrections of dnsjava ({@link RecordTypes}).
 *
 * <p>{@code $ORIGIN}, {@code $TTL} and {@code $GENERATE} work as in BIND. {@code $INCLUDE} works
 * with an absolute path; a relative one is refused, because a stream has no directory to resolve
 * it against.
 */
public final class ZoneFileReader {

    /** dnsjava's parse errors read {@code <none>:LINE: message} for a stream. */
    private static final Pattern PARSE_ERROR = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);
    /** Out-of-zone names are listed up to this many; a file full of them needs one fix. */
    private static final int MAX_LISTED = 20;

    /** dnsjava names an included file in its parse errors by the file's name: {@code b.zone:LINE: message}. */
    private static final Pattern INCLUDED_FILE_ERROR = Pattern.compile("^(.+?):(\\d+): (.*)$", Pattern.DOTALL);

    /**
     * The largest zone read, 256 MiB with the files it includes: five times a signed zone of
     * 100,000 TLSA RRsets, and far more than its records would fit in memory as objects.
     */
    public static final InputLimit SIZE_LIMIT = new InputLimit("zone file", "zone.size", 256 * 1024 * 1024);

    static {
        RecordTypes.register();
    }

    private ZoneFileReader() {}

    /**
     * A zone as read: its records in file order, and what was read but is worth a warning (records
     * outside the zone, which are not among the records; SVCB/HTTPS AliasMode with parameters).
     */
    public record Zone(List<Record> records, List<Finding> warnings) {}

    /**
     * Every record of the zone, in file order; the warnings of {@link #readZone} are not reported.
     * For files mxpolicy wrote itself; a zone from the user is read with {@link #readZone}.
     */
    public static List<Record> read(InputStream in, String source, Name origin) throws InvalidInputException {
        return readZone(in, source, origin).records();
    }

    static List<Record> read(InputStream in, String source, Name origin, InputLimit limit)
            throws InvalidInputException {
        return readZone(in, source, origin, limit).records();
    }

    /**
     * Every record of the zone, in file order, and the warnings about it, each with its line.
     *
     * @param source the file name, for messages
     * @param origin the zone apex; relative names are relative to it until {@code $ORIGIN}
     * @throws InvalidInputException a syntax error (with its file and line), a record of another
     *     class, a missing or misplaced SOA, an {@code $INCLUDE} loop or an included file that is not
     *     a regular file, or the zone with its included files over {@link #SIZE_LIMIT}
     */
    public static Zone readZone(InputStream in, String source, Name origin) throws InvalidInputException {
        return readZone(in, source, origin, SIZE_LIMIT);
    }

    static Zone readZone(InputStream in, String source, Name origin, InputLimit limit) throws InvalidInputException {
        byte[] bytes = limit.read(in, source);
        ZoneIncludes includes = ZoneIncludes.walk(bytes, source, limit);
        List<Record> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        LineByLine lineByLine = new LineByLine(new ByteArrayInputStream(bytes));
        try (Master master = new Master(lineByLine, origin)) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                records.add(record);
                lines.add(lineByLine.line());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw includedFileError(e, includes).orElseGet(() -> parseError(e, source));
        }
        Zone zone = check(records, lines, source, origin);
        Optional<Finding> noTtl = soaMinimumAsDefaultTtl(bytes, records, lines, source, origin);
        if (noTtl.isEmpty()) {
            return zone;
        }
        List<Finding> warnings = new ArrayList<>(zone.warnings());
        warnings.add(noTtl.get());
        return new Zone(zone.records(), warnings);
    }

    /** A TTL no zone gives its SOA record: seen on the SOA, it came from the {@code $TTL} put before the file. */
    private static final long NO_TTL_GIVEN = 0x7fffffffL;

    /**
     * BIND's warning for a zone whose SOA record has no TTL and no {@code $TTL} before it: the SOA's
     * MINIMUM becomes the TTL of every record without one (RFC 1035 section 5.1 leaves it open; BIND and
     * dnsjava do this). Found by reading the file up to the SOA again after a {@code $TTL} of a value no
     * zone uses: the SOA has that TTL exactly when the file gave it none.
     */
    private static Optional<Finding> soaMinimumAsDefaultTtl(
            byte[] bytes, List<Record> records, List<Integer> lines, String source, Name origin) {
        int soa = IntStream.range(0, records.size())
                .filter(i -> records.get(i) instanceof SOARecord)
                .findFirst()
                .orElse(-1);
        if (soa < 0) {
            return Optional.empty();
        }
        int line = lines.get(soa);
        int end = 0;
        for (int seen = 0; end < bytes.length && seen < line; end++) {
            if (bytes[end] == '\n') {
                seen++;
            }
        }
        byte[] sentinel = ("$TTL " + NO_TTL_GIVEN + "\n").getBytes(StandardCharsets.US_ASCII);
        try (Master master = new Master(
                new SequenceInputStream(new ByteArrayInputStream(sentinel), new ByteArrayInputStream(bytes, 0, end)),
                origin)) {
            Record record;
            while ((record = master.nextRecord()) != null) {
                if (record instanceof SOARecord first) {
                    if (first.getTTL() != NO_TTL_GIVEN) {
                        return Optional.empty();
                    }
                    long minimum = ((SOARecord) records.get(soa)).getMinimum();
                    return Optional.of(Finding.warning(
                            "zone.no-ttl",
                            SourcePosition.at(source, line, 0),
                            "no TTL specified; using SOA MINTTL instead: no $TTL before the SOA record, so every"
                                    + " record without a TTL gets the SOA minimum, " + minimum
                                    + " seconds; put '$TTL " + minimum + "' first to say so"));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            // Read once already; whatever differs this time, the warning is not worth an error.
        }
        return Optional.empty();
    }

    /**
     * Hands the parser one line per read, so that after each record exactly the lines up to its end
     * have been read: the count of line breaks so far is the record's (last) line.
     */
    private static final class LineByLine extends InputStream {
        private final InputStream in;
        private int lines;
        private boolean atLineStart = true;

        LineByLine(InputStream in) {
            this.in = new java.io.BufferedInputStream(in);
        }

        int line() {
            return atLineStart ? lines : lines + 1;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                atLineStart = b == '\n';
                if (atLineStart) {
                    lines++;
                }
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = 0;
            while (n < length) {
                int b = read();
                if (b < 0) {
                    return n == 0 ? -1 : n;
                }
                buffer[offset + n++] = (byte) b;
                if (b == '\n') {
                    break;
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * Every record of a zone written one complete record per line, with absolute owner names and no
     * directives or parentheses, as {@link ZoneText} writes it; comment lines are fine. Such a file
     * can be cut at any line break, so its parts are parsed in parallel: a large zone reads in a
     * fraction of the time. The checks are those of {@link #read}.
     *
     * @param offset where the records start in {@code bytes} (after a header line, say)
     */
    public static List<Record> readLines(byte[] bytes, int offset, String source, Name origin)
            throws InvalidInputException {
        SIZE_LIMIT.check(bytes.length, source);
        int parts =
                Math.max(1, Math.min(Runtime.getRuntime().availableProcessors() * 4, (bytes.length - offset) >> 18));
        int[] starts = new int[parts + 1];
        starts[0] = offset;
        for (int i = 1; i < parts; i++) {
            int cut = Math.max(starts[i - 1], offset + (int) ((long) (bytes.length - offset) * i / parts));
            while (cut < bytes.length && bytes[cut - 1] != '\n') {
                cut++;
            }
            starts[i] = cut;
        }
        starts[parts] = bytes.length;
        int firstLine = lineOf(bytes, 0, offset);
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Record>[] chunks = new List[parts];
        Exception[] failures = new Exception[parts];
        IntStream.range(0, parts).parallel().forEach(i -> {
            List<Record> records = new ArrayList<>();
            try (Master master =
                    new Master(new ByteArrayInputStream(bytes, starts[i], starts[i + 1] - starts[i]), origin)) {
                Record record;
                while ((record = master.nextRecord()) != null) {
                    records.add(record);
                }
                chunks[i] = records;
            } catch (IOException | IllegalArgumentException e) {
                failures[i] = e;
            }
        });
        int lineBefore = firstLine;
        for (int i = 0; i < parts; i++) {
            if (failures[i] != null) {
                throw parseError(failures[i], source, lineBefore);
            }
            lineBefore += lineOf(bytes, starts[i], starts[i + 1]);
        }
        List<Record> records = new ArrayList<>(
                IntStream.range(0, parts).map(i -> chunks[i].size()).sum());
        for (List<Record> chunk : chunks) {
            records.addAll(chunk);
        }
        return check(records, null, source, origin).records();
    }

    /** The line breaks in {@code bytes[from..to)}. */
    private static int lineOf(byte[] bytes, int from, int to) {
        int lines = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static InvalidInputException parseError(Exception e, String source) {
        return parseError(e, source, 0);
    }

    /** @param linesBefore lines of the file before the part that was parsed */
    private static InvalidInputException parseError(Exception e, String source, int linesBefore) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher m = PARSE_ERROR.matcher(message);
        int line = 0;
        if (m.matches()) {
            line = linesBefore + Integer.parseInt(m.group(1));
            message = m.group(2);
        }
        if (message.contains("relative path when parsing from stream")) {
            message = "$INCLUDE with a relative path is not supported; give the included file's absolute path";
        }
        return new InvalidInputException("zone.syntax", SourcePosition.at(source, line, 0), shown(message));
    }

    /** An error that dnsjava reports in a file the zone includes, at that file's name and line. */
    private static Optional<InvalidInputException> includedFileError(Exception e, ZoneIncludes includes) {
        Matcher m = e.getMessage() == null ? null : INCLUDED_FILE_ERROR.matcher(e.getMessage());
        if (m == null || !m.matches() || m.group(1).equals("<none>")) {
            return Optional.empty();
        }
        String file = includes.includedFile(m.group(1)).map(Path::toString).orElse(m.group(1));
        return Optional.of(new InvalidInputException(
                "zone.syntax", SourcePosition.at(file, Integer.parseInt(m.group(2)), 0), shown(m.group(3))));
    }

    /** dnsjava's message, which quotes the bad token whole, cut so that a huge token makes one short line. */
    private static String shown(String message) {
        return message.length() <= 160 ? message : message.substring(0, 160) + "...";
    }

    /** @param lines the line of each record, or null where they are not known */
    private static Zone check(List<Record> records, List<Integer> lines, String source, Name origin)
            throws InvalidInputException {
        List<Finding> problems = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<Record> inZone = new ArrayList<>(records.size());
        int outside = 0;
        int soaAtApex = 0;
        for (int i = 0; i < records.size(); i++) {
            Record r = records.get(i);
            SourcePosition where =
                    lines == null ? SourcePosition.file(source) : SourcePosition.at(source, lines.get(i), 0);
            if (!r.getName().subdomain(origin)) {
                if (++outside <= MAX_LISTED) {
                    warnings.add(Finding.warning(
                            "zone.outside",
                            where,
                            r.getName() + " " + Type.string(r.getType()) + " is not in zone " + origin
                                    + "; ignored (remove it or check $ORIGIN)"));
                }
                continue;
            }
            inZone.add(r);
            if (r.getDClass() != DClass.IN) {
                problems.add(Finding.error(
                        "zone.class",
                        where,
                        r.getName() + " " + Type.string(r.getType()) + " is of class " + DClass.string(r.getDClass())
                                + "; only IN is supported"));
            } else if (r.getType() == Type.SOA) {
                if (r.getName().equals(origin)) {
                    soaAtApex++;
                } else {
                    problems.add(Finding.error(
                            "zone.soa", where, "SOA at " + r.getName() + ", which is not the apex " + origin));
                }
            } else if (r instanceof SVCBBase svcb
                    && svcb.getSvcPriority() == 0
                    && !svcb.getSvcParamKeys().isEmpty()) {
                warnings.add(Finding.warning(
                        "zone.svcb-alias-params",
                        where,
                        r.getName() + " " + Type.string(r.getType())
                                + " is in AliasMode (priority 0) with SvcParams, which clients ignore (RFC 9460 section 2.4.2);"
                                + " kept as written"));
            }
        }
        SourcePosition where = SourcePosition.file(source);
        if (outside > MAX_LISTED) {
            warnings.add(Finding.warning(
                    "zone.outside",
                    where,
                    (outside - MAX_LISTED) + " more records are not in zone " + origin + "; ignored"));
        }
        if (soaAtApex == 0) {
            problems.add(Finding.error(
                    "zone.soa",
                    where,
                    "no SOA record at the apex " + origin + "; is this the zone file of " + origin + "?"));
        } else if (soaAtApex > 1) {
            problems.add(Finding.error(
                    "zone.soa", where, soaAtApex + " SOA records at " + origin + "; a zone has exactly one"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new Zone(inZone, warnings);
    }
}
