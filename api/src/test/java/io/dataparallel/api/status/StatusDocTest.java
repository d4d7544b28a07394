package io.dataparallel.api.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/status.md documents every phase, condition type and reason, each as a table row of its own
 * section, and nothing that is no longer one: the closed sets and their documentation change together.
 */
class StatusDocTest {
    static final Path DOC = Path.of("../docs/status.md");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z]+)` \\|");

    @Test
    void everyPhaseIsDocumented() throws Exception {
        assertEquals(names(Phase.values()), rows("## Phases"), "docs/status.md's Phases table");
    }

    @Test
    void everyConditionTypeIsDocumented() throws Exception {
        assertEquals(names(ConditionType.values()), rows("## Condition types"), "docs/status.md's Condition types table");
    }

    @Test
    void everyReasonIsDocumented() throws Exception {
        assertEquals(names(Reason.values()), rows("## Reasons"), "docs/status.md's Reasons tables");
    }

    private static Set<String> names(Enum<?>[] values) {
        return new LinkedHashSet<>(Arrays.stream(values).map(Enum::name).sorted().toList());
    }

    /** The first cells of the table rows under {@code heading}, up to the next heading of its level. */
    private static Set<String> rows(String heading) throws Exception {
        String doc = Files.readString(DOC);
        int start = doc.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new AssertionError("docs/status.md has no section '" + heading + "'");
        }
        int end = doc.indexOf("\n## ", start + heading.length() + 1);
        Matcher m = ROW.matcher(doc.substring(start, end < 0 ? doc.length() : end));
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return new LinkedHashSet<>(found.stream().sorted().toList());
    }
}
