package org.mxpolicy.zone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

class ZoneFileReaderTest {

    private static final Name ZONE = Name.fromConstantString("example.com.");

    private static List<Record> read(String text) throws InvalidInputException {
        return ZoneFileReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "z.zone", ZONE);
    }

    private static List<String> errors(String text) {
        try {
            read(text);
        } catch (InvalidInputException e) {
            return e.findings().stream().map(Finding::format).toList();
        }
        throw new AssertionError("no error");
    }

    @Test
    void readsRelativeNamesTtlsAndDirectives() throws Exception {
        List<Record> records = read("""
                $TTL 300
                @ IN SOA ns hostmaster 1 2 3 4 5
                  IN NS ns
                ns IN A 192.0.2.1
                $ORIGIN sub.example.com.
                www 60 IN AAAA 2001:db8::1
                """);

        assertThat(records)
                .extracting(r -> r.getName() + " " + r.getTTL())
                .containsExactly(
                        "example.com. 300", "example.com. 300", "ns.example.com. 300", "www.sub.example.com. 60");
    }

    @Test
    void aSyntaxErrorNamesItsLine() {
        assertThat(errors("""
                @ 300 IN SOA ns hostmaster 1 2 3 4 5
                ns 300 IN A 192.0.2.1
                bad 300 IN A 999.0.2.1
                """)).containsExactly("z.zone:3: error: Invalid address: 999.0.2.1 [zone.syntax]");
    }

    @Test
    void aMissingSoaIsReported() {
        assertThat(errors("""
                ns 300 IN A 192.0.2.1
                """))
                .containsExactly(
                        "z.zone: error: no SOA record at the apex example.com.; is this the zone file of example.com.? [zone.soa]");
    }

    @Test
    void aRecordOutsideTheZoneIsDroppedWithAWarningNamingItsLine() throws Exception {
        ZoneFileReader.Zone zone =
                ZoneFileReader.readZone(new ByteArrayInputStream("""
                @ 300 IN SOA ns hostmaster ( 1 2 3
                    4 5 )
                ; a comment
                www.example.net. 300 IN A 192.0.2.2
                ns 300 IN A 192.0.2.1
                """.getBytes(StandardCharsets.UTF_8)), "z.zone", ZONE);

        assertThat(zone.records())
                .extracting(r -> r.getName().toString())
                .containsExactly("example.com.", "ns.example.com.");
        assertThat(zone.warnings())
                .extracting(Finding::format)
                .containsExactly(
                        "z.zone:4: warning: www.example.net. A is not in zone example.com.; ignored (remove it or check $ORIGIN)"
                                + " [zone.outside]");
    }

    @Test
    void svcbAliasModeWithParametersIsKeptWithAWarning() throws Exception {
        ZoneFileReader.Zone zone =
                ZoneFileReader.readZone(new ByteArrayInputStream("""
                @ 300 IN SOA ns hostmaster 1 2 3 4 5
                svc 300 IN SVCB 0 target alpn=h2
                """.getBytes(StandardCharsets.UTF_8)), "z.zone", ZONE);

        assertThat(zone.records().get(1).rdataToString()).isEqualTo("0 target.example.com. alpn=h2");
        assertThat(zone.warnings()).extracting(Finding::id).containsExactly("zone.svcb-alias-params");
        assertThat(zone.warnings().get(0).position().line()).isEqualTo(2);
    }

    @Test
    void aRelativeIncludeIsRefusedWithTheReason() {
        assertThatThrownBy(() -> read("@ 300 IN SOA ns hostmaster 1 2 3 4 5\n$INCLUDE other.zone\n"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("z.zone:2:")
                .hasMessageContaining("absolute path");
    }
}
