package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;

/** A TSIG key file is read up to 64 KiB; an endless one ends in one finding. */
class TsigKeyFileLimitTest {

    @Test
    void anEndlessKeyFileEndsAtTheLimit() {
        InvalidInputException e = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            try (Reader zeros = new InputStreamReader(new FileInputStream("/dev/zero"), StandardCharsets.UTF_8)) {
                return catchThrowableOfType(InvalidInputException.class, () -> TsigKeyFile.read(zeros, "/dev/zero"));
            }
        });

        assertThat(e.findings())
                .extracting(Finding::format)
                .containsExactly(
                        "/dev/zero: error: larger than 64 KiB, the limit for a TSIG key file; is it the right file? [tsig.size]");
    }

    @Test
    void aKeyFileOfExactlyTheLimitIsParsed() throws Exception {
        String key = "key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0\"; };\n";
        String text = key + "#".repeat(TsigKeyFile.SIZE_LIMIT.maxBytes() - key.length());

        assertThat(TsigKeyFile.read(new StringReader(text), "k.key").keys()).hasSize(1);
    }
}
