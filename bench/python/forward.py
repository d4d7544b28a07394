"""PyTorch's own forward over one partition already in memory: the Python reference for
compute-only samples/s.

    python3 forward.py MODEL.pt PARTITION.npz BATCH THREADS REPEATS
        prints one JSON line: the median samples/s of REPEATS passes after a warm-up pass
    python3 forward.py MODEL.pt PARTITION.npz BATCH THREADS --serve
        loads once, then runs one pass per line read on stdin and prints its samples per second
        of wall time and per second of the process's CPU time (all threads), and the minor page
        faults per sample (memory the allocator took fresh from the kernel), so a driver (io.dataparallel.bench.PairedForward) can alternate it with other forwards
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

    def one_pass():
        t0, c0, f0 = time.time(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        with torch.no_grad():
            for s in range(0, n, batch):
                model(images[s:s + batch], magnitudes[s:s + batch])
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        return n / (time.time() - t0), n / (time.process_time() - c0), faults / n

    if sys.argv[5] == "--serve":
        print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(),
                          "interop_threads": torch.get_num_interop_threads()}), flush=True)
        for _ in sys.stdin:
            wall, cpu, faults = one_pass()
            print(json.dumps({"samples_per_second": wall, "samples_per_cpu_second": cpu,
                              "minor_faults_per_sample": faults}), flush=True)
        return
    repeats = int(sys.argv[5])
    one_pass()  # warms the TorchScript executor up
    rates = sorted(one_pass()[0] for _ in range(repeats))
    print(json.dumps({"samples_per_second": rates[len(rates) // 2]}))


if __name__ == "__main__":
    main()
