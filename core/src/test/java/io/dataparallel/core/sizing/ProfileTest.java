package io.dataparallel.core.sizing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileTest {
    @Test
    void roundTripsThroughJson() {
        Profile p = SizingFixtures.profile();
        assertEquals(p, Profile.fromJson(p.toJson()));
        assertEquals(1.0, p.samplesPerByte(), 0);
    }

    @Test
    void validOnlyForItsKeyAndWhileFresh() {
        Profile p = SizingFixtures.profile();
        Instant measured = Instant.parse(p.measuredAt());
        assertTrue(p.validFor(p.key(), measured.plusSeconds(60), Duration.ofDays(1)));
        assertFalse(p.validFor(p.key(), measured.plus(Duration.ofDays(2)), Duration.ofDays(1)));
        ProfileKey otherModel = new ProfileKey("other", "local", "cpu", "x=[4]", "test");
        assertFalse(p.validFor(otherModel, measured, Duration.ofDays(1)));
        Profile empty = new Profile(Profile.VERSION, p.key(), p.measuredAt(), 5, 1000, 1000, 1000, 0, List.of());
        assertFalse(empty.validFor(p.key(), measured, Duration.ofDays(1)));
        assertEquals("no compute rates measured", empty.problem());
    }
}
