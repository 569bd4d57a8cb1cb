package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.cert.InMemoryPki;
import org.mxpolicy.desired.HttpsHost;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.server.PolicyService;
import org.mxpolicy.testing.LabFiles;
import org.xbill.DNS.Name;

/**
 * A domain whose MTA-STS {@code publish} withdraws is served with {@code mode: none} until the
 * withdrawal ends (RFC 8461 section 8.3), although the config no longer names it.
 */
class ServedWithdrawalTest {

    private static final InMemoryPki.Issuer CA =
            InMemoryPki.intermediateCa("Withdrawal CA", InMemoryPki.rootCa("Withdrawal Root"));
    private static final Instant STARTED = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theWithdrawingDomainServesModeNoneUntilTheOldMaxAgeHasPassed() throws Exception {
        Path mx = Path.of("examples/certs/mx1.example.com/fullchain.pem").toAbsolutePath();
        LabFiles.serverKeyAndChain(dir, "old", "mta-sts.old.example", CA);
        Path config = dir.resolve("provider.yaml");
        Files.writeString(config, """
                zones: { example.com: {} }
                rollover: { state_dir: state }
                domains: [ { name: example.com, mx: [ { host: mx1.example.com, cert: %s } ] } ]
                """.formatted(mx));
        Files.createDirectory(dir.resolve("state"));
        PolicyTerms terms = new PolicyTerms(
                604800,
                Optional.of(dir.resolve("old.pem").toString()),
                Optional.of(dir.resolve("old.key").toString()));
        Withdrawal withdrawal = new Withdrawal("old.example", STARTED, 604800, "none1796083200t604800", terms);
        TreeMap<String, Withdrawal> withdrawals = new TreeMap<>();
        withdrawals.put("old.example", withdrawal);
        new JsonOwnershipLedger(dir.resolve("state"))
                .save(OwnershipLedger.empty()
                        .with(
                                Name.fromConstantString("old.example."),
                                new OwnedZone(new TreeSet<>(), new TreeMap<>(), withdrawals)));

        PolicyService.Loaded during =
                new HttpsHostFiles(config, at(withdrawal.ends().minusSeconds(1))).load();
        PolicyService.Loaded after = new HttpsHostFiles(config, at(withdrawal.ends())).load();

        assertThat(during.hosts()).singleElement().satisfies(c -> {
            HttpsHost host = c.host();
            assertThat(host.host()).isEqualTo("mta-sts.old.example");
            // RFC 8461 section 8.3: mode none with a small max_age, served for the old max_age of a week
            assertThat(host.policy().get().text()).isEqualTo("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
        });
        assertThat(during.files()).contains(dir.resolve("state/_ownership/ledger.json"));
        assertThat(after.hosts()).isEmpty();
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
