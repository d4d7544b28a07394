package io.dataparallel.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Python interpreters the references run on (issue 13): first PyTorch 2.7.1, the libtorch
 * DJL runs, from the virtual environment {@code bench/python/torch-venv.sh} makes (bench/run.sh
 * passes its python in {@code DATAPARALLEL_TORCH_PYTHON}); then Debian's python3-torch 1.13 as
 * a second column. Each is used only when it imports torch, numpy and boto3.
 */
final class PythonRefs {
    /** The env variable that names the PyTorch 2.7.1 venv's python. */
    static final String TORCH_PYTHON = "DATAPARALLEL_TORCH_PYTHON";
    static final String DEBIAN = "/usr/bin/python3";

    /** One interpreter: {@code label} as figures name it ("PyTorch 2.7.1"). */
    record Ref(String label, String exe) {
    }

    private PythonRefs() {
    }

    /** The usable interpreters, 2.7.1 first; empty when none is. */
    static List<Ref> available() {
        return available(Set.of());
    }

    /** As {@link #available()}; {@code --skip-debian} in {@code flags} leaves Debian's 1.13 out (a shorter partial run). */
    static List<Ref> available(Set<String> flags) {
        List<Ref> refs = new ArrayList<>();
        String venv = System.getenv(TORCH_PYTHON);
        if (venv != null && !venv.isBlank()) {
            String v = version(venv);
            if (v != null) {
                refs.add(new Ref("PyTorch " + v, venv));
            }
        }
        String debian = flags.contains("--skip-debian") ? null : version(DEBIAN);
        if (debian != null) {
            refs.add(new Ref("PyTorch " + debian + " (Debian)", DEBIAN));
        }
        return refs;
    }

    /** torch's version without its local tag, or null when {@code exe} cannot import what the references need. */
    private static String version(String exe) {
        try {
            Process p = new ProcessBuilder(exe, "-c", "import torch, boto3, numpy; print(torch.__version__.split('+')[0])")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? out.substring(out.lastIndexOf('\n') + 1) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
