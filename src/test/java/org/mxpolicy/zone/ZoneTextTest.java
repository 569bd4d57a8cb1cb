package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** The verified-zone header and reading zones one record a line. */
class ZoneTextTest {

    private static final Name ORIGIN = Name.fromConstantString("example.com.");
    private static final String ZONE = """
            example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600
            example.com. 3600 IN NS ns1.example.com.
            ns1.example.com. 3600 IN A 192.0.2.53
            _25._tcp.mx1.example.com. 600 IN TLSA 3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6
            """;

    private static List<Record> records() throws Exception {
        return ZoneFileReader.read(new ByteArrayInputStream(ZONE.getBytes(StandardCharsets.UTF_8)), "z", ORIGIN);
    }

    @Test
    void theHeaderHoldsTheDigestOfTheRestAndIsAComment() throws Exception {
        byte[] file = ZoneText.renderVerified(records());
        String text = new String(file, StandardCharsets.UTF_8);

        assertThat(text).startsWith(ZoneText.VERIFIED_HEADER).contains("\n" + ZoneText.render(records()));
        assertThat(text.lines().findFirst().orElseThrow())
                .matches("; mxpolicy signed zone, verified; sha256=[0-9a-f]{64}");
        int body = ZoneText.verifiedBody(file);
        assertThat(body).isEqualTo(text.indexOf('\n') + 1);
        assertThat(ZoneFileReader.read(new ByteArrayInputStream(file), "z", ORIGIN))
                .isEqualTo(records());
        assertThat(ZoneFileReader.readLines(file, body, "z", ORIGIN)).isEqualTo(records());
    }

    @Test
    void anyChangeAfterTheHeaderBreaksTheDigest() throws Exception {
        byte[] file = ZoneText.renderVerified(records());

        for (int i = ZoneText.verifiedBody(file); i < file.length; i += 7) {
            byte[] edited = file.clone();
            edited[i] ^= 0x20;
            assertThat(ZoneText.verifiedBody(edited)).as("byte %d changed", i).isEqualTo(-1);
        }
        byte[] longer = Arrays.copyOf(file, file.length + 1);
        longer[file.length] = '\n';
        assertThat(ZoneText.verifiedBody(longer)).isEqualTo(-1);
        assertThat(ZoneText.verifiedBody(ZoneText.render(records()).getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(-1);
    }

    @Test
    void readingInPartsGivesTheRecordsInFileOrderAndLinesInErrors() throws Exception {
        StringBuilder big = new StringBuilder("; a comment line\n");
        big.append(ZONE);
        for (int i = 0; i < 40_000; i++) {
            big.append("h")
                    .append(i)
                    .append(".example.com. 3600 IN A 192.0.2.")
                    .append(i % 250)
                    .append('\n');
        }
        byte[] bytes = big.toString().getBytes(StandardCharsets.UTF_8);

        List<Record> parallel = ZoneFileReader.readLines(bytes, 0, "z", ORIGIN);

        assertThat(parallel).isEqualTo(ZoneFileReader.read(new ByteArrayInputStream(bytes), "z", ORIGIN));
        String broken = big.toString()
                .replace("h39000.example.com. 3600 IN A 192.0.2.0", "h39000.example.com. 3600 IN A 192.0.2.300");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ZoneFileReader.readLines(broken.getBytes(StandardCharsets.UTF_8), 0, "z", ORIGIN))
                .isInstanceOf(org.mxpolicy.finding.InvalidInputException.class)
                .satisfies(e -> assertThat(((org.mxpolicy.finding.InvalidInputException) e)
                                .findings()
                                .get(0)
                                .position()
                                .toString())
                        .contains("z:39006"));
    }
}
