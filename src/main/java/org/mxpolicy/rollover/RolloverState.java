package org.mxpolicy.rollover;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.mxpolicy.cert.PublicKeyReader;
import org.mxpolicy.cert.SubjectPublicKey;
import org.mxpolicy.finding.InvalidInputException;

/**
 * What mxpolicy remembers about the key rollover of one MX host: the key in use, the key staged
 * to follow it, and the previous key whose TLSA record stays published until no address of the
 * MX presents it any more. The phase is not stored; {@link #phase} derives it from the state and
 * the time, so a state file never claims a phase the clock has moved past.
 *
 * <p>The order of a rollover is the one of RFC 7671 section 8.1 ("publish the new record, wait,
 * then switch the certificate, then remove the old record"); {@link RolloverMachine} holds the
 * transitions.
 *
 * @param host the MX host name, lower case, no trailing dot (also the name of its state directory)
 * @param current the key the MX presents now
 * @param next the key staged to follow the current one, if any
 * @param retiring the previous key, while its record stays published, if any
 * @param updated when the state last changed
 */
public record RolloverState(
        String host, KeyEntry current, Optional<NextKey> next, Optional<RetiringKey> retiring, Instant updated) {

    // Lower-case LDH labels: the host names an MX can have (RFC 5321 section 2.3.5), and safe as
    // a directory name (no '/', no "..").
    private static final Pattern HOST =
            Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    public RolloverState {
        requireHost(host);
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(retiring, "retiring");
        Objects.requireNonNull(updated, "updated");
        // One key in two roles would publish or drop its record twice over; each role is a
        // different key.
        if (next.isPresent() && next.get().key().sameKey(current)) {
            throw new IllegalArgumentException("the next key is the current key (" + current.shortId() + ")");
        }
        if (retiring.isPresent() && retiring.get().key().sameKey(current)) {
            throw new IllegalArgumentException("the retiring key is the current key (" + current.shortId() + ")");
        }
        if (next.isPresent()
                && retiring.isPresent()
                && next.get().key().sameKey(retiring.get().key())) {
            throw new IllegalArgumentException(
                    "the next key is the retiring key (" + retiring.get().key().shortId() + ")");
        }
    }

    /** A host with only a current key: where every rollover starts. */
    public static RolloverState start(String host, KeyEntry current, Instant now) {
        return new RolloverState(host, current, Optional.empty(), Optional.empty(), now);
    }

    /**
     * Rejects what cannot be an MX host's state directory name.
     *
     * @throws IllegalArgumentException unless the host is lower-case LDH labels without a trailing dot
     */
    public static String requireHost(String host) {
        Objects.requireNonNull(host, "host");
        if (host.length() > 253 || !HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("not a host name in lower case without trailing dot: \"" + host + "\"");
        }
        return host;
    }

    /**
     * The phase at {@code now}: {@link RolloverPhase#RETIRING} while a previous key's record is
     * kept, else {@link #nextPhase}. A compromised previous key lost its record at once, so it
     * is not retiring in that sense.
     */
    public RolloverPhase phase(Instant now, Duration margin) {
        return retiring.filter(r -> !r.compromised()).isPresent() ? RolloverPhase.RETIRING : nextPhase(now, margin);
    }

    /**
     * How far the next key is, whatever the retiring key does: {@link RolloverPhase#NO_NEXT},
     * {@link RolloverPhase#NEXT_UNPUBLISHED}, {@link RolloverPhase#NEXT_AGING} or {@link RolloverPhase#READY}.
     */
    public RolloverPhase nextPhase(Instant now, Duration margin) {
        if (next.isEmpty()) {
            return RolloverPhase.NO_NEXT;
        }
        Optional<RolloverGate> gate = next.get().gate(margin);
        if (gate.isEmpty()) {
            return RolloverPhase.NEXT_UNPUBLISHED;
        }
        return gate.get().isOpen(now) ? RolloverPhase.READY : RolloverPhase.NEXT_AGING;
    }

    /**
     * The keys whose usage-3 (DANE-EE, SPKI) records the MX's TLSA RRset should hold: the
     * current key, the next key (published ahead, RFC 7671 section 8.1), and the retiring key
     * until every address presents the current one, unless it is compromised (then its record
     * goes at once).
     */
    public List<KeyEntry> keysToPublish() {
        List<KeyEntry> keys = new ArrayList<>();
        keys.add(current);
        next.ifPresent(n -> keys.add(n.key()));
        retiring.filter(r -> !r.compromised()).ifPresent(r -> keys.add(r.key()));
        return List.copyOf(keys);
    }

    RolloverState with(KeyEntry current, Optional<NextKey> next, Optional<RetiringKey> retiring, Instant updated) {
        return new RolloverState(host, current, next, retiring, updated);
    }

    /**
     * A public key in one role of the rollover.
     *
     * @param spki the DER SubjectPublicKeyInfo (RFC 5280 section 4.1.2.7), what a TLSA record with
     *     selector 1 matches (copied in and out)
     * @param sha256 lower-case hex SHA-256 of {@code spki}, the data of its {@code 3 1 1} record
     *     (RFC 6698 section 2.1.3); checked against the key so a damaged state file is noticed
     * @param description for people, such as {@code ECDSA P-256}
     * @param since when the key took this role
     */
    @SuppressWarnings("ArrayRecordComponent") // copied in and out; equals and hashCode compare content
    public record KeyEntry(byte[] spki, String sha256, String description, Instant since) {

        public KeyEntry {
            spki = Objects.requireNonNull(spki, "spki").clone();
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(since, "since");
            if (spki.length == 0) {
                throw new IllegalArgumentException("the key (spki) is empty");
            }
            if (description.isBlank()) {
                throw new IllegalArgumentException("the key description is empty");
            }
            String digest = sha256Hex(spki);
            if (!digest.equals(sha256)) {
                throw new IllegalArgumentException(
                        "sha256 " + sha256 + " is not the digest of the key, which is " + digest);
            }
        }

        /** The entry of a key, taking its role at {@code since}. */
        public static KeyEntry of(SubjectPublicKey key, Instant since) {
            byte[] spki = key.spki();
            return new KeyEntry(spki, sha256Hex(spki), key.description(), since);
        }

        @Override
        public byte[] spki() {
            return spki.clone();
        }

        /** The key itself; a saved entry's key parsed when it was saved, so it parses now. */
        public SubjectPublicKey publicKey() {
            try {
                return PublicKeyReader.read(new ByteArrayInputStream(spki), "rollover state");
            } catch (InvalidInputException e) {
                throw new IllegalStateException("a saved key that was valid when saved no longer parses", e);
            }
        }

        /** Whether this is the key with that DER SubjectPublicKeyInfo. */
        public boolean isKey(byte[] otherSpki) {
            return Arrays.equals(spki, otherSpki);
        }

        /** The same key, whatever role or time. */
        public boolean sameKey(KeyEntry other) {
            return Arrays.equals(spki, other.spki);
        }

        /**
         * The first 16 hex digits of the digest: how messages and the file names under
         * {@code keys/} name a key.
         */
        public String shortId() {
            return sha256.substring(0, 16);
        }

        /** For messages: {@code ECDSA P-256 key 0123456789abcdef}. */
        public String label() {
            return description + " key " + shortId();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyEntry other
                    && Arrays.equals(spki, other.spki)
                    && sha256.equals(other.sha256)
                    && description.equals(other.description)
                    && since.equals(other.since);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(spki), since);
        }

        @Override
        public String toString() {
            return "KeyEntry[" + label() + ", since " + since + "]";
        }

        private static String sha256Hex(byte[] data) {
            try {
                return HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(data));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }

    /**
     * The staged key and how long its record has been served.
     *
     * @param servedSince when its usage-3 record was first seen served by every authoritative
     *     server of the zone and validated; empty until then, and again if it disappeared
     * @param ttlWindow the longest a resolver may have cached the TLSA RRset without this record:
     *     the larger TTL of the RRset before and after the change, or the zone's negative TTL
     *     (RFC 2308 section 5) when the RRset is new; zero until the record is served
     */
    public record NextKey(KeyEntry key, Optional<Instant> servedSince, Duration ttlWindow) {

        public NextKey {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(servedSince, "servedSince");
            Objects.requireNonNull(ttlWindow, "ttlWindow");
            if (ttlWindow.isNegative()) {
                throw new IllegalArgumentException("negative ttl_window " + ttlWindow.toSeconds());
            }
            if (servedSince.isEmpty() && !ttlWindow.isZero()) {
                throw new IllegalArgumentException("ttl_window without served_since");
            }
        }

        /** A key just staged: its record not seen served yet. */
        public static NextKey staged(KeyEntry key) {
            return new NextKey(key, Optional.empty(), Duration.ZERO);
        }

        /** The gate of this key, once its record is served. */
        public Optional<RolloverGate> gate(Duration margin) {
            return servedSince.map(t -> new RolloverGate(t, ttlWindow, margin));
        }
    }

    /**
     * The previous current key.
     *
     * @param compromised whether it was retired in an emergency: its record is dropped at once
     *     instead of kept until every address has switched
     */
    public record RetiringKey(KeyEntry key, boolean compromised) {
        public RetiringKey {
            Objects.requireNonNull(key, "key");
        }
    }
}
