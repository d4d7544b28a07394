"""ONNX Runtime's own forward in Python over one partition already in memory: the reference for the
worker's ONNX path. The session is made as ONNX Runtime's performance guide advises for one request
at a time on a CPU: all graph optimisations, sequential execution, THREADS intra-op threads and one
inter-op thread.

    python3 ort_forward.py MODEL.onnx PARTITION.npz BATCH THREADS --serve
        loads once, then runs one pass per line read on stdin and prints its samples per second of
        wall time and of the process's CPU time (all threads), and the minor page faults per sample
"""
import json
import resource
import sys
import time

import numpy as np
import onnxruntime as ort


def main():
    model_path, partition, batch, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])
    data = np.load(partition)
    names = [i.name for i in session.get_inputs()]
    arrays = [np.ascontiguousarray(data[n]) for n in names]
    n = arrays[0].shape[0]

    def one_pass():
        t0, c0, f0 = time.time(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        for s in range(0, n, batch):
            session.run(None, {name: a[s:s + batch] for name, a in zip(names, arrays)})
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0
        return n / (time.time() - t0), n / (time.process_time() - c0), faults / n

    print(json.dumps({"onnxruntime": ort.__version__, "threads": threads}), flush=True)
    for _ in sys.stdin:
        wall, cpu, faults = one_pass()
        print(json.dumps({"samples_per_second": wall, "samples_per_cpu_second": cpu, "minor_faults_per_sample": faults}), flush=True)


if __name__ == "__main__":
    main()
