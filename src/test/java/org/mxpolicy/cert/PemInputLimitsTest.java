package org.mxpolicy.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.FileInputStream;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.mxpolicy.finding.InvalidInputException;

/** Certificate and key files are read up to their limit: {@code /dev/zero} is one finding, not an OutOfMemoryError. */
class PemInputLimitsTest {

    private static String refusal(ThrowingConsumer<InputStream> reader) {
        InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (InputStream zeros = new FileInputStream("/dev/zero")) {
                return catchThrowableOfType(InvalidInputException.class, () -> reader.accept(zeros));
            }
        });
        assertThat(e.findings()).hasSize(1);
        return e.findings().get(0).format();
    }

    @Test
    void anEndlessCertificateFileEndsAtOneMebibyte() {
        assertThat(refusal(in -> CertificateChainReader.read(in, "/dev/zero")))
                .isEqualTo(
                        "/dev/zero: error: larger than 1 MiB, the limit for a certificate file; is it the right file? [cert.size]");
    }

    @Test
    void anEndlessKeyFileEndsAtOneMebibyte() {
        String expected =
                "/dev/zero: error: larger than 1 MiB, the limit for a key file; is it the right file? [key.size]";
        assertThat(refusal(in -> PrivateKeyReader.read(in, "/dev/zero"))).isEqualTo(expected);
        assertThat(refusal(in -> PublicKeyReader.read(in, "/dev/zero"))).isEqualTo(expected);
    }

    @Test
    void theLimitsAreThoseDocumented() {
        assertThat(CertificateChainReader.SIZE_LIMIT.maxBytes()).isEqualTo(1 << 20);
        assertThat(PrivateKeyReader.SIZE_LIMIT)
                .extracting(l -> l.maxBytes(), l -> l.id())
                .containsExactly(1 << 20, "key.size");
    }
}
