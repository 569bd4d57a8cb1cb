package org.mxpolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.testing.Cli;

/** {@code mxpolicy sign} refuses RRsets that cannot be served or validated, before it signs anything. */
class SignLargeRrsetTest {

    @TempDir
    Path dir;

    private Path keys;

    @BeforeEach
    void keys() throws Exception {
        keys = Files.createDirectory(dir.resolve("keys"));
        assertThat(Cli.run("keygen", "--zone", "big.test", "-K", keys.toString())
                        .exitCode())
                .isZero();
    }

    /** A zone with {@code count} A records at the apex; each is 16 bytes in a response, 24 in the signed data. */
    private Path zoneWithApexAddresses(int count) throws Exception {
        Path zone = dir.resolve("big.test.zone");
        try (BufferedWriter w = Files.newBufferedWriter(zone, StandardCharsets.US_ASCII)) {
            w.write("$TTL 600\n");
            w.write("big.test. 3600 IN SOA ns1.big.test. hostmaster.big.test. 1 3600 900 604800 300\n");
            w.write("big.test. 3600 IN NS ns1.big.test.\n");
            w.write("ns1.big.test. 3600 IN A 192.0.2.1\n");
            for (int i = 0; i < count; i++) {
                w.write("big.test. 600 IN A 10." + (i >> 16) + "." + (i >> 8 & 0xff) + "." + (i & 0xff) + "\n");
            }
        }
        return zone;
    }

    private Cli.Run sign(Path zone, Path out) {
        return Cli.run("sign", "--zone", "big.test", "-K", keys.toString(), "-o", out.toString(), zone.toString());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anRrsetOfSeventyThousandRecordsIsRefusedPromptlyAndNothingIsWritten() throws Exception {
        Path out = dir.resolve("out.zone");

        Cli.Run run = sign(zoneWithApexAddresses(70_000), out);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.errorLines())
                .containsExactly("mxpolicy: error: big.test. A: 70000 records take 1120141 bytes in a DNS response"
                        + " with their RRSIGs, more than the 65535 bytes of a DNS message: no server can serve them;"
                        + " split the RRset across names or remove records [dnssec.rrset-too-large]");
        assertThat(out).doesNotExist();
    }

    /**
     * 2,735 records fit in a message (43,901 bytes) but their signed data is 65,668 bytes; Knot's
     * kzonecheck and ldns-verify-zone hold such a signature bogus.
     */
    @Test
    void anRrsetWhoseSignedDataExceedsSixtyFourKibibytesIsRefused() throws Exception {
        Path out = dir.resolve("out.zone");

        Cli.Run run = sign(zoneWithApexAddresses(2_735), out);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.firstErrorLine())
                .isEqualTo("mxpolicy: error: big.test. A: 2735 records are 65668 bytes in the form their RRSIG signs,"
                        + " more than the 65535 bytes validators such as Knot and ldns accept: resolvers would hold"
                        + " them bogus; split the RRset across names or remove records [dnssec.rrset-too-large]");
        assertThat(out).doesNotExist();
    }

    @Test
    void theLargestRrsetThatFitsIsSigned() throws Exception {
        Path out = dir.resolve("out.zone");

        Cli.Run run = sign(zoneWithApexAddresses(2_725), out);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(out).exists();
    }
}
