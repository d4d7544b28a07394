package io.dataparallel.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects figures, prints each beside its reference and ratio as it is measured, and writes
 * {@code results.md} and {@code results.json} with the machine, versions and command.
 */
public final class Results {
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> tables = new LinkedHashMap<>();

    private Path progressFile;

    /** After every figure, results so far are also written here: an interrupted run keeps what it measured. */
    public synchronized void writeAsYouGo(Path dir, String command, String mode) {
        this.progressFile = dir;
        this.progressCommand = command;
        this.progressMode = mode + " (in progress or interrupted)";
    }

    private String progressCommand;
    private String progressMode;

    public synchronized void add(Figure f) {
        figures.add(f);
        System.out.println(line(f));
        if (progressFile != null) {
            try {
                write(progressFile, progressCommand, progressMode);
            } catch (IOException e) {
                System.out.println("note: cannot write partial results: " + e.getMessage());
            }
        }
    }

    public synchronized void note(String text) {
        notes.add(text);
        System.out.println("note: " + text);
    }

    /** A markdown table (sweeps) under a heading. */
    public synchronized void table(String heading, String markdown) {
        tables.put(heading, markdown);
        System.out.println(heading + "\n" + markdown);
    }

    public List<Figure> figures() {
        return figures;
    }

    static String line(Figure f) {
        String ref = Double.isNaN(f.reference()) ? "" : String.format(Locale.ROOT, "  vs %s %s  ratio %.2f",
                num(f.reference()), f.referenceName(), f.ratio());
        String goal = f.goal().isEmpty() ? "" : "  goal " + f.goal() + (f.met() == null ? "" : f.met() ? " MET" : " MISSED");
        return String.format(Locale.ROOT, "[%d] %s: %s %s%s%s", f.section(), f.name(), num(f.value()), f.unit(), ref, goal);
    }

    public void write(Path dir, String command, String mode) throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder();
        md.append("# Benchmark results (").append(mode).append(")\n\n");
        md.append("Produced by `").append(command).append("` on ").append(Instant.now()).append(".\n\n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(String.format(Locale.ROOT, "%.1f", memoryGb())).append(" GB memory, ").append(System.getProperty("os.name"))
                .append(' ').append(System.getProperty("os.arch")).append("; Java ").append(System.getProperty("java.version"))
                .append("; DJL 0.35.1 with libtorch 2.7.1 (CPU); Python references: PyTorch 2.7.1 (venv from PyPI, bench/python/torch-venv.sh) and Debian python3-torch 1.13.\n\n");
        md.append("Each figure is the median of the runs listed; the ratio is figure / reference. What the figures mean,"
                + " where a goal is missed and what profiling showed: [analysis.md](analysis.md) (written by hand after a run).\n\n");
        md.append("| # | figure | median | runs | reference | ratio | goal |\n|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            StringBuilder runs = new StringBuilder();
            for (double r : f.runs()) {
                runs.append(runs.length() == 0 ? "" : ", ").append(num(r));
            }
            md.append("| ").append(f.section()).append(" | ").append(f.name()).append(" | ").append(num(f.value())).append(' ')
                    .append(f.unit()).append(" | ").append(runs).append(" | ")
                    .append(Double.isNaN(f.reference()) ? "" : num(f.reference()) + " (" + f.referenceName() + ")").append(" | ")
                    .append(Double.isNaN(f.ratio()) ? "" : String.format(Locale.ROOT, "%.2f", f.ratio())).append(" | ")
                    .append(f.goal()).append(f.met() == null ? "" : f.met() ? " (met)" : " (**missed**)").append(" |\n");
        }
        for (Map.Entry<String, String> t : tables.entrySet()) {
            md.append("\n## ").append(t.getKey()).append("\n\n").append(t.getValue()).append('\n');
        }
        if (!notes.isEmpty()) {
            md.append("\n## Notes\n\n");
            for (String n : notes) {
                md.append("- ").append(n).append('\n');
            }
        }
        Files.writeString(dir.resolve("results.md"), md.toString());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("command", command);
        json.put("cores", Runtime.getRuntime().availableProcessors());
        json.put("figures", figures);
        json.put("notes", notes);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("results.json").toFile(), json);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static double memoryGb() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof OperatingSystemMXBean sun ? sun.getTotalMemorySize() / 1e9 : 0;
    }
}
