package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dns.NameServer;
import org.mxpolicy.dns.ServerAnswer;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.zone.ZoneFragment;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

/**
 * The wait compares the authoritative servers' answers with the desired RRset TTL included, and
 * the resolver's by records only: a caching resolver counts the TTL down.
 */
class ServedWaitTest {

    private static final Name ZONE = Name.fromConstantString("example.test.");
    private static final Name OWNER = Name.fromConstantString("_mta-sts.example.test.");
    private static final NameServer PRIMARY = new NameServer("192.0.2.53", new InetSocketAddress("192.0.2.53", 53));

    private static Record policy(long ttl, String id) {
        return new TXTRecord(OWNER, DClass.IN, ttl, "v=STSv1; id=" + id);
    }

    private static ProviderConfig config() throws Exception {
        return ConfigLoader.load(new StringReader("""
                zones:
                  example.test:
                    nameservers: [192.0.2.53]
                domains:
                  - name: example.test
                    mx: [{ host: mx1.example.test, cert: mx1.pem }]
                """), "provider.yaml").config();
    }

    private static List<Finding> lagging(Record desired, Record authoritative, Record throughResolver)
            throws Exception {
        DnsLookup resolver = (name, type) -> new DnsAnswer(
                name,
                type,
                Rcode.NOERROR,
                DnsAnswer.Security.SECURE,
                List.of(throughResolver),
                List.of(),
                Optional.empty());
        AuthoritativeQuery authorities = new AuthoritativeQuery() {
            @Override
            public List<NameServer> servers(Name zone, List<NameServer> configured) {
                return configured;
            }

            @Override
            public List<ServerAnswer> askAll(List<NameServer> servers, Name name, int type) {
                return servers.stream()
                        .map(s -> new ServerAnswer(
                                s,
                                Rcode.NOERROR,
                                true,
                                List.of(authoritative),
                                List.of(),
                                Optional.empty(),
                                Optional.empty()))
                        .toList();
            }

            @Override
            public List<ServerAnswer> soaSerials(List<NameServer> servers, Name zone) {
                throw new UnsupportedOperationException();
            }
        };
        return new ServedWait(config(), resolver, authorities, Clock.systemUTC())
                .lagging(List.of(new ZoneFragment(ZONE, List.of(desired))));
    }

    @Test
    void aCachedAnswerWithTheTtlCountedDownIsServed() throws Exception {
        assertThat(lagging(policy(3600, "2"), policy(3600, "2"), policy(3517, "2")))
                .isEmpty();
    }

    @Test
    void aCachedAnswerWithOtherRecordsIsNotValidated() throws Exception {
        assertThat(lagging(policy(3600, "2"), policy(3600, "2"), policy(3517, "1")))
                .extracting(Finding::id)
                .containsExactly("publish.not-validated");
    }

    @Test
    void anAuthoritativeServerWithAnotherTtlDoesNotYetServeTheRrset() throws Exception {
        assertThat(lagging(policy(3600, "2"), policy(300, "2"), policy(300, "2")))
                .extracting(Finding::id)
                .containsExactly("publish.not-served");
    }
}
