package org.mxpolicy.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mxpolicy.files.JsonOwnershipLedger;
import org.mxpolicy.plan.OwnershipLedger.OwnedZone;
import org.mxpolicy.plan.RrsetKey;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** When publish transfers a zone to find its ownership markers: once, not on every run. */
class ZoneTransferChoiceTest {

    @TempDir
    Path dir;

    @Test
    void aZoneTheKeptLedgerDoesNotKnowIsTransferred() {
        assertThat(ZonePlanner.transfers(OwnedZone.EMPTY, new JsonOwnershipLedger(dir)))
                .isTrue();
    }

    @Test
    void aZoneTheLedgerKnowsIsNotTransferred() {
        TreeSet<RrsetKey> owned = new TreeSet<>();
        owned.add(new RrsetKey(Name.fromConstantString("_25._tcp.mx1.example.com."), Type.TLSA));
        OwnedZone known = new OwnedZone(owned, new TreeMap<>(), new TreeMap<>());

        assertThat(ZonePlanner.transfers(known, new JsonOwnershipLedger(dir))).isFalse();
    }

    @Test
    void withoutAStateDirectoryNoRunTransfersAZone() {
        Path missing = dir.resolve("no-such-state-dir");
        assertThat(Files.exists(missing)).isFalse();

        // nothing found would be kept, so every run would transfer every zone again
        assertThat(ZonePlanner.transfers(OwnedZone.EMPTY, new JsonOwnershipLedger(missing)))
                .isFalse();
        assertThat(ZonePlanner.transfers(OwnedZone.EMPTY, LedgerStore.NONE)).isFalse();
    }
}
