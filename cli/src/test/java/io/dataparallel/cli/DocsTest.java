package io.dataparallel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README fits on a few screens and links the reference in {@code docs/}; every page is reachable from it,
 * every relative link and anchor resolves, and no user's document talks about the project's issues.
 */
class DocsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern ISSUE = Pattern.compile("(?i)\\bissues? #?\\d+|(?<![\\w/&])#\\d+\\b");
    /** What a newcomer reads first; the rest is in docs/. */
    private static final int README_LINES = 200;

    static List<Path> documents() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("bench/README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    @Test
    void theReadmeIsShortAndReachesEveryPage() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
        assertTrue(readme.size() <= README_LINES, "README.md has " + readme.size() + " lines: move detail into docs/");
        String text = String.join("\n", readme);
        assertTrue(text.contains("./dataparallel run examples/astro-redshift.yaml --example-data\nmvn -B verify"),
                "the README's first two commands");
        for (Path doc : documents()) {
            if (doc.getParent().equals(ROOT.resolve("docs"))) {
                assertTrue(text.contains("(docs/" + doc.getFileName() + ")") || text.contains("(docs/" + doc.getFileName() + "#"),
                        "README.md does not link " + ROOT.relativize(doc));
            }
        }
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc));
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*")) {
                    continue; // http(s), mailto: not checked here (no network)
                }
                String[] parts = target.split("#", 2);
                Path file = parts[0].isEmpty() ? doc : doc.getParent().resolve(parts[0]).normalize();
                if (!Files.exists(file)) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such file)");
                } else if (parts.length == 2 && file.toString().endsWith(".md") && !anchors(file).contains(parts[1])) {
                    broken.add(ROOT.relativize(doc) + ": " + target + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void noDocumentRefersToTheProjectsIssues() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc);
            for (int i = 0; i < lines.size(); i++) {
                if (ISSUE.matcher(lines.get(i)).find()) {
                    found.add(ROOT.relativize(doc) + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
            }
        }
        assertEquals(List.of(), found, "users' documents describe the product, not the project's issues");
    }

    /** GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces to dashes. */
    static List<String> anchors(Path md) throws IOException {
        List<String> anchors = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(md)) {
            code ^= line.startsWith("```");
            if (!code && line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(java.util.Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N}\\- _]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
