package org.mxpolicy.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.plan.OwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.OwnershipLedger.PolicyTerms;
import org.mxpolicy.plan.OwnershipLedger.Withdrawal;
import org.mxpolicy.plan.RrsetKey;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

class JsonOwnershipLedgerTest {

    private static final Name ZONE = Name.fromConstantString("example.test.");

    @TempDir
    Path dir;

    private static OwnershipLedger ledger() {
        PolicyTerms terms =
                new PolicyTerms(86400, Optional.of("/etc/mxpolicy/sts.pem"), Optional.of("/etc/mxpolicy/sts.key"));
        TreeMap<String, PolicyTerms> policies = new TreeMap<>();
        policies.put("example.test", terms);
        TreeMap<String, Withdrawal> withdrawals = new TreeMap<>();
        withdrawals.put(
                "old.example.test",
                new Withdrawal("old.example.test", Instant.parse("2026-12-01T00:00:00Z"), 600, "none1t600", terms));
        TreeMap<String, java.util.SortedMap<String, Instant>> coverage = new TreeMap<>();
        TreeMap<String, Instant> hosts = new TreeMap<>();
        hosts.put("mx1.example.test", Instant.parse("2026-11-01T00:00:00Z"));
        coverage.put("example.test", hosts);
        return OwnershipLedger.empty()
                .with(
                        ZONE,
                        new OwnedZone(
                                new TreeSet<>(Set.of(
                                        new RrsetKey(Name.fromConstantString("_25._tcp.mx1.example.test."), Type.TLSA),
                                        new RrsetKey(Name.fromConstantString("_mta-sts.example.test."), Type.TXT))),
                                policies,
                                withdrawals,
                                coverage));
    }

    @Test
    void whatIsSavedIsLoadedAndEqualLedgersAreEqualFiles() throws Exception {
        JsonOwnershipLedger store = new JsonOwnershipLedger(dir);

        store.save(ledger());

        assertThat(store.load()).isEqualTo(ledger());
        assertThat(Files.readString(store.file())).isEqualTo(JsonOwnershipLedger.write(ledger()));
        assertThat(store.file()).isEqualTo(dir.resolve("_ownership/ledger.json"));
    }

    @Test
    void withoutAStateDirectoryNothingIsKeptAndNothingIsLoaded() throws Exception {
        JsonOwnershipLedger store = new JsonOwnershipLedger(dir.resolve("missing"));

        store.save(ledger());

        assertThat(dir.resolve("missing")).doesNotExist();
        assertThat(store.load()).isEqualTo(OwnershipLedger.empty());
    }

    @Test
    void aLedgerOthersMayWriteIsNotTrusted() throws Exception {
        JsonOwnershipLedger store = new JsonOwnershipLedger(dir);
        store.save(ledger());
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-rw-r--"));

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, store::load);

        assertThat(e).isNotNull();
        assertThat(e.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.format())
                        .contains("writable by group or others")
                        .endsWith("[ownership.ledger-file]"));
    }

    @Test
    void aMalformedLedgerIsOneFindingNamingTheFile() {
        InvalidInputException e = catchThrowableOfType(
                InvalidInputException.class, () -> JsonOwnershipLedger.read("{\"format\": 7}", "ledger.json"));

        assertThat(e.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.format()).startsWith("ledger.json").contains("move it away"));
    }
}
