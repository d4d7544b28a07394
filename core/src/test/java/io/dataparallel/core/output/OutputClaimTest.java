package io.dataparallel.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.JobRef;
import io.dataparallel.api.plan.OutputOwner;
import io.dataparallel.core.testing.S3Fixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputClaimTest {
    @TempDir
    static Path tmp;
    static S3Fixture s3;

    @BeforeAll
    static void start() {
        s3 = new S3Fixture(tmp);
        s3.createBucket("out");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void theFirstJobOwnsTheOutputAndOnlyItMayClaimAgain() {
        OutputLayout layout = OutputLayout.of("s3://out/a");
        JobRef mine = new JobRef("ns", "mine", "u1");
        OutputOwner owner = OutputClaim.claim(s3.store(), layout, mine, "h1");
        assertEquals("mine", owner.name());
        // the same job recreated (new uid) resumes
        assertEquals("mine", OutputClaim.claim(s3.store(), layout, new JobRef("ns", "mine", "u2"), "h1").name());
        BadInputException e = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), layout, new JobRef("other", "mine", "u3"), "h1"));
        assertEquals("spec.output.uri", e.field());
        assertTrue(e.getMessage().contains("belongs to job ns/mine"), e.getMessage());
        assertEquals("mine", OutputClaim.verify(s3.store(), layout, mine).name());
    }

    @Test
    void aForeignOwnerFileOrNoneAtAllIsRefused() {
        s3.put("s3://out/b/_job.json", "{\"hello\": 1}".getBytes());
        BadInputException junk = assertThrows(BadInputException.class,
                () -> OutputClaim.claim(s3.store(), OutputLayout.of("s3://out/b/"), new JobRef("ns", "x", ""), "h"));
        assertTrue(junk.getMessage().contains("not a dataparallel owner file"));
        BadInputException none = assertThrows(BadInputException.class,
                () -> OutputClaim.verify(s3.store(), OutputLayout.of("s3://out/c/"), new JobRef("ns", "x", "")));
        assertTrue(none.getMessage().contains("does not exist"));
    }
}
