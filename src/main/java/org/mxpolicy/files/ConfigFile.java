package org.mxpolicy.files;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.config.ConfigLoader;
import org.mxpolicy.config.MailDomain;
import org.mxpolicy.config.MxHost;
import org.mxpolicy.config.ProviderConfig;
import org.mxpolicy.desired.DesiredState;
import org.mxpolicy.desired.DesiredStateBuilder;
import org.mxpolicy.finding.Finding;
import org.mxpolicy.finding.InvalidInputException;
import org.mxpolicy.finding.SourcePosition;
import org.mxpolicy.rollover.RolloverState;
import org.mxpolicy.zone.ZoneFragment;

/** The provider config named with {@code -c}, loaded and validated, and its directory. */
public record ConfigFile(ProviderConfig config, List<Finding> warnings, Path baseDir) {

    public static ConfigFile load(Path path) throws InvalidInputException {
        byte[] bytes = InputFiles.read(path, ConfigLoader.SIZE_LIMIT);
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidInputException("config.encoding", SourcePosition.file(path.toString()), "not UTF-8 text");
        }
        Path dir = path.toAbsolutePath().getParent();
        Path baseDir = path.isAbsolute() ? dir : (path.getParent() == null ? Path.of("") : path.getParent());
        ConfigLoader.Outcome outcome =
                ConfigLoader.read(new StringReader(text), path.toString(), new ConfigIncludeFiles(baseDir));
        if (outcome.config().isEmpty() || outcome.hasErrors()) {
            List<Finding> all = new ArrayList<>(outcome.findings());
            outcome.config()
                    .ifPresent(partial ->
                            all.addAll(DesiredStateBuilder.fileProblems(partial, new CertificateFiles(baseDir))));
            all.sort(Finding.BY_POSITION);
            throw new InvalidInputException(all);
        }
        return new ConfigFile(outcome.config().get(), outcome.findings(), baseDir);
    }

    public CertificateFiles certificates() {
        return new CertificateFiles(baseDir);
    }

    /**
     * The desired state the config and its certificates give at {@code now}, with the records
     * the MX hosts' rollover states keep published (next keys, keys being retired).
     */
    public DesiredState desiredState(Instant now) throws InvalidInputException {
        return new DesiredStateBuilder(certificates(), now, rolloverKeys()).build(config);
    }

    /** The desired records of one zone of the config, as {@link #desiredState} has them. */
    public ZoneFragment desiredZone(Instant now, String zone) throws InvalidInputException {
        return new DesiredStateBuilder(certificates(), now, rolloverKeys()).zone(config, zone);
    }

    /** The rollover state directory, resolved against the config's directory. */
    public Path stateDir() {
        return baseDir.resolve(config.rollover().stateDir().path());
    }

    public JsonRolloverStore rolloverStore() {
        return new JsonRolloverStore(stateDir());
    }

    /** Per MX host, the keys its saved rollover state publishes; nothing without a state directory. */
    private Map<String, List<SubjectPublicKey>> rolloverKeys() throws InvalidInputException {
        Map<String, List<SubjectPublicKey>> keys = new HashMap<>();
        if (!Files.isDirectory(stateDir())) {
            return keys;
        }
        JsonRolloverStore store = rolloverStore();
        for (MailDomain domain : config.domains()) {
            for (MxHost mx : domain.mx()) {
                if (keys.containsKey(mx.host())) {
                    continue;
                }
                List<SubjectPublicKey> published = new ArrayList<>();
                Optional<RolloverState> state = store.load(mx.host());
                if (state.isPresent()) {
                    for (RolloverState.KeyEntry entry : state.get().keysToPublish()) {
                        published.add(PublicKeyReader.read(
                                new ByteArrayInputStream(entry.spki()),
                                store.stateFile(mx.host()).toString()));
                    }
                }
                keys.put(mx.host(), published);
            }
        }
        return keys;
    }

    /** The config's warnings followed by those found deriving {@code desired}. */
    public List<Finding> warnings(DesiredState desired) {
        List<Finding> all = new ArrayList<>(warnings);
        all.addAll(desired.findings());
        return all;
    }
}
