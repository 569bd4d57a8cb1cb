package org.mxpolicy.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.dns.DnsAnswer.Security;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AuthoritativeServersTest {

    private static final Name ZONE = Name.fromConstantString("lab.example.");
    private static final NameServer NS1 =
            new NameServer("ns1.lab.example.", new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));

    private static Record record(String text) throws IOException {
        String[] f = text.split(" ", 3);
        return Record.fromString(Name.fromString(f[0]), Type.value(f[1]), DClass.IN, 300, f[2], Name.root);
    }

    private static Message response(Name name, int type, int rcode, boolean aa) {
        Message m = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setRcode(rcode);
        if (aa) {
            m.getHeader().setFlag(Flags.AA);
        }
        return m;
    }

    @Test
    void negativeAnswerCarriesTheSerialOfTheSoaInTheAuthoritySection() throws IOException {
        Name name = Name.fromString("nothing.lab.example.");
        Message m = response(name, Type.TLSA, Rcode.NXDOMAIN, true);
        m.addRecord(
                record("lab.example. SOA ns1.lab.example. hostmaster.lab.example. 2025010203 3600 600 86400 300"),
                Section.AUTHORITY);

        ServerAnswer answer = AuthoritativeServers.answer(NS1, name, Type.TLSA, m);

        assertThat(answer.answered()).isTrue();
        assertThat(answer.rcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(answer.records()).isEmpty();
        assertThat(answer.soaSerial()).contains(2025010203L);
    }

    @Test
    void answerWithoutAaOrWithAnErrorCodeIsAProblem() throws IOException {
        Name name = Name.fromString("mx1.lab.example.");
        Message notAuthoritative = response(name, Type.A, Rcode.NOERROR, false);
        notAuthoritative.addRecord(record("mx1.lab.example. A 192.0.2.25"), Section.ANSWER);

        ServerAnswer lame = AuthoritativeServers.answer(NS1, name, Type.A, notAuthoritative);
        ServerAnswer refused =
                AuthoritativeServers.answer(NS1, name, Type.A, response(name, Type.A, Rcode.REFUSED, false));
        ServerAnswer servfail =
                AuthoritativeServers.answer(NS1, name, Type.A, response(name, Type.A, Rcode.SERVFAIL, true));

        assertThat(lame.problem()).contains("answered without the AA flag: not authoritative for mx1.lab.example.");
        assertThat(lame.records()).hasSize(1);
        assertThat(refused.problem()).contains("answered REFUSED");
        assertThat(servfail.problem()).contains("answered SERVFAIL");
    }

    @Test
    void serversAreEveryAddressOfEveryNsNameUnlessConfigured() throws IOException {
        Map<String, List<Record>> zone = Map.of(
                "lab.example. NS",
                        List.of(record("lab.example. NS ns2.lab.example."), record("lab.example. NS ns1.lab.example.")),
                "ns1.lab.example. A", List.of(record("ns1.lab.example. A 192.0.2.1")),
                "ns1.lab.example. AAAA", List.of(record("ns1.lab.example. AAAA 2001:db8::1")),
                "ns2.lab.example. A", List.of(record("ns2.lab.example. A 192.0.2.2")));
        List<String> asked = new ArrayList<>();
        DnsLookup lookup = (name, type) -> {
            String key = name + " " + Type.string(type);
            asked.add(key);
            return new DnsAnswer(
                    name,
                    type,
                    Rcode.NOERROR,
                    Security.SECURE,
                    zone.getOrDefault(key, List.of()),
                    List.of(),
                    Optional.empty());
        };
        AuthoritativeServers servers = new AuthoritativeServers(lookup, Duration.ofSeconds(1));

        List<NameServer> found = servers.servers(ZONE, List.of());
        asked.clear();
        List<NameServer> configured = servers.servers(ZONE, List.of(NS1));

        assertThat(found)
                .extracting(NameServer::toString)
                .containsExactly(
                        "ns1.lab.example. (192.0.2.1:53)",
                        "ns1.lab.example. ([2001:db8::1]:53)",
                        "ns2.lab.example. (192.0.2.2:53)");
        assertThat(configured).containsExactly(NS1);
        assertThat(asked).isEmpty();
    }

    @Test
    void noServersWhenTheNsRrsetCannotBeFound() {
        DnsLookup failing = (name, type) -> new DnsAnswer(
                name, type, Rcode.SERVFAIL, Security.FAILED, List.of(), List.of(), Optional.of("no answer"));

        assertThat(new AuthoritativeServers(failing, Duration.ofSeconds(1)).servers(ZONE, List.of()))
                .isEmpty();
    }
}
