package org.mxpolicy.keyroll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mxpolicy.config.FileReference;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.dns.AuthoritativeQuery;
import org.mxpolicy.dns.DnsAnswer;
import org.mxpolicy.dns.DnsLookup;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.MxpolicyException;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;

/** The I/O order of a run: the state first, then each key change, then the publication; a run cut short is finished by the next. */
class KeyRollRunTest {

    /** A key directory in memory that fails the write it is told to, as a crash would stop it. */
    private static final class Keys implements KeyFileStore {
        final List<ZoneKey> keys = new ArrayList<>();
        final List<String> writes = new ArrayList<>();
        int failAt = -1;

        @Override
        public List<ZoneKey> load(Path dir, Name zone) {
            return List.copyOf(keys);
        }

        @Override
        public void create(Path dir, ZoneKey key) throws MxpolicyException {
            write("create " + (key.isKsk() ? "SEP" : "ZSK"));
            keys.add(key);
        }

        @Override
        public void retime(Path dir, ZoneKey key) throws MxpolicyException {
            write("retime " + key.keyTag());
            keys.replaceAll(k -> k.keyTag() == key.keyTag() ? key : k);
        }

        @Override
        public List<String> settle(Path dir, Name zone) {
            return List.of();
        }

        private void write(String what) throws MxpolicyException {
            if (writes.size() == failAt) {
                throw new InvalidInputException("test.crash", null, "stopped before: " + what);
            }
            writes.add(what);
        }
    }

    private static final class States implements KeyRollStore {
        Optional<KeyRollState> saved = Optional.empty();
        final List<String> events;

        States(List<String> events) {
            this.events = events;
        }

        @Override
        public Optional<KeyRollState> load(String zone) {
            return saved;
        }

        @Override
        public void save(KeyRollState state) {
            events.add("save state");
            saved = Optional.of(state);
        }
    }

    /** Nothing answers: the zone is not served yet, so a new zone's first keys are made. */
    private static final DnsLookup SILENT = (name, type) -> new DnsAnswer(
            name, type, Rcode.SERVFAIL, DnsAnswer.Security.FAILED, List.of(), List.of(), Optional.empty());

    private static final AuthoritativeQuery NO_SERVERS = new AuthoritativeQuery() {
        @Override
        public List<org.mxpolicy.dns.NameServer> servers(Name zone, List<org.mxpolicy.dns.NameServer> configured) {
            return List.of();
        }

        @Override
        public List<org.mxpolicy.dns.ServerAnswer> askAll(
                List<org.mxpolicy.dns.NameServer> servers, Name name, int type) {
            return List.of();
        }

        @Override
        public List<org.mxpolicy.dns.ServerAnswer> soaSerials(List<org.mxpolicy.dns.NameServer> servers, Name zone) {
            return List.of();
        }
    };

    private static final ZoneSettings ZONE = new ZoneSettings(
            KeyWorld.ZONE,
            3600,
            List.of(),
            Optional.empty(),
            Optional.of(new ZoneFileSigning(
                            new FileReference("z", null),
                            new FileReference("z.signed", null),
                            new FileReference("keys", null),
                            false,
                            Optional.empty(),
                            null)
                    .withKeyPolicy(KeyWorld.policy(false))),
            null);

    @Test
    void theStateIsSavedFirstTheKeysChangedInOrderAndTheZonePublishedLast() throws Exception {
        List<String> events = new ArrayList<>();
        Keys keys = new Keys();
        KeyRollRun run = run(keys, new States(events), events);

        run.run(ZONE, zone -> events.add("publish " + zone));

        assertThat(events).containsExactly("save state", "publish " + KeyWorld.ZONE);
        assertThat(keys.writes).containsExactly("create SEP", "create ZSK");
    }

    @Test
    void aRunStoppedBetweenTwoWritesIsFinishedByTheNext() throws Exception {
        List<String> events = new ArrayList<>();
        Keys keys = new Keys();
        States states = new States(events);
        keys.failAt = 1;
        assertThatThrownBy(() -> run(keys, states, events).run(ZONE, zone -> events.add("publish")))
                .isInstanceOf(InvalidInputException.class);
        assertThat(events).containsExactly("save state");
        assertThat(keys.keys).extracting(ZoneKey::isKsk).containsExactly(true);

        keys.failAt = -1;
        run(keys, states, events).run(ZONE, zone -> events.add("publish"));
        assertThat(keys.writes).containsExactly("create SEP", "create ZSK");
        assertThat(keys.keys).extracting(ZoneKey::isKsk).containsExactly(true, false);
        assertThat(events).containsExactly("save state", "save state", "publish");

        // nothing more to do: a third run changes no key and publishes again (signatures come due)
        run(keys, states, events).run(ZONE, zone -> events.add("publish"));
        assertThat(keys.writes).hasSize(2);
    }

    private static KeyRollRun run(Keys keys, States states, List<String> events) {
        return new KeyRollRun(
                keys,
                states,
                new KeyRollRun.Observers(SILENT, NO_SERVERS),
                Path.of("."),
                new SecureRandom(),
                Clock.fixed(KeyWorld.T0, ZoneOffset.UTC),
                line -> {});
    }
}
