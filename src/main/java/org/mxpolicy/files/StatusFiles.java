package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mxpolicy.config.KeyPolicy;
import org.mxpolicy.config.ZoneFileSigning;
import org.mxpolicy.config.ZoneSettings;
import org.mxpolicy.dnssec.KeyTiming;
import org.mxpolicy.dnssec.ZoneKey;
import org.mxpolicy.finding.InputLimit;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.keyroll.KeyId;
import org.mxpolicy.keyroll.KeyRollMachine;
import org.mxpolicy.keyroll.KeyRollState;
import org.mxpolicy.keyroll.KeyStatus;
import org.mxpolicy.keyroll.ServedKeys;
import org.mxpolicy.keyroll.Sighting;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.status.AuditJson;
import org.mxpolicy.status.AuditRun;
import org.mxpolicy.status.CheckJson;
import org.mxpolicy.status.StatusModel;
import org.mxpolicy.status.StatusSource;
import org.mxpolicy.status.ZoneKeys;
import org.xbill.DNS.Name;

/**
 * The file side of the status pages: the check run a cron job saves, parsed again only when its
 * {@link FileStamp} changed (the job writes it atomically, so a new file is a new inode), and the
 * rollover states through {@link JsonRolloverStore}. The audit a cron job saves
 * ({@code audit --format json -o}) is read the same way, when the config names one.
 */
public final class StatusFiles implements StatusSource {

    /** A check of 20,000 domains writes a few tens of MiB; this bounds a wrong file. */
    public static final InputLimit SIZE_LIMIT = new InputLimit("check JSON file", "status.size", 256 * 1024 * 1024);

    /** An audit holds every finding of every MX address; as many domains as a check, more text. */
    public static final InputLimit AUDIT_SIZE_LIMIT =
            new InputLimit("audit JSON file", "status.audit-size", 256 * 1024 * 1024);

    private final Path check;
    private final Optional<JsonRolloverStore> rollovers;
    private Optional<FileStamp> stamp = Optional.empty();
    private Optional<StatusModel> model = Optional.empty();
    private final Optional<Path> audit;
    private final Optional<KeyZones> keyZones;
    private final Optional<Path> rolloverStates;
    private Optional<FileStamp> auditStamp = Optional.empty();
    private Optional<AuditRun> auditRun = Optional.empty();

    /**
     * @param check the JSON of {@code mxpolicy check --format json -o}
     * @param rolloverStates the rollover state directory, if the config has one
     */
    public StatusFiles(Path check, Optional<Path> rolloverStates) {
        this(check, rolloverStates, Optional.empty());
    }

    /**
     * @param audit the JSON of {@code mxpolicy audit --format json -o}, if the config names one
     */
    public StatusFiles(Path check, Optional<Path> rolloverStates, Optional<Path> audit) {
        this(check, rolloverStates, audit, Optional.empty());
    }

    private StatusFiles(Path check, Optional<Path> rolloverStates, Optional<Path> audit, Optional<KeyZones> keys) {
        this.check = check;
        this.rollovers = rolloverStates.map(JsonRolloverStore::new);
        this.audit = audit;
        this.keyZones = keys;
        this.rolloverStates = rolloverStates;
    }

    /**
     * The zones whose DNSSEC keys {@code keys run} rolls, for the key events on their domain pages.
     *
     * @param baseDir what the zones' key directories are relative to (the config's directory)
     * @param stateDir where {@code keys run} saves what it saw ({@code <state_dir>/_dnssec/})
     */
    public record KeyZones(Path baseDir, Path stateDir, Map<String, ZoneSettings> zones) {

        public KeyZones {
            zones = Map.copyOf(zones);
        }
    }

    /** The same files, with the key events of the zones with a key policy among {@code keys}. */
    public StatusFiles withKeys(KeyZones keys) {
        Map<String, ZoneSettings> withPolicy = new java.util.HashMap<>();
        keys.zones().forEach((name, z) -> {
            if (z.signing().flatMap(ZoneFileSigning::keyPolicy).isPresent()) {
                withPolicy.put(name, z);
            }
        });
        return new StatusFiles(
                check, rolloverStates, audit, Optional.of(new KeyZones(keys.baseDir(), keys.stateDir(), withPolicy)));
    }

    /** Reads a check run once, for a command that renders it and exits. */
    public static StatusModel read(Path check) throws InvalidInputException {
        byte[] bytes = InputFiles.read(check, SIZE_LIMIT);
        return new StatusModel(CheckJson.read(new ByteArrayInputStream(bytes), check.toString()));
    }

    @Override
    public synchronized Optional<StatusModel> check() throws InvalidInputException {
        if (!Files.exists(check)) {
            stamp = Optional.empty();
            model = Optional.empty();
            return model;
        }
        Optional<FileStamp> now = FileStamp.of(check);
        if (now.isPresent() && now.equals(stamp) && model.isPresent()) {
            return model;
        }
        StatusModel read = read(check);
        // The stamp is the one from before the read: a write during the read shows as a change
        // next time, and is read again then.
        stamp = now;
        model = Optional.of(read);
        return model;
    }

    @Override
    public synchronized Optional<AuditRun> audit() throws InvalidInputException {
        if (audit.isEmpty() || !Files.exists(audit.get())) {
            auditStamp = Optional.empty();
            auditRun = Optional.empty();
            return auditRun;
        }
        Path file = audit.get();
        Optional<FileStamp> now = FileStamp.of(file);
        if (now.isPresent() && now.equals(auditStamp) && auditRun.isPresent()) {
            return auditRun;
        }
        FileTime written;
        try {
            written = Files.getLastModifiedTime(file);
        } catch (java.io.IOException e) {
            // gone between the two looks: as if it had not been there
            return Optional.empty();
        }
        byte[] bytes = InputFiles.read(file, AUDIT_SIZE_LIMIT);
        AuditRun read = AuditJson.read(new ByteArrayInputStream(bytes), written.toInstant(), file.toString());
        auditStamp = now;
        auditRun = Optional.of(read);
        return auditRun;
    }

    /**
     * Where each key stands by its key file's timing and what the last {@code keys run} saw (its
     * saved sightings, taken as still seen): what {@code keys status} says, without asking the
     * DNS. The private keys are not read: the machine only asks whether a key has one, and the
     * {@code .private} file's presence answers that.
     */
    @Override
    public Optional<ZoneKeys> keys(String zone, Instant now) throws InvalidInputException {
        if (keyZones.isEmpty() || !keyZones.get().zones().containsKey(zone)) {
            return Optional.empty();
        }
        ZoneSettings settings = keyZones.get().zones().get(zone);
        ZoneFileSigning signing = settings.signing().orElseThrow();
        KeyPolicy policy = signing.keyPolicy().orElseThrow();
        KeyDirectory dir =
                new KeyDirectory(keyZones.get().baseDir().resolve(signing.keys().path()));
        Name origin = Name.fromConstantString(zone + ".");
        List<ZoneKey> keys = new ArrayList<>();
        for (ZoneKey k : dir.loadPublic(origin)) {
            boolean hasPrivate = Files.exists(dir.dir().resolve(k.baseName() + ".private"));
            keys.add(
                    hasPrivate
                            ? new ZoneKey(
                                    k.zone(),
                                    k.dnskey(),
                                    k.algorithm(),
                                    k.publicKey(),
                                    Optional.of(
                                            new UnreadPrivateKey(k.publicKey().getAlgorithm())),
                                    k.timing())
                            : k);
        }
        Optional<KeyRollState> saved = new JsonKeyRollStore(keyZones.get().stateDir()).load(zone);
        KeyRollState state = saved.orElse(KeyRollState.empty(zone, now));
        KeyRollMachine.Decision decision = new KeyRollMachine().decide(zone, policy, keys, state, lastSeen(state), now);
        List<ZoneKeys.Key> out = new ArrayList<>();
        for (KeyStatus status : decision.statuses()) {
            ZoneKey key = keys.stream()
                    .filter(k -> KeyId.of(k).equals(status.key()))
                    .findFirst()
                    .orElseThrow();
            List<ZoneKeys.Event> events = new ArrayList<>();
            for (KeyTiming.Event e : List.of(
                    KeyTiming.Event.PUBLISH,
                    KeyTiming.Event.ACTIVATE,
                    KeyTiming.Event.INACTIVE,
                    KeyTiming.Event.DELETE)) {
                key.timing()
                        .get(e)
                        .ifPresent(at -> events.add(new ZoneKeys.Event(e.field().toLowerCase(Locale.ROOT), at)));
            }
            events.sort(Comparator.comparing(ZoneKeys.Event::at));
            out.add(new ZoneKeys.Key(status, events));
        }
        return Optional.of(new ZoneKeys(zone, saved.map(KeyRollState::updated), out));
    }

    /** What the last run saw, as if it were seen now: the waits keep their starts. */
    private static ServedKeys lastSeen(KeyRollState state) {
        Set<KeyId> dnskeys = new HashSet<>();
        Set<KeyId> unsigned = new HashSet<>();
        Set<KeyId> ds = new HashSet<>();
        Duration dnskeyTtl = Duration.ZERO;
        Duration dsTtl = Duration.ZERO;
        for (Sighting s : state.sightings()) {
            switch (s.kind()) {
                case DNSKEY_SERVED -> {
                    dnskeys.add(s.key());
                    dnskeyTtl = dnskeyTtl.compareTo(s.ttl()) < 0 ? s.ttl() : dnskeyTtl;
                }
                case SIGNATURES_GONE -> unsigned.add(s.key());
                case DS_SERVED -> {
                    ds.add(s.key());
                    dsTtl = dsTtl.compareTo(s.ttl()) < 0 ? s.ttl() : dsTtl;
                }
            }
        }
        return new ServedKeys(
                dnskeys,
                dnskeyTtl,
                unsigned,
                ds.isEmpty() ? Optional.empty() : Optional.of(new ServedKeys.ParentDs(ds, 0, dsTtl)));
    }

    /** Stands for a private key whose file is there and is not read: the status pages never sign. */
    private record UnreadPrivateKey(String getAlgorithm) implements PrivateKey {
        @Override
        public String getFormat() {
            return null;
        }

        @Override
        public byte[] getEncoded() {
            return null;
        }
    }

    @Override
    public Optional<RolloverState> rollover(String host) throws InvalidInputException {
        if (rollovers.isEmpty()) {
            return Optional.empty();
        }
        try {
            RolloverState.requireHost(host);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return rollovers.get().load(host);
    }

    @Override
    public String checkLocation() {
        return check.toString();
    }
}
