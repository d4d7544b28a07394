package io.dataparallel.core.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataparallel.api.result.FailedPartition;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureGroupsTest {
    private static FailedPartition missing(String key) {
        return new FailedPartition(key, 0, "spec.model.inputs: partition '" + key + "' has no array 'images'");
    }

    @Test
    void identicalReasonsAreSaidOnceWithTheirCount() {
        List<FailedPartition> failed = List.of(missing("a.npz"), missing("b.npz"),
                new FailedPartition("c.npz", 1, "c.npz: cannot be read as .npz"), missing("d.npz"), missing("e.npz"));
        assertEquals(List.of("4 partitions (a.npz, b.npz, d.npz, ...): spec.model.inputs: partition '<partition>' has no array 'images'",
                "c.npz: cannot be read as .npz"), FailureGroups.lines(failed));
    }

    @Test
    void aSingleFailureKeepsItsOwnWords() {
        assertEquals("spec.model.inputs: partition 'a.npz' has no array 'images'", FailureGroups.message(List.of(missing("a.npz"))));
    }
}
