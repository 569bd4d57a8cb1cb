package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** {@code $INCLUDE}: loops, endless and oversized files, and errors inside included files. */
class ZoneFileIncludeTest {

    private static final Name ZONE = Name.fromConstantString("example.com.");
    private static final String SOA = "@ 300 IN SOA ns hostmaster 1 2 3 4 5\n";

    @TempDir
    Path dir;

    private static List<String> errors(InputStream in, String source, InputLimit limit) {
        InvalidInputException e = assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> catchThrowableOfType(
                        InvalidInputException.class, () -> ZoneFileReader.read(in, source, ZONE, limit)));
        assertThat(e).as("refused").isNotNull();
        return e.findings().stream().map(Finding::format).toList();
    }

    private static List<String> errors(String zone, String source) {
        return errors(stream(zone), source, ZoneFileReader.SIZE_LIMIT);
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void aZoneIncludingItselfIsOneLineNamingTheLoop() throws IOException {
        Path a = dir.resolve("a.zone");
        write("a.zone", SOA + "$INCLUDE " + a + "\n");

        assertThat(errors(Files.newInputStream(a), a.toString(), ZoneFileReader.SIZE_LIMIT))
                .containsExactly(a + ":2: error: $INCLUDE loop: " + a + " includes " + a
                        + "; remove one of these $INCLUDE lines" + " [zone.include-loop]");
    }

    @Test
    void aLoopThroughTwoFilesIsNamedWithBoth() throws IOException {
        Path a = dir.resolve("a.zone");
        Path b = write("b.zone", "www 300 IN A 192.0.2.1\n$include \"" + a + "\" ; back again\n");
        write("a.zone", "; a comment $INCLUDE /nowhere\nmail 300 IN A 192.0.2.2\n$INCLUDE b.zone\n");

        assertThat(errors(SOA + "$INCLUDE " + a + "\n", "<stdin>"))
                .containsExactly(b + ":2: error: $INCLUDE loop: " + a + " includes " + b + " includes " + a
                        + "; remove one of these $INCLUDE lines [zone.include-loop]");
    }

    @Test
    void anEndlessIncludedFileIsRefusedBeforeItIsRead() {
        assertThat(errors(SOA + "\n$INCLUDE /dev/zero\n", "z.zone"))
                .containsExactly(
                        "z.zone:3: error: $INCLUDE /dev/zero: not a regular file; a device, pipe or directory cannot be"
                                + " included [zone.include]");
    }

    @Test
    void aMissingIncludedFileIsNamedAtItsLine() {
        assertThat(errors(SOA + "$INCLUDE " + dir.resolve("missing.zone") + "\n", "z.zone"))
                .containsExactly(
                        "z.zone:2: error: $INCLUDE " + dir.resolve("missing.zone") + ": no such file [zone.include]");
    }

    @Test
    void anEndlessZoneEndsAtTheLimit() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };

        assertThat(errors(endless, "/dev/zero", new InputLimit("zone file", "zone.size", 4096)))
                .containsExactly(
                        "/dev/zero: error: larger than 4 KiB, the limit for a zone file; is it the right file? [zone.size]");
    }

    @Test
    void includedFilesCountTowardsTheLimit() throws IOException {
        Path big = write("big.zone", "; " + "x".repeat(5000) + "\n");

        assertThat(errors(
                        stream(SOA + "$INCLUDE " + big + "\n"),
                        "z.zone",
                        new InputLimit("zone file", "zone.size", 4096)))
                .containsExactly("z.zone:2: error: $INCLUDE " + big + ": the zone and the files it includes are larger"
                        + " than 4 KiB, the limit for a zone file [zone.size]");
    }

    @Test
    void anErrorInsideAnIncludedFileNamesThatFileAndLine() throws IOException {
        Path inc = write("inc.zone", "www 300 IN A 192.0.2.1\nbad 300 IN A 999.0.2.1\n");

        assertThat(errors(SOA + "$INCLUDE " + inc + "\n", "z.zone"))
                .containsExactly(inc + ":2: error: Invalid address: 999.0.2.1 [zone.syntax]");
    }

    @Test
    void includesInsideParenthesesAndQuotesAreData() throws Exception {
        Path inc = write("inc.zone", "www 300 IN TXT ( \"x\"\n$INCLUDE /dev/zero )\nmail 300 IN A 192.0.2.1\n");

        List<Record> records = ZoneFileReader.read(stream(SOA + "$INCLUDE " + inc + "\n"), "z.zone", ZONE);

        assertThat(records).hasSize(3);
    }

    @Test
    void aHugeBadTokenIsQuotedShort() {
        assertThat(errors(SOA + "www 300 IN A " + "9".repeat(1_000_000) + "\n", "z.zone"))
                .singleElement()
                .asString()
                .startsWith("z.zone:2: error: Invalid address: 999")
                .hasSizeLessThan(250);
    }
}
