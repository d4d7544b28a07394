"""Converts CAI's .pt partitions into the .npz partitions dataparallel reads.

    python3 cai_pt_to_npz.py IN.pt [IN2.pt ...] --out DIR [--names images,magnitudes,redshift] [--compress]

A CAI partition is whatever its split script saved with torch.save: a dict of tensors, a
tuple or list of tensors, or a TensorDataset. Dict keys become array names; a tuple, list
or TensorDataset gets the names from --names, in order (CAI's order is images [N,5,32,32],
magnitudes [N,5], redshift [N]). Every array keeps its dtype and shape; the first dimension
must be the samples. Needs PyTorch and numpy (Debian: python3-torch).
"""
import argparse
import os
import sys

import numpy as np
import torch


def arrays(obj, names):
    if isinstance(obj, dict):
        return {str(k): v for k, v in obj.items()}
    if isinstance(obj, torch.utils.data.TensorDataset):
        obj = obj.tensors
    if isinstance(obj, (tuple, list)):
        if len(obj) > len(names):
            sys.exit(f"error: the file holds {len(obj)} tensors but --names gives {len(names)}: name each, in order")
        return dict(zip(names, obj))
    sys.exit(f"error: cannot convert a {type(obj).__name__}: expected a dict, tuple, list or TensorDataset of tensors")


def to_numpy(name, value):
    if isinstance(value, torch.Tensor):
        return value.detach().cpu().contiguous().numpy()
    array = np.asarray(value)
    if array.dtype == object:
        sys.exit(f"error: '{name}' is not numeric: store tensors or numeric arrays")
    return np.ascontiguousarray(array)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--out", required=True, help="folder for the .npz files (same base names)")
    parser.add_argument("--names", default="images,magnitudes,redshift")
    parser.add_argument("--compress", action="store_true", help="numpy.savez_compressed (smaller, slower to read)")
    args = parser.parse_args()
    names = [n.strip() for n in args.names.split(",") if n.strip()]
    os.makedirs(args.out, exist_ok=True)
    for path in args.inputs:
        data = {k: to_numpy(k, v) for k, v in arrays(torch.load(path, map_location="cpu"), names).items()}
        rows = {k: (v.shape[0] if v.ndim else None) for k, v in data.items()}
        if len(set(rows.values())) != 1 or None in rows.values():
            sys.exit(f"error: {path}: arrays need the same first dimension (samples), got {rows}")
        target = os.path.join(args.out, os.path.splitext(os.path.basename(path))[0] + ".npz")
        (np.savez_compressed if args.compress else np.savez)(target, **data)
        print(f"{path} -> {target}: " + ", ".join(f"{k} {v.dtype} {v.shape}" for k, v in data.items()))


if __name__ == "__main__":
    main()
