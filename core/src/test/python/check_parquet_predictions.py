"""Reads every <name>.parquet under a folder with pyarrow and pandas.read_parquet and compares each column
with <name>.ref.npz, the same arrays as the Java side wrote them with numpy's format (ParquetWriterPandasTest):
the column order, the dtype, the row shape recorded as dataparallel.shape.<column>, and every value.
Prints one line per file; exits 1 naming the first difference.
  python check_parquet_predictions.py FOLDER
"""
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq


def fail(message):
    print("MISMATCH " + message)
    sys.exit(1)


def check(path, ref):
    table = pq.read_table(path)
    meta = table.schema.metadata or {}
    if table.column_names != list(ref.keys()):
        fail(f"{path.name}: columns {table.column_names}, expected {list(ref.keys())}")
    frame = pd.read_parquet(path)
    if list(frame.columns) != list(ref.keys()):
        fail(f"{path.name}: pandas columns {list(frame.columns)}, expected {list(ref.keys())}")
    for name, want in ref.items():
        what = f"{path.name} column {name}"
        shape = json.loads(meta.get(f"dataparallel.shape.{name}".encode(), b"null"))
        if shape != list(want.shape[1:]):
            fail(f"{what}: recorded row shape {shape}, expected {list(want.shape[1:])}")
        column = table.column(name)
        if len(want.shape) > 1:
            # pyarrow: the list's values, flattened, reshaped by the recorded row shape
            values = pc.list_flatten(column).to_numpy(zero_copy_only=False)
            got = values.reshape(len(frame), *shape)
        else:
            got = column.to_numpy()
        if got.dtype != want.dtype or got.shape != want.shape or not np.array_equal(got, want, equal_nan=True):
            fail(f"{what}: pyarrow reads {got.dtype} {got.shape} {got.ravel()[:6]}, expected {want.dtype} {want.shape} {want.ravel()[:6]}")
        if len(frame) == 0:
            continue
        # pandas: a scalar column is a column of its dtype, a list column one numpy array per row
        series = frame[name]
        stacked = np.stack(series.to_numpy()).reshape(len(frame), *shape)
        if stacked.dtype != want.dtype or not np.array_equal(stacked, want, equal_nan=True):
            fail(f"{what}: pandas reads {stacked.dtype} {stacked.ravel()[:6]}, expected {want.dtype} {want.ravel()[:6]}")
    print(f"ok {path.name}: {len(table)} rows, {table.num_columns} columns, {pq.ParquetFile(path).num_row_groups} row groups")


def main():
    folder = pathlib.Path(sys.argv[1])
    files = sorted(folder.glob("*.parquet"))
    if not files:
        fail(f"no .parquet files under {folder}")
    for path in files:
        with np.load(path.with_suffix(".ref.npz")) as ref:
            check(path, {k: ref[k] for k in ref.files})


if __name__ == "__main__":
    main()
