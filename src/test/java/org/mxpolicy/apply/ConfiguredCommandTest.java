package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.finding.VerificationFailedException;

class ConfiguredCommandTest {

    private static final SourcePosition AT = new SourcePosition("provider.yaml", 12, 5);

    @TempDir
    Path dir;

    @Test
    void aCommandThatSucceedsRunsWithoutAShell() throws Exception {
        Path marker = dir.resolve("ran");
        ConfiguredCommand.run("touch " + marker, Duration.ofSeconds(10), "x.reload", AT, "the reload");
        assertThat(marker).exists();
    }

    @Test
    void aFailingCommandIsOneFindingWithItsOutput() {
        assertThatThrownBy(() -> ConfiguredCommand.run(
                        "ls " + dir.resolve("missing"), Duration.ofSeconds(10), "x.reload", AT, "the reload"))
                .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
                    assertThat(e.findings()).singleElement().satisfies(f -> {
                        assertThat(f.id()).isEqualTo("x.reload");
                        assertThat(f.position()).isEqualTo(AT);
                        assertThat(f.message()).contains("exited with 2").contains("missing");
                    });
                });
    }

    @Test
    void aLongOutputIsShownByItsEndOnOneBoundedLine() throws Exception {
        Path script = dir.resolve("chatty.sh");
        Files.writeString(script, "#!/bin/sh\nseq 1 100000\necho 'error: zone example.com. not loaded'\nexit 1\n");
        script.toFile().setExecutable(true);

        assertThatThrownBy(() ->
                        ConfiguredCommand.run(script.toString(), Duration.ofSeconds(10), "x.reload", AT, "the reload"))
                .isInstanceOfSatisfying(VerificationFailedException.class, e -> {
                    String message = e.findings().get(0).message();
                    assertThat(message)
                            .contains("exited with 1")
                            .endsWith("99999 / 100000 / error: zone example.com. not loaded")
                            .doesNotContain("\n");
                    assertThat(message.length()).isLessThan(800);
                });
    }

    @Test
    void aCommandThatHangsWithItsOutputOpenEndsAtTheLimit() throws Exception {
        Path script = dir.resolve("hang.sh");
        Files.writeString(script, "#!/bin/sh\necho started\nexec sleep 600\n");
        script.toFile().setExecutable(true);

        assertThatThrownBy(() ->
                        ConfiguredCommand.run(script.toString(), Duration.ofMillis(500), "x.reload", AT, "the reload"))
                .isInstanceOfSatisfying(
                        VerificationFailedException.class,
                        e -> assertThat(e.findings().get(0).message())
                                .contains("did not end within")
                                .contains("started"));
    }
}
