package org.mxpolicy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.mxpolicy.finding.InvalidInputException;

class AdminPasswordsTest {

    private static Optional<String> basic(String user, String password) {
        return Optional.of("Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aLineMadeForAPasswordAcceptsThatPasswordOnly() throws Exception {
        String line = AdminPasswords.line("ops", "s3cret:with colon".toCharArray(), new SecureRandom());
        assertThat(line).matches("ops:\\$2y\\$12\\$[./A-Za-z0-9]{53}");
        AdminPasswords passwords = AdminPasswords.parse("# admins\n\n" + line + "\n", "admin.passwd");
        assertThat(passwords.accepts(basic("ops", "s3cret:with colon"))).isTrue();
        assertThat(passwords.accepts(basic("ops", "s3cret"))).isFalse();
        assertThat(passwords.accepts(basic("other", "s3cret:with colon"))).isFalse();
        assertThat(passwords.accepts(Optional.of("Basic !!!"))).isFalse();
        assertThat(passwords.accepts(Optional.of("Bearer x"))).isFalse();
        assertThat(passwords.accepts(Optional.empty())).isFalse();
    }

    @Test
    void hashesOfOtherBcryptImplementationsAreRead() throws Exception {
        // libxcrypt's crypt(3): perl -e 'print crypt("admin", q($2b$05$abcdefghijklmnopqrstuu))'
        String hash = "$05$abcdefghijklmnopqrstuu/ETYr/khvH.poOJBsjjZk.DM9FaNihe";
        for (String version : new String[] {"2b", "2y", "2a"}) {
            AdminPasswords passwords = AdminPasswords.parse("admin:$" + version + hash + "\n", "admin.passwd");
            assertThat(passwords.accepts(basic("admin", "admin"))).as(version).isTrue();
            assertThat(passwords.accepts(basic("admin", "Admin"))).as(version).isFalse();
        }
    }

    @Test
    void malformedLinesAreNamedWithoutEchoingThem() {
        assertThatThrownBy(() -> AdminPasswords.parse("admin:hunter2\nok:$2y$05$short\n", "admin.passwd"))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).findings())
                        .extracting(f -> f.format())
                        .containsExactly(
                                "admin.passwd:1:1: error: not user:bcrypt-hash; make a line with mxpolicy serve"
                                        + " --hash-password [admin.password-file]",
                                "admin.passwd:2:1: error: not user:bcrypt-hash; make a line with mxpolicy serve"
                                        + " --hash-password [admin.password-file]"))
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> AdminPasswords.parse("# nobody\n", "admin.passwd"))
                .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anUnknownUserCostsAsMuchAsTheCostliestKnownOne() throws Exception {
        byte[] salt = new byte[16];
        String cheap = OpenBSDBCrypt.generate("2y", "one".toCharArray(), salt, 4);
        String dear = OpenBSDBCrypt.generate("2y", "two".toCharArray(), salt, 10);
        // several files with other names: whichever line a map happens to hand out first
        for (int f = 0; f < 6; f++) {
            StringBuilder file = new StringBuilder();
            for (int i = 0; i < 15; i++) {
                file.append("cheap")
                        .append(f)
                        .append('-')
                        .append(i)
                        .append(':')
                        .append(cheap)
                        .append('\n');
            }
            file.append("dear").append(f).append(':').append(dear).append('\n');
            AdminPasswords passwords = AdminPasswords.parse(file.toString(), "admin.passwd");
            String known = "dear" + f;

            long unknownTime = fastestOfThree(() -> passwords.accepts(basic("nobody", "guess")));
            long knownTime = fastestOfThree(() -> passwords.accepts(basic(known, "guess")));

            // cost 10 is 64 times cost 4: checked against a cheap hash, the unknown user would show
            assertThat(unknownTime).as("file %d", f).isGreaterThan(knownTime / 2);
        }
    }

    private static long fastestOfThree(java.util.function.BooleanSupplier check) {
        long fastest = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            assertThat(check.getAsBoolean()).isFalse();
            fastest = Math.min(fastest, System.nanoTime() - start);
        }
        return fastest;
    }

    @Test
    void passwordsBcryptCannotTakeAreRefusedWhenMade() {
        assertThatThrownBy(() -> AdminPasswords.line("ops", "x".repeat(73).toCharArray(), new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminPasswords.line("a:b", "x".toCharArray(), new SecureRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
