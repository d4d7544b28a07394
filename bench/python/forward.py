"""PyTorch's own forward over one partition already in memory: the Python reference for
compute-only samples/s.  python3 forward.py MODEL.pt PARTITION.npz BATCH THREADS REPEATS"""
import json
import sys
import time

import numpy as np
import torch


def main():
    model_path, partition, batch, threads, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    model = torch.jit.load(model_path).eval()
    data = np.load(partition)
    images, magnitudes = torch.from_numpy(data["images"]), torch.from_numpy(data["magnitudes"])
    n = images.shape[0]
    rates = []
    with torch.no_grad():
        for r in range(repeats + 1):  # the first pass warms the TorchScript executor up
            t0 = time.time()
            for s in range(0, n, batch):
                model(images[s:s + batch], magnitudes[s:s + batch])
            if r > 0:
                rates.append(n / (time.time() - t0))
    print(json.dumps({"samples_per_second": sorted(rates)[len(rates) // 2]}))


if __name__ == "__main__":
    main()
