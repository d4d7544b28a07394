package io.dataparallel.cli;

import io.dataparallel.core.Json;
import io.dataparallel.core.sizing.Profile;
import io.dataparallel.core.sizing.ProfileKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Profiles measured on this machine, one file per {@link ProfileKey} (model ETag, input shapes,
 * device, machine) under {@code .dataparallel/profiles/}: the same model on the same machine is not
 * profiled twice. A profile of another key, an unreadable one, or one older than {@link #MAX_AGE}
 * (the machine's load or software may have changed) is measured again.
 */
final class LocalProfileCache {
    static final Path DIR = Path.of(".dataparallel", "profiles");
    static final Duration MAX_AGE = Duration.ofDays(7);

    private final Path dir;

    LocalProfileCache(Path dir) {
        this.dir = dir;
    }

    /** Where the profile of {@code key} is kept. */
    Path file(ProfileKey key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(key));
            return dir.resolve(HexFormat.of().formatHex(digest, 0, 8) + ".json").toAbsolutePath();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The kept profile of {@code key} when it is still valid. */
    Optional<Profile> find(ProfileKey key, Instant now) {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Profile p = Profile.fromJson(Files.readAllBytes(file));
            return p.validFor(key, now, MAX_AGE) ? Optional.of(p) : Optional.empty();
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return Optional.empty(); // unreadable: measured again and overwritten
        }
    }
}
