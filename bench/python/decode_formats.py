"""Benchmark 10's files and its Python side: the same CAI-shaped arrays in every partition format, and
each file read with its format's Python library as a user would, from bytes already in memory.

    python decode_formats.py write DIR [--samples N] [--image-samples M]
        writes into DIR, all holding images float32 [N, 5, 32, 32], magnitudes float32 [N, 5] and
        redshift float32 [N] (seeded, so both sides read the same numbers):
          cai.npz          uncompressed, as np.savez writes it
          cai-gzip.h5      chunked datasets, gzip + shuffle, as h5py writes them
          cai-raw.h5       contiguous datasets, no filter
          cai.fits         IMAGE HDU IMAGES, BINTABLE CATALOG with MAGNITUDES (5E) and REDSHIFT (E)
          cai.parquet      images fixed_size_list<float>[5120], magnitudes fixed_size_list<float>[5], redshift; snappy
        and, with M samples (PNG decoding is slower), a WebDataset shard and its .npz twin:
          rgb.tar          one <key>.png (uint8 RGB 64x64) and <key>.cls per sample
          rgb.npz          png uint8 [M, 3, 64, 64] and cls int64 [M], the arrays the shard decodes to
        and prints one JSON line naming the files.

    python decode_formats.py time DIR REPEATS
        reads each file's bytes once, then times REPEATS reads of every array with the library a user
        would use into native-endian, C-ordered numpy arrays (torch.from_numpy takes them as they are):
        np.load; h5py dataset[()]; astropy fits.open(memmap=False) .data (big-endian, so converted);
        pyarrow.parquet.read_table + to_numpy (fixed-size lists flattened and reshaped); tarfile and
        PIL Image.open + np.asarray (convert('RGB') only where not RGB) stacked to [M, 3, H, W].
        Prints one JSON line: seconds per run, and each array's dtype, shape and CRC-32 (the Java
        side must decode the same numbers).
"""
import io
import json
import os
import sys
import tarfile
import time
import zlib

import numpy as np

CAI_FILES = ["cai.npz", "cai-gzip.h5", "cai-raw.h5", "cai.fits", "cai.parquet"]
RGB_FILES = ["rgb.npz", "rgb.tar"]


def cai_arrays(n):
    rng = np.random.default_rng(2026)
    # smooth sources plus noise, so gzip and snappy see data that compresses as sky images do, not pure noise
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32)
    blob = np.exp(-((yy - 16) ** 2 + (xx - 16) ** 2) / 40.0).astype(np.float32)
    images = (blob[None, None] * rng.uniform(0.5, 2.0, (n, 5, 1, 1)).astype(np.float32)
              + rng.normal(0, 0.05, (n, 5, 32, 32)).astype(np.float32)).astype(np.float32)
    magnitudes = rng.uniform(15, 25, (n, 5)).astype(np.float32)
    redshift = rng.uniform(0, 3, n).astype(np.float32)
    return images, magnitudes, redshift


def rgb_arrays(m):
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:64, 0:64]
    images = np.empty((m, 3, 64, 64), np.uint8)
    for i in range(m):
        base = (yy * rng.integers(1, 4) + xx * rng.integers(1, 4)) % 256
        for c in range(3):
            images[i, c] = np.clip(base + rng.integers(0, 60) + rng.integers(-8, 9, (64, 64)), 0, 255)
    return images, rng.integers(0, 10, m).astype(np.int64)


def write(folder, n, m):
    import h5py
    import pyarrow as pa
    import pyarrow.parquet as pq
    from astropy.io import fits
    from PIL import Image

    os.makedirs(folder, exist_ok=True)
    images, magnitudes, redshift = cai_arrays(n)
    np.savez(os.path.join(folder, "cai.npz"), images=images, magnitudes=magnitudes, redshift=redshift)
    with h5py.File(os.path.join(folder, "cai-gzip.h5"), "w") as f:
        f.create_dataset("images", data=images, chunks=(min(n, 64), 5, 32, 32), compression="gzip", shuffle=True)
        f.create_dataset("magnitudes", data=magnitudes, chunks=(min(n, 1024), 5), compression="gzip", shuffle=True)
        f.create_dataset("redshift", data=redshift, chunks=(min(n, 4096),), compression="gzip", shuffle=True)
    with h5py.File(os.path.join(folder, "cai-raw.h5"), "w") as f:
        for name, a in (("images", images), ("magnitudes", magnitudes), ("redshift", redshift)):
            f.create_dataset(name, data=a)
    fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(images, name="IMAGES"),
                  fits.BinTableHDU.from_columns([fits.Column(name="MAGNITUDES", format="5E", array=magnitudes),
                                                 fits.Column(name="REDSHIFT", format="E", array=redshift)],
                                                name="CATALOG")]).writeto(os.path.join(folder, "cai.fits"), overwrite=True)
    table = pa.table({"images": pa.FixedSizeListArray.from_arrays(pa.array(images.reshape(-1)), 5 * 32 * 32),
                      "magnitudes": pa.FixedSizeListArray.from_arrays(pa.array(magnitudes.reshape(-1)), 5),
                      "redshift": pa.array(redshift)})
    pq.write_table(table, os.path.join(folder, "cai.parquet"), compression="snappy")

    rgb, cls = rgb_arrays(m)
    np.savez(os.path.join(folder, "rgb.npz"), png=rgb, cls=cls)
    with tarfile.open(os.path.join(folder, "rgb.tar"), "w", format=tarfile.USTAR_FORMAT) as tar:
        for i in range(m):
            png = io.BytesIO()
            Image.fromarray(np.ascontiguousarray(rgb[i].transpose(1, 2, 0)), "RGB").save(png, format="PNG")
            for ext, data in (("png", png.getvalue()), ("cls", str(int(cls[i])).encode())):
                info = tarfile.TarInfo(f"sample{i:06d}.{ext}")
                info.size = len(data)
                info.mtime = 0
                tar.addfile(info, io.BytesIO(data))
    print(json.dumps({"samples": n, "image_samples": m, "files": CAI_FILES + RGB_FILES}))


def native(a):
    """As a model takes it: native byte order, C order (astropy hands big-endian arrays)."""
    return np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("="))


def read_npz(raw):
    with np.load(io.BytesIO(raw)) as z:
        return {k: z[k] for k in z.files}


def read_h5(raw):
    import h5py
    with h5py.File(io.BytesIO(raw), "r") as f:
        return {k: f[k][()] for k in f.keys()}


def read_fits(raw):
    from astropy.io import fits
    out = {}
    with fits.open(io.BytesIO(raw), memmap=False) as hdul:
        for hdu in hdul:
            if isinstance(hdu, fits.BinTableHDU):
                for c in hdu.columns.names:
                    out[c] = native(hdu.data[c])
            elif hdu.data is not None:
                out[hdu.name] = native(hdu.data)
    return out


def read_parquet(raw):
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pq.read_table(pa.BufferReader(raw))
    out = {}
    for name in table.column_names:
        col = table.column(name).combine_chunks()
        if pa.types.is_fixed_size_list(col.type):
            out[name] = col.flatten().to_numpy().reshape(len(col), col.type.list_size)
        else:
            out[name] = col.to_numpy()
    return out


def rgb(image):
    """The image's pixels, converted only where it is not RGB already (convert would copy an RGB image)."""
    return np.asarray(image if image.mode == "RGB" else image.convert("RGB"))


def read_tar(raw):
    from PIL import Image
    samples = {}
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        for member in tar:
            if member.isfile():
                key, ext = member.name.split(".", 1)
                samples.setdefault(key, {})[ext] = tar.extractfile(member).read()
    keys = sorted(samples)
    png = np.stack([rgb(Image.open(io.BytesIO(samples[k]["png"]))) for k in keys])
    return {"png": np.ascontiguousarray(png.transpose(0, 3, 1, 2)),
            "cls": np.array([int(samples[k]["cls"]) for k in keys], np.int64)}


READERS = {".npz": read_npz, ".h5": read_h5, ".fits": read_fits, ".parquet": read_parquet, ".tar": read_tar}


def time_all(folder, repeats):
    import astropy
    import h5py
    import PIL
    import pyarrow
    out = {"versions": {"python": sys.version.split()[0], "numpy": np.__version__, "h5py": h5py.__version__,
                        "astropy": astropy.__version__, "pyarrow": pyarrow.__version__, "pillow": PIL.__version__},
           "files": {}}
    for name in CAI_FILES + RGB_FILES:
        path = os.path.join(folder, name)
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            raw = f.read()
        reader = READERS[os.path.splitext(name)[1]]
        arrays = reader(raw)  # warm-up: imports, caches
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            arrays = reader(raw)
            runs.append(time.perf_counter() - t0)
        first = next(iter(arrays.values()))
        out["files"][name] = {"bytes": len(raw), "samples": int(first.shape[0]), "seconds": runs,
                              "arrays": {k: [str(v.dtype), list(v.shape), zlib.crc32(native(v))] for k, v in arrays.items()}}
    print(json.dumps(out))


def main(argv):
    if len(argv) >= 2 and argv[0] == "write":
        n = int(argv[argv.index("--samples") + 1]) if "--samples" in argv else 2048
        m = int(argv[argv.index("--image-samples") + 1]) if "--image-samples" in argv else 512
        write(argv[1], n, m)
    elif len(argv) == 3 and argv[0] == "time":
        time_all(argv[1], int(argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
