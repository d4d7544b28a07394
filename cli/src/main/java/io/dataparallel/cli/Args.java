package io.dataparallel.cli;

import io.dataparallel.api.BadInputException;
import io.dataparallel.core.format.PartitionFormat;
import io.dataparallel.core.sizing.Prices;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line: a command, positional arguments, {@code --name value} options and flags. */
record Args(String command, List<String> positional, Map<String, String> options) {
    private static final Set<String> WITH_VALUE = Set.of("--store", "--parallel", "--threads", "--partitions", "--samples", "--format",
            "--deadline", "--budget", "--price-cpu-hour", "--price-gib-hour", "--price-gpu-hour");
    private static final Set<String> FLAGS = Set.of("--example-data", "--restart", "--check", "--help", "--reprofile");

    static Args parse(String[] args) {
        if (args.length == 0) {
            return new Args("help", List.of(), Map.of());
        }
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (WITH_VALUE.contains(a)) {
                if (i + 1 >= args.length) {
                    throw new BadInputException(a, "needs a value");
                }
                options.put(a, args[++i]);
            } else if (FLAGS.contains(a)) {
                options.put(a, "true");
            } else if (a.equals("-h")) {
                options.put("--help", "true");
            } else if (a.startsWith("-")) {
                throw new BadInputException(a, "is not an option: see dataparallel help");
            } else {
                positional.add(a);
            }
        }
        // the command stays what was typed, so that `run --help` prints run's usage
        return new Args(args[0], positional, options);
    }

    Path store() {
        return Path.of(options.getOrDefault("--store", Cli.DEFAULT_STORE.toString()));
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** {@code --format}: the example data's partition format, {@code npz} (the default) or {@code hdf5}. */
    PartitionFormat exampleFormat() {
        String v = options.getOrDefault("--format", "npz");
        return switch (v) {
            case "npz" -> PartitionFormat.NPZ;
            case "hdf5", "h5" -> PartitionFormat.HDF5;
            default -> throw new BadInputException("--format", "'" + v + "' is not an example data format: use npz or hdf5");
        };
    }

    Integer intOption(String name) {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadInputException(name, "'" + v + "' is not a positive number");
        }
    }

    /** A number {@code >= 0} (prices), or {@code > 0} when {@code positive} (a budget); null when not given. */
    Double doubleOption(String name, boolean positive) {
        String v = options.get(name);
        if (v == null) {
            return null;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d) || d < 0 || (positive && d == 0)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new BadInputException(name, "'" + v + "' is not a " + (positive ? "positive" : "non-negative") + " number");
        }
    }

    /** The sizing flags: {@code --deadline}, {@code --budget}, the prices, {@code --reprofile}. */
    LocalSizing.Flags sizingFlags() {
        Prices prices = new Prices(orZero(doubleOption("--price-cpu-hour", false)), orZero(doubleOption("--price-gib-hour", false)),
                orZero(doubleOption("--price-gpu-hour", false)));
        return new LocalSizing.Flags(options.get("--deadline"), doubleOption("--budget", true), prices, flag("--reprofile"));
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
