package org.mxpolicy.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartTlsPreambleTest {

    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();

    private void run(TlsStart start, String server) throws IOException {
        new StartTlsPreamble(new ByteArrayInputStream(server.getBytes(StandardCharsets.US_ASCII)), sent)
                .run(start, "scanner.example.test");
    }

    private String sent() {
        return sent.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void smtpSendsEhloAndStarttlsAndLeavesTheTlsBytesUnread() throws IOException {
        byte[] server = ("220 mx.example.test ESMTP\r\n250-mx.example.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n"
                        + "220 2.0.0 Ready to start TLS\r\n\u0016\u0003\u0003")
                .getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayInputStream in = new ByteArrayInputStream(server);

        new StartTlsPreamble(in, sent).run(TlsStart.SMTP, "scanner.example.test");

        assertThat(sent()).isEqualTo("EHLO scanner.example.test\r\nSTARTTLS\r\n");
        assertThat(in.readAllBytes()).containsExactly(0x16, 0x03, 0x03);
    }

    @Test
    void smtpWithoutStarttlsInTheEhloResponseStopsBeforeAskingForIt() {
        assertThatThrownBy(() -> run(TlsStart.SMTP, "220 mx ESMTP\r\n250-mx\r\n250 PIPELINING\r\n"))
                .hasMessage("STARTTLS not offered in the EHLO response");
        assertThat(sent()).isEqualTo("EHLO scanner.example.test\r\n");
    }

    @Test
    void aGreetingThatIsNot220Stops() {
        assertThatThrownBy(() -> run(TlsStart.SMTP, "554 no service\r\n"))
                .hasMessage("greeting is not 220: 554 no service");
    }

    @Test
    void imapAndPop3() throws IOException {
        run(TlsStart.IMAP, "* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\na1 OK Begin TLS\r\n");
        run(TlsStart.POP3, "+OK POP3 ready\r\n+OK Begin TLS\r\n");

        assertThat(sent()).isEqualTo("a1 STARTTLS\r\nSTLS\r\n");
        assertThatThrownBy(() -> run(TlsStart.POP3, "+OK ready\r\n-ERR no\r\n")).hasMessage("STLS refused: -ERR no");
    }

    @Test
    void anEndlessLineIsCutOff() {
        assertThatThrownBy(() -> run(TlsStart.SMTP, "220 " + "x".repeat(5000)))
                .hasMessageContaining("longer than 2048 bytes");
    }
}
