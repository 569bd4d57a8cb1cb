package org.mxpolicy.keyroll;

import java.time.Instant;
import java.util.Optional;

/**
 * Where one key stands, for {@code keys status} and {@code check}.
 *
 * @param name the key's base name ({@code Kexample.com.+013+12345})
 * @param phase where it is in its life
 * @param next what happens next, in words
 * @param nextAt when, if a date is known (a wait that has not started yet has none)
 */
public record KeyStatus(KeyId key, String name, KeyRole role, KeyPhase phase, String next, Optional<Instant> nextAt) {}
