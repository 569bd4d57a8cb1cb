package org.mxpolicy.keyroll;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code keys run} remembers about one zone between runs: only what it saw and since when.
 * Where each key stands is in the key files' timing, which the signer follows; this state holds the
 * starts of the waits, so a lost state only makes the waits start over.
 *
 * @param zone the zone, lower case, no trailing dot
 * @param sightings in a canonical order (kind, key)
 */
public record KeyRollState(String zone, List<Sighting> sightings, Instant updated) {

    public KeyRollState {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(updated, "updated");
        sightings = sightings.stream()
                .sorted(Comparator.comparing(Sighting::kind).thenComparing(Sighting::key))
                .toList();
    }

    /** A zone nothing was seen of yet. */
    public static KeyRollState empty(String zone, Instant now) {
        return new KeyRollState(zone, List.of(), now);
    }

    public Optional<Sighting> sighting(Sighting.Kind kind, KeyId key) {
        return sightings.stream()
                .filter(s -> s.kind() == kind && s.key().equals(key))
                .findFirst();
    }
}
