"""PyTorch's own forward over one partition already in memory: the Python reference for
compute-only samples/s.

    python3 forward.py MODEL.pt PARTITION.npz BATCH THREADS REPEATS
        prints one JSON line: the median samples/s of REPEATS passes after a warm-up pass
    python3 forward.py MODEL.pt PARTITION.npz BATCH THREADS --serve [--tuned]
        loads once, then runs one pass per line read on stdin and prints its samples per second
        of wall time and per second of the process's CPU time (all threads), and the minor page
        faults per sample (memory the allocator took fresh from the kernel), so a driver (io.dataparallel.bench.PairedForward) can alternate it with other forwards

As users run it: torch.no_grad() over the arrays as np.load gives them. With --tuned, as PyTorch's
own performance guidance has it, and with what the worker does: torch.inference_mode(), 4-D
floating-point inputs held channels-last (as the worker's InputLayout stores them; converted once,
outside the timed passes), and the driver runs it under the worker's GLIBC_TUNABLES.
"""
import json
import resource
import sys
import time

import numpy as np
import torch


def main():
    model_path, partition, batch, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    model = torch.jit.load(model_path).eval()
    data = np.load(partition)
    images, magnitudes = torch.from_numpy(data["images"]), torch.from_numpy(data["magnitudes"])
    n = images.shape[0]
    tuned = "--tuned" in sys.argv[6:]
    guard = torch.inference_mode if tuned else torch.no_grad
    if tuned and channels_last_applies(images):
        images = images.contiguous(memory_format=torch.channels_last)

    def one_pass():
        t0, c0, f0 = time.time(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        with guard():
            for s in range(0, n, batch):
                model(images[s:s + batch], magnitudes[s:s + batch])
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        return n / (time.time() - t0), n / (time.process_time() - c0), faults / n

    if sys.argv[5] == "--serve":
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                          "interop_threads": torch.get_num_interop_threads(), "tuned": tuned,
                          "channels_last": images.is_contiguous(memory_format=torch.channels_last) and images.dim() == 4}), flush=True)
        for _ in sys.stdin:
            wall, cpu, faults = one_pass()
            print(json.dumps({"samples_per_second": wall, "samples_per_cpu_second": cpu,
                              "minor_faults_per_sample": faults}), flush=True)
        return
    repeats = int(sys.argv[5])
    one_pass()  # warms the TorchScript executor up
    rates = sorted(one_pass()[0] for _ in range(repeats))
    print(json.dumps({"samples_per_second": rates[len(rates) // 2]}))


def channels_last_applies(t):
    """Where the worker's InputLayout stores an input channels-last: 4-D floating point, more than one channel and pixel."""
    return t.dim() == 4 and t.is_floating_point() and t.shape[1] > 1 and t.shape[2] * t.shape[3] > 1


if __name__ == "__main__":
    main()
