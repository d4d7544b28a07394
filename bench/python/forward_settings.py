"""Issue 13's settings experiments on PyTorch's own forward: variants of the same TorchScript
model on the same partition, loaded once each and run in turns (one pass each per round, the
order rotating), so each variant's per-round ratio to the baseline (forward.py's no_grad
forward) holds on a machine whose speed drifts; the ratio of samples per CPU-second of the
process is the steadier one on a busy machine (with one thread above all). Also checks each variant's outputs against the
baseline's, and with --profile prints torch.profiler's per-operator table for the baseline and
for inference_mode (the guard DJL's JNI runs every forward under).

    python forward_settings.py MODEL.pt PARTITION.npz BATCH THREADS ROUNDS [--profile] [--trace T.json] [--only a,b]
Prints per-operator tables (with --profile or --trace; --trace also writes each profile as a
Chrome trace, T-no_grad.json and T-inference_mode.json, for trace_ops.py), then one JSON line.
"""
import json
import statistics
import sys
import time

import numpy as np
import torch


def load(path):
    return torch.jit.load(path).eval()


def variants(path):
    """name -> (module, guard factory, input transform, flags to hold during its calls)."""
    nchw_last = lambda x: x.contiguous(memory_format=torch.channels_last) if x.dim() == 4 else x  # noqa: E731
    same = lambda x: x  # noqa: E731
    return {
        "no_grad": (load(path), torch.no_grad, same, {}),
        "inference_mode": (load(path), torch.inference_mode, same, {}),
        "no_graph_optimize": (load(path), torch.no_grad, same, {"optimize": False}),
        "simple_executor": (load(path), torch.no_grad, same, {"profiling_executor": False}),
        "no_texpr_fuser": (load(path), torch.no_grad, same, {"texpr_fuser": False}),
        "frozen": (torch.jit.freeze(load(path)), torch.no_grad, same, {}),
        "optimize_for_inference": (torch.jit.optimize_for_inference(torch.jit.freeze(load(path))), torch.no_grad, same, {}),
        "channels_last_input": (load(path), torch.no_grad, nchw_last, {}),
    }


def _profiling_executor():
    """Whether the profiling executor is on: libtorch has only a setter, which returns the old value."""
    was = torch._C._jit_set_profiling_executor(True)
    torch._C._jit_set_profiling_executor(was)
    return was


class Flags:
    """Holds JIT flags (global or thread-local in libtorch) for one variant's calls, then restores them."""
    SETTERS = {
        "optimize": (torch._C._get_graph_executor_optimize, torch._C._set_graph_executor_optimize),
        "profiling_executor": (_profiling_executor, torch._C._jit_set_profiling_executor),
        "texpr_fuser": (torch._C._jit_texpr_fuser_enabled, torch._C._jit_set_texpr_fuser_enabled),
    }

    def __init__(self, flags):
        self.flags = flags
        self.saved = {}

    def __enter__(self):
        for k, v in self.flags.items():
            get, set_ = self.SETTERS[k]
            self.saved[k] = get()
            set_(v)

    def __exit__(self, *exc):
        for k, v in self.saved.items():
            self.SETTERS[k][1](v)


def one_pass(model, guard, transform, flags, images, magnitudes, batch):
    n = images.shape[0]
    outs = []
    t0, c0 = time.time(), time.process_time()
    with Flags(flags), guard():
        for s in range(0, n, batch):
            outs.append(model(transform(images[s:s + batch]), magnitudes[s:s + batch]))
    return (n / (time.time() - t0), n / (time.process_time() - c0)), torch.cat(outs)


def main():
    path, partition, batch, threads, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    data = np.load(partition)
    images, magnitudes = torch.from_numpy(data["images"]), torch.from_numpy(data["magnitudes"])
    vs = variants(path)
    if "--only" in sys.argv:
        keep = ["no_grad"] + sys.argv[sys.argv.index("--only") + 1].split(",")
        vs = {k: v for k, v in vs.items() if k in keep}
    names = list(vs)
    rates = {k: [] for k in names}
    cpu_rates = {k: [] for k in names}
    diffs = {}
    base = None
    for r in range(-2, rounds):  # two warm-up rounds: the profiling executor optimises on its second call
        for i in range(len(names)):
            name = names[(i + r) % len(names)]
            rate, out = one_pass(*vs[name], images, magnitudes, batch)
            if r >= 0:
                rates[name].append(rate[0])
                cpu_rates[name].append(rate[1])
            if name == "no_grad":
                base = out
            elif base is not None:
                diffs[name] = max(diffs.get(name, 0.0), (out - base).abs().max().item())
    if "--profile" in sys.argv or "--trace" in sys.argv:
        for name in ("no_grad", "inference_mode"):
            model, guard, transform, flags = vs[name]
            with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
                one_pass(model, guard, transform, flags, images, magnitudes, batch)
            if "--trace" in sys.argv:
                prof.export_chrome_trace(sys.argv[sys.argv.index("--trace") + 1].replace(".json", "-" + name + ".json"))
            print("## " + name)
            print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=14))
    result = {"model": path.rsplit("/", 1)[-1], "torch": torch.__version__, "batch": batch, "threads": threads}
    for name in names:
        ratios = [a / b for a, b in zip(rates[name], rates["no_grad"])]
        cpu_ratios = [a / b for a, b in zip(cpu_rates[name], cpu_rates["no_grad"])]
        result[name] = {"samples_per_second": round(statistics.median(rates[name]), 1),
                        "ratio": round(statistics.median(ratios), 3), "ratios": [round(x, 3) for x in ratios],
                        "cpu_ratio": round(statistics.median(cpu_ratios), 3), "cpu_ratios": [round(x, 3) for x in cpu_ratios],
                        "max_abs_diff": diffs.get(name, 0.0)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
