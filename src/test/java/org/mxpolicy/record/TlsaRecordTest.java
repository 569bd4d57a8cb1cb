package org.mxpolicy.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.cert.SubjectPublicKey;

class TlsaRecordTest {

    private static final KeyPair KEY = InMemoryPki.ec("secp256r1");
    private static final X509Certificate CERT = InMemoryPki.selfSigned(KEY, "mx.example.org", false, "mx.example.org");

    @Test
    void presentationIsLowerCaseHex() {
        TlsaRecord record = new TlsaRecord(3, 1, 1, HexFormat.of().parseHex("AB".repeat(32)));

        assertThat(record.presentation()).isEqualTo("3 1 1 " + "ab".repeat(32));
        assertThat(record).hasToString("TLSA 3 1 1 " + "ab".repeat(32));
    }

    @Test
    void digestsTheSelectedContent() throws Exception {
        byte[] spki = KEY.getPublic().getEncoded();
        byte[] der = CERT.getEncoded();

        assertThat(TlsaRecord.of(3, 1, 1, CERT).data())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(spki));
        assertThat(TlsaRecord.of(3, 1, 2, CERT).data())
                .isEqualTo(MessageDigest.getInstance("SHA-512").digest(spki));
        assertThat(TlsaRecord.of(3, 1, 0, CERT).data()).isEqualTo(spki);
        assertThat(TlsaRecord.of(2, 0, 1, CERT).data())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(der));
        assertThat(TlsaRecord.of(3, 0, 0, CERT).data()).isEqualTo(der);
    }

    @Test
    void keyRecordEqualsCertificateRecord() throws Exception {
        SubjectPublicKey key = SubjectPublicKey.of(CERT);

        assertThat(TlsaRecord.of(3, 1, key)).isEqualTo(TlsaRecord.of(3, 1, 1, CERT));
        assertThat(TlsaRecord.of(3, 2, key).selector()).isEqualTo(TlsaRecord.SELECTOR_SPKI);
    }

    @Test
    void equalsByContentAndCopiesData() {
        byte[] data = new byte[32];
        TlsaRecord record = new TlsaRecord(3, 1, 1, data);
        data[0] = 1;
        record.data()[1] = 1;

        assertThat(record)
                .isEqualTo(new TlsaRecord(3, 1, 1, new byte[32]))
                .hasSameHashCodeAs(new TlsaRecord(3, 1, 1, new byte[32]))
                .isNotEqualTo(new TlsaRecord(2, 1, 1, new byte[32]));
        assertThat(record.data()).isEqualTo(new byte[32]);
    }

    @ParameterizedTest
    @CsvSource({
        "3, 1, 1, 31, 'TLSA matching type 1 needs 32 octets of data, not 31'",
        "3, 1, 1, 64, 'TLSA matching type 1 needs 32 octets of data, not 64'",
        "3, 1, 2, 32, 'TLSA matching type 2 needs 64 octets of data, not 32'",
        "3, 1, 0, 0, 'TLSA certificate association data must not be empty'",
        "256, 1, 1, 32, 'TLSA usage 256 outside 0..255'",
        "-1, 1, 1, 32, 'TLSA usage -1 outside 0..255'",
        "3, 256, 1, 32, 'TLSA selector 256 outside 0..255'",
        "3, 1, -1, 32, 'TLSA matching type -1 outside 0..255'",
    })
    void rejectsInvalidRecords(int usage, int selector, int matching, int length, String message) {
        assertThatThrownBy(() -> new TlsaRecord(usage, selector, matching, new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void acceptsUnassignedValuesItCannotCompute() {
        assertThat(new TlsaRecord(255, 255, 255, new byte[] {1}).presentation()).isEqualTo("255 255 255 01");
        assertThatThrownBy(() -> TlsaRecord.of(3, 2, 1, CERT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsaRecord.of(3, 1, 3, CERT)).isInstanceOf(IllegalArgumentException.class);
    }
}
