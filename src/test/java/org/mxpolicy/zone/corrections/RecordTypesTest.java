package org.mxpolicy.zone.corrections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.zone.ZoneFileReader;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Each correction of dnsjava: the presentation form read gives the wire form of BIND 9.18 (taken
 * from {@code named-compilezone -F raw}; ldns 1.8.3's {@code ldns-read-zone -U} agrees except where
 * it is wrong itself: WKS service names, escaped commas in SVCB value lists, AVC and NINFO, which
 * it does not read), and is written back so that it reads to the same wire form.
 */
class RecordTypesTest {

    private static final Name ZONE = Name.fromConstantString("example.");

    private static Record read(String rdata) throws InvalidInputException {
        String zone = "@ 300 IN SOA ns hostmaster 1 2 3 4 5\nr 300 IN " + rdata + "\n";
        return ZoneFileReader.read(new ByteArrayInputStream(zone.getBytes(StandardCharsets.UTF_8)), "t.zone", ZONE)
                .get(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            LOC 40 0 0 S 105 0 0 E -9978.85m               | 00121613776abc009687d28000895c83 | 40 0 0.000 S 105 0 0.000 E -9978.85m 1m 10000m 10m
            LOC 40 0 0 N 105 0 0 W 42849672.95m           | 001216138895440069782d80ffffffff | 40 0 0.000 N 105 0 0.000 W 42849672.95m 1m 10000m 10m
            LOC 40 0 0 N 105 0 0 W 42849672.91m           | 001216138895440069782d80fffffffb | 40 0 0.000 N 105 0 0.000 W 42849672.91m 1m 10000m 10m
            LOC 40 N 105 W -0.50m                          | 001216138895440069782d800098964e | 40 0 0.000 N 105 0 0.000 W -0.50m 1m 10000m 10m
            LOC 40 N 105 W -0.05m                          | 001216138895440069782d800098967b | 40 0 0.000 N 105 0 0.000 W -0.05m 1m 10000m 10m
            LOC 90 S 180 E -100000m 90000000m 0m 0.5m      | 009900516cb02700a69fb20000000000 | 90 0 0.000 S 180 0 0.000 E -100000.00m 90000000m 0m 0.50m
            LOC 52 22 23.456 N 4 53 32.1 E 2m 3m           | 003216138b3cf1e0810cbd4400989748 | 52 22 23.456 N 4 53 32.100 E 2.00m 3m 10000m 10m
            WKS 192.0.2.1 6 smtp http                      | c0000201060000004000000000000080 | 192.0.2.1 6 25 80
            WKS 192.0.2.1 udp domain 0                     | c00002011180000000000004         | 192.0.2.1 17 0 53
            SVCB 0 alias.example. alpn=h2                  | 000005616c696173076578616d706c650000010003026832 | 0 alias.example. alpn=h2
            HTTPS 0 . alpn="h1\\\\,h2,h3" port=443         | 000000000100090568312c68320268330003000201bb | 0 . alpn=h1\\092,h2,h3 port=443
            EUI48 00-00-5E-00-53-2a                        | 00005e00532a                     | 00-00-5e-00-53-2a
            EUI64 00-00-5e-ef-10-00-00-2a                  | 00005eef1000002a                 | 00-00-5e-ef-10-00-00-2a
            NID 10 0014:4fff:ff20:ee64                     | 000a00144fffff20ee64             | 10 0014:4fff:ff20:ee64
            L64 10 2001:DB8:1140:1000                      | 000a20010db811401000             | 10 2001:0db8:1140:1000
            L32 65535 10.1.2.0                             | ffff0a010200                     | 65535 10.1.2.0
            LP 10 L64-Subnet1.example.com.                 | 000a0b4c36342d5375626e657431076578616d706c6503636f6d00 | 10 L64-Subnet1.example.com.
            CSYNC 66 3 A NS AAAA TYPE1234                  | 000000420003000460000008041b000000000000000000000000000000000000000000000000000020 | 66 3 A NS AAAA TYPE1234
            AMTRELAY 10 1 3 Amtrelays.example.com.         | 0a8309416d7472656c617973076578616d706c6503636f6d00 | 10 1 3 Amtrelays.example.com.
            AMTRELAY 128 0 0 .                             | 8000                             | 128 0 0 .
            AMTRELAY 10 0 1 203.0.113.15                   | 0a01cb00710f                     | 10 0 1 203.0.113.15
            AVC "app-name:WOLFGANG;app-class:OAM" "x\\"y" "" | 1f6170702d6e616d653a574f4c4647414e473b6170702d636c6173733a4f414d0378227900 | "app-name:WOLFGANG;app-class:OAM" "x\\"y" ""
            NINFO "status: ok" \\210                        | 0a7374617475733a206f6b01d2       | "status: ok" "\\210"
            TA 12345 13 2 0123456789abcdef 01234567        | 30390d020123456789abcdef01234567 | 12345 13 2 0123456789ABCDEF01234567
            """)
    void readsTheWireFormOfLdnsAndBindAndWritesWhatReadsBack(String text, String wire, String presentation)
            throws Exception {
        Record r = read(text);

        assertThat(HexFormat.of().formatHex(r.rdataToWireCanonical())).isEqualTo(wire);
        assertThat(r.rdataToString()).isEqualTo(presentation);
        Record again = read(text.substring(0, text.indexOf(' ')) + " " + r.rdataToString());
        assertThat(again.rdataToWireCanonical()).isEqualTo(r.rdataToWireCanonical());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "LOC 91 N 0 E 0m",
                "LOC 40 60 N 105 W 0m",
                "LOC 40 0 60 N 105 W 0m",
                "LOC 40 N 105 W 42849672.96m",
                "LOC 40 N 105 W -100000.01m",
                "LOC 40 N 105 W 1.005m",
                "LOC 40 X 105 W 0m",
                "WKS 192.0.2.1 6 no-such-service",
                "EUI48 00-00-5e-00-53",
                "EUI64 00-00-5e-00-53-2a",
                "NID 10 0014:4fff:ff20",
                "AMTRELAY 10 2 1 203.0.113.15",
                "AMTRELAY 10 0 0 relay.example.",
                "AMTRELAY 10 0 4 .",
                "CSYNC 1 0 NOTATYPE",
                "EUI48 \\# 5 00005e0053",
                "TA 12345 13 2",
                "TA 65536 13 2 00",
                "TA \\# 4 30390d02"
            })
    void refusesWhatIsNotThePresentationForm(String text) {
        assertThatThrownBy(() -> read(text)).isInstanceOf(InvalidInputException.class);
    }

    /**
     * RFC 4034 section 6.2 (with RFC 6840 section 5.1) lowercases RDATA names of the types it lists,
     * such as MX, and of no other: HIP, IPSECKEY, SVCB and HTTPS keep their case, as BIND signs them.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            MX 10 Mail.Example.                                              | 000a046d61696c076578616d706c6500
            HIP 2 200100107B1A74DF365639CC39F1D578 AwEAAQ== Rvs.Example.     | 1002000420010010 7b1a74df365639cc39f1d578 03010001 03527673074578616d706c6500
            IPSECKEY 10 3 2 Gateway.Example. AQNRU3mG                        | 0a030207476174657761790745 78616d706c6500 010351537986
            SVCB 1 Svc.Example. alpn=h2                                      | 000103537663074578616d706c6500000100030268 32
            HTTPS 0 Svc.Example.                                             | 000003537663074578616d706c6500
            """)
    void theCanonicalFormLowercasesOnlyTheNamesRfc4034Lists(String text, String canonical) throws Exception {
        assertThat(HexFormat.of().formatHex(read(text).rdataToWireCanonical())).isEqualTo(canonical.replace(" ", ""));
    }
}
