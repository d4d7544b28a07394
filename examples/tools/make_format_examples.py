"""Writes the example partitions in the other partition formats, holding the same arrays as the
.npz ones, for the worker's and the e2e suite's format tests (the committed files are what they read;
rerun this only when a case is added):

    python="$(bench/python/formats-venv.sh)"
    "$python" examples/tools/make_format_examples.py

- examples/reference/astro-small.h5: datasets images, magnitudes (in group phot) and redshift, chunked and
  gzip-compressed, as h5py writes them
- examples/reference/astro-small.fits.gz: an IMAGE HDU 'IMAGES' ([37, 5, 32, 32], samples on FITS's last axis)
  and a binary table 'CATALOG' with MAGNITUDES (5E) and REDSHIFT (E), gzipped, as astropy writes them
- examples/reference/astro-small.tar: a WebDataset shard, one sample per key: images.npy, magnitudes.npy, redshift.npy
- examples/reference/toy-small.parquet: features as a fixed-size list<float>[8] column and label int64, two row
  groups, snappy, as pyarrow writes them
"""
import gzip
import io
import os
import tarfile

import h5py
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from astropy.io import fits

REF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "reference")


def main():
    astro = np.load(os.path.join(REF, "astro-small.npz"))
    images, magnitudes, redshift = astro["images"], astro["magnitudes"], astro["redshift"]
    with h5py.File(os.path.join(REF, "astro-small.h5"), "w") as f:
        f.create_dataset("images", data=images, chunks=(8, 5, 32, 32), compression="gzip", shuffle=True)
        f.create_group("phot").create_dataset("magnitudes", data=magnitudes, chunks=(16, 5), compression="gzip")
        f.create_dataset("redshift", data=redshift)

    hdus = fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(images, name="IMAGES"),
                         fits.BinTableHDU.from_columns([fits.Column(name="MAGNITUDES", format="5E", array=magnitudes),
                                                        fits.Column(name="REDSHIFT", format="E", array=redshift)],
                                                       name="CATALOG")])
    raw = io.BytesIO()
    hdus.writeto(raw)
    with open(os.path.join(REF, "astro-small.fits.gz"), "wb") as f:
        f.write(gzip.compress(raw.getvalue(), mtime=0))

    with tarfile.open(os.path.join(REF, "astro-small.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
        for i in range(images.shape[0]):
            for name, array in (("images", images[i]), ("magnitudes", magnitudes[i]), ("redshift", redshift[i])):
                buf = io.BytesIO()
                np.save(buf, array)
                info = tarfile.TarInfo(f"sample{i:04d}.{name}.npy")
                info.size = buf.tell()
                info.mtime = 0
                buf.seek(0)
                tar.addfile(info, buf)

    toy = np.load(os.path.join(REF, "toy-small.npz"))
    features = pa.FixedSizeListArray.from_arrays(pa.array(toy["features"].reshape(-1)), 8)
    table = pa.table({"features": features, "label": pa.array(toy["label"])})
    pq.write_table(table, os.path.join(REF, "toy-small.parquet"), row_group_size=32, compression="snappy")
    print("written under", os.path.normpath(REF))


if __name__ == "__main__":
    main()
