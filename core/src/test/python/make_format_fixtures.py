"""Writes the small partition files the format readers' unit tests read, each beside a
`<file>.ref.npz` holding its arrays as the format's own Python reader returns them (h5py,
astropy, pyarrow, PIL): the Java readers must return the same dtypes, shapes and bytes.

    python="$(bench/python/formats-venv.sh)"
    "$python" core/src/test/python/make_format_fixtures.py core/src/test/resources/formats
    "$python" core/src/test/python/make_format_fixtures.py core/src/test/resources/formats fits webdataset  # only these

The files are committed (a few KB each), so `mvn verify` needs no Python; rerun this script when
a case is added. Contents are seeded: a rerun writes the same arrays (HDF5 and FITS headers may
carry the library's version, FITS gzip tiles the time they were written).
"""
import gzip
import io
import json
import os
import sys
import tarfile

import h5py
import hdf5plugin
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from astropy.io import fits
from PIL import Image

N = 10
rng = np.random.default_rng(24)


def save_ref(path, arrays):
    np.savez(path + ".ref.npz", **arrays)


def hdf5(out):
    cut = rng.standard_normal((N, 3, 4, 4)).astype(np.float32)
    strain = rng.standard_normal(N)
    ids = np.arange(1000, 1000 + N, dtype=np.int64)
    flags = (np.arange(N) % 3 == 0)
    u16 = np.arange(N * 2, dtype=">u2").reshape(N, 2)
    with h5py.File(os.path.join(out, "basic.h5"), "w") as f:
        f["cutouts"] = cut
        f.create_group("strain")["H1"] = strain
        f["ids"] = ids
        f["flags"] = flags
        f["u16_big_endian"] = u16
        f["names"] = np.array([b"a", b"bb"] * (N // 2))
        f["table"] = np.zeros(N, dtype=[("a", "<i4"), ("b", "<f8")])
        f["scalar"] = 3.0
    with h5py.File(os.path.join(out, "basic.h5"), "r") as f:
        save_ref(os.path.join(out, "basic.h5"), {k: f[k][()] for k in ["cutouts", "strain/H1", "ids", "flags", "u16_big_endian"]})

    big = rng.standard_normal((N, 64)).astype(np.float32)
    ints = rng.integers(-1000, 1000, size=(N, 64)).astype(np.int32)
    with h5py.File(os.path.join(out, "filters.h5"), "w") as f:
        f.create_dataset("gzip_shuffle", data=big, chunks=(3, 64), compression="gzip", shuffle=True)
        f.create_dataset("lzf", data=ints, chunks=(4, 16), compression="lzf")
        f.create_dataset("lz4", data=big, chunks=(5, 64), **hdf5plugin.LZ4())
        f.create_dataset("bitshuffle", data=ints, chunks=(4, 64), **hdf5plugin.Bitshuffle(cname="lz4"))
        f.create_dataset("fletcher32", data=big, chunks=(N, 64), fletcher32=True)
        f.create_dataset("partial_chunks", data=big[:, :50], chunks=(4, 16), compression="gzip")
    with h5py.File(os.path.join(out, "filters.h5"), "r") as f:
        save_ref(os.path.join(out, "filters.h5"), {k: f[k][()] for k in f.keys()})

    with h5py.File(os.path.join(out, "blosc.h5"), "w") as f:
        f.create_dataset("ok", data=big)
        f.create_dataset("blosc", data=big, chunks=(5, 64), **hdf5plugin.Blosc())
        f.create_dataset("zstd", data=big, chunks=(5, 64), **hdf5plugin.Zstd())


def fits_files(out):
    rng = np.random.default_rng(2401)  # its own stream: adding a case here changes no other format's data
    flux = rng.standard_normal((N, 3, 4, 4)).astype(np.float32)
    counts = rng.integers(0, 30000, size=(N, 5)).astype(np.int16)
    u16 = np.arange(N * 3, dtype=np.uint16).reshape(N, 3) * 2000
    primary = fits.PrimaryHDU()
    img = fits.ImageHDU(flux, name="FLUX")
    scaled = fits.ImageHDU(counts, name="SCALED")
    scaled.scale("int16", bscale=0.5, bzero=10.0)
    scaled.header["BSCALE"] = 0.5
    scaled.header["BZERO"] = 10.0
    unsigned = fits.ImageHDU(u16, name="U16")
    cols = fits.ColDefs([
        fits.Column(name="id", format="K", array=np.arange(N, dtype=np.int64) + 7),
        fits.Column(name="mag", format="5E", array=rng.standard_normal((N, 5)).astype(np.float32)),
        fits.Column(name="ra", format="D", array=rng.uniform(0, 360, N)),
        fits.Column(name="flag", format="L", array=np.arange(N) % 2 == 0),
        fits.Column(name="small", format="I", array=np.arange(N, dtype=np.int16) - 3),
        fits.Column(name="b", format="B", array=np.arange(N, dtype=np.uint8)),
        fits.Column(name="name", format="8A", array=np.array(["obj%d" % i for i in range(N)])),
    ])
    table = fits.BinTableHDU.from_columns(cols, name="CATALOG")
    path = os.path.join(out, "basic.fits")
    fits.HDUList([primary, img, scaled, unsigned, table]).writeto(path, overwrite=True)
    with open(path, "rb") as f, gzip.GzipFile(path + ".gz", "wb", mtime=0) as g:
        g.write(f.read())
    with open(path + ".gz", "rb") as f:
        gz = bytearray(f.read())
    gz[len(gz) // 2] ^= 0xFF  # a damaged deflate stream (or CRC) in the middle
    with open(os.path.join(out, "corrupt.fits.gz"), "wb") as f:
        f.write(gz)
    with open(path, "rb") as f:
        whole = f.read()
    with open(os.path.join(out, "truncated.fits"), "wb") as f:
        f.write(whole[: len(whole) - 4000])  # ends inside the last HDU
    with fits.open(path) as h:
        ref = {"FLUX": h["FLUX"].data, "SCALED": h["SCALED"].data, "U16": h["U16"].data}
        for c in ["id", "mag", "ra", "flag", "small", "b"]:
            ref[c] = np.asarray(h["CATALOG"].data[c])
        save_ref(path, ref)
    more = fits.HDUList([fits.PrimaryHDU(rng.integers(0, 255, size=(N, 2), dtype=np.uint8))])  # no EXTNAME: PRIMARY
    i8 = fits.ImageHDU(rng.integers(-128, 127, size=(N, 3), dtype=np.int8), name="I8")  # BZERO=-128
    u32 = fits.ImageHDU(rng.integers(0, 2**32 - 1, size=(N, 2), dtype=np.uint32), name="U32")
    s32 = fits.ImageHDU(rng.integers(-10**6, 10**6, size=(N, 2)).astype(np.int32), name="S32")
    s32.header["BSCALE"] = 0.001
    s32.header["BZERO"] = -3.0
    blank = fits.ImageHDU(np.where(np.arange(N * 2).reshape(N, 2) % 5 == 0, -1, np.arange(N * 2).reshape(N, 2)).astype(np.int16),
                          name="BLANKED")
    blank.header["BLANK"] = -1
    f64 = fits.ImageHDU(rng.standard_normal((N, 2, 3)))  # no EXTNAME: named by its index
    fscaled = fits.ImageHDU(rng.standard_normal((N, 2)).astype(np.float32), name="F32SCALED")
    fscaled.header["BSCALE"] = 2.5
    fscaled.header["BZERO"] = 1.0
    tcols = fits.ColDefs([
        fits.Column(name="scaled", format="E", bscale=0.5, bzero=5, array=np.arange(N) * 0.5 + 5),
        fits.Column(name="offset", format="I", bzero=100, array=np.arange(N, dtype=np.int16) + 100),
        fits.Column(name="u16", format="I", bzero=32768, array=np.arange(N, dtype=np.uint16) * 6000),
        fits.Column(name="grid", format="6E", dim="(3,2)", array=rng.standard_normal((N, 2, 3)).astype(np.float32)),
        fits.Column(name="bits", format="4X", array=rng.integers(0, 2, size=(N, 4)).astype(bool)),
        fits.Column(name="cplx", format="C", array=np.zeros(N, dtype=np.complex64)),
    ])
    path = os.path.join(out, "conventions.fits")
    fits.HDUList(more + [i8, u32, s32, blank, f64, fscaled, fits.BinTableHDU.from_columns(tcols, name="T2")]).writeto(path, overwrite=True)
    with fits.open(path) as h:
        ref = {"PRIMARY": h[0].data, "I8": h["I8"].data, "U32": h["U32"].data, "S32": h["S32"].data,
               "BLANKED": h["BLANKED"].data, "HDU5": h[5].data, "F32SCALED": h["F32SCALED"].data}
        for c in ["scaled", "offset", "u16", "grid", "bits"]:
            ref[c] = np.asarray(h["T2"].data[c])
        save_ref(path, ref)
    # a primary image is named by the file's first HDU: EXTNAME on the primary header too
    prim = fits.PrimaryHDU(flux)
    prim.header["EXTNAME"] = "CUTOUTS"
    fits.HDUList([prim]).writeto(os.path.join(out, "primary.fits"), overwrite=True)
    save_ref(os.path.join(out, "primary.fits"), {"CUTOUTS": flux})

    ints = rng.integers(-500, 500, size=(N, 8, 8)).astype(np.int32)
    tiled = fits.HDUList([
        fits.PrimaryHDU(),
        fits.CompImageHDU(ints, name="RICE", compression_type="RICE_1"),
        fits.CompImageHDU(flux, name="GZIP", compression_type="GZIP_1", quantize_level=0.0),
        fits.CompImageHDU(ints.astype(np.int16), name="GZIP2", compression_type="GZIP_2"),
        fits.CompImageHDU(flux, name="QUANTIZED", compression_type="RICE_1"),  # lossy float: dithered, quantized
        fits.CompImageHDU(u16, name="RICEU16", compression_type="RICE_1"),  # BZERO=32768 kept beside the tiles
    ])
    path = os.path.join(out, "tiled.fits")
    tiled.writeto(path, overwrite=True)
    with fits.open(path) as h:
        save_ref(path, {k: h[k].data for k in ["RICE", "GZIP", "GZIP2", "QUANTIZED", "RICEU16"]})


def parquet_files(out):
    vec = rng.standard_normal((N, 4)).astype(np.float32)
    table = pa.table({
        "x": pa.array(rng.standard_normal(N).astype(np.float32)),
        "y": pa.array(rng.standard_normal(N)),
        "id": pa.array(np.arange(N, dtype=np.int64) * 1000003),
        "k": pa.array(np.arange(N, dtype=np.int32) - 5),
        "u8": pa.array((np.arange(N) * 25).astype(np.uint8)),
        "i16": pa.array((np.arange(N) * -300).astype(np.int16)),
        "flag": pa.array(np.arange(N) % 3 == 1),
        "vec": pa.FixedSizeListArray.from_arrays(pa.array(vec.ravel()), 4),
        "lst": pa.array([list(rng.standard_normal(3)) for _ in range(N)]),
        "label": pa.array(np.arange(N, dtype=np.int64) % 4),
        "name": pa.array(["obj%d" % i for i in range(N)]),
        "nullable": pa.array([1.0 if i != 3 else None for i in range(N)]),
        "ragged": pa.array([[1.0] * (1 + i % 2) for i in range(N)]),
    })
    ref = {c: np.asarray(table[c].to_numpy()) for c in ["x", "y", "id", "k", "u8", "i16", "flag", "label"]}
    ref["vec"] = np.stack(table["vec"].to_pylist()).astype(np.float32)
    ref["lst"] = np.stack(table["lst"].to_pylist())
    for codec in ["snappy", "zstd", "gzip", "none", "lz4"]:
        path = os.path.join(out, codec + ".parquet")
        pq.write_table(table, path, compression=codec, row_group_size=4)
        save_ref(path, ref)
    path = os.path.join(out, "v2_plain.parquet")
    pq.write_table(table, path, compression="snappy", data_page_version="2.0", use_dictionary=False,
                   row_group_size=7, data_page_size=64)
    save_ref(path, ref)
    path = os.path.join(out, "byte_stream_split.parquet")
    pq.write_table(table.select(["x", "y", "vec"]), path, use_dictionary=False, use_byte_stream_split=True)
    save_ref(path, {k: ref[k] for k in ["x", "y", "vec"]})
    # read back as a user would, so the reference is what pandas sees
    back = pq.read_table(os.path.join(out, "snappy.parquet"))
    assert np.array_equal(back["x"].to_numpy(), ref["x"])


def webdataset(out):
    rng = np.random.default_rng(2402)  # its own stream: adding a case here changes no other format's data

    def shard(path, members, fmt=tarfile.GNU_FORMAT):
        with tarfile.open(path, "w", format=fmt) as t:
            for name, data in members:
                info = tarfile.TarInfo(name)
                info.size = len(data)
                info.mtime = 0
                t.addfile(info, io.BytesIO(data))

    def png(img):
        b = io.BytesIO()
        img.save(b, format="PNG")
        return b.getvalue()

    def npy(a):
        b = io.BytesIO()
        np.save(b, a)
        return b.getvalue()

    keys = ["sample%03d" % i for i in range(N)]
    members, images, classes, vecs = [], [], [], []
    for i, k in enumerate(reversed(keys)):  # written out of order: readers sort keys
        mode = "L" if i == 2 else ("RGBA" if i == 3 else ("P" if i == 4 else "RGB"))
        rgb = rng.integers(0, 256, size=(6, 8, 3), dtype=np.uint8)
        img = Image.fromarray(rgb, "RGB")
        img = img.convert(mode) if mode != "RGB" else img
        v = rng.standard_normal(3).astype(np.float32)
        members += [(k + ".png", png(img)), (k + ".cls", str(i % 5).encode()), (k + ".npy", npy(v)),
                    (k + ".json", json.dumps({"key": k}).encode())]
    path = os.path.join(out, "shard.tar")
    shard(path, members)
    # the reference as PIL decodes it, keys sorted
    by = {}
    with tarfile.open(path) as t:
        for m in t.getmembers():
            key, ext = m.name.split(".", 1)
            by.setdefault(key, {})[ext] = t.extractfile(m).read()
    ks = sorted(by)
    ref = {
        "png": np.stack([np.asarray(Image.open(io.BytesIO(by[k]["png"])).convert("RGB")).transpose(2, 0, 1) for k in ks]),
        "cls": np.array([int(by[k]["cls"]) for k in ks], dtype=np.int64),
        "npy": np.stack([np.load(io.BytesIO(by[k]["npy"])) for k in ks]),
    }
    save_ref(path, ref)
    jpgs = []
    for k in ks:
        b = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, size=(16, 16, 3), dtype=np.uint8)).save(b, format="JPEG", quality=90)
        jpgs.append((k + ".jpg", b.getvalue()))
    shard(os.path.join(out, "jpeg.tar"), jpgs)
    save_ref(os.path.join(out, "jpeg.tar"), {"jpg": np.stack(
        [np.asarray(Image.open(io.BytesIO(d))).transpose(2, 0, 1) for _, d in jpgs])})
    sizes = [(k + ".png", png(Image.new("RGB", (8, 6 + (i == 3))))) for i, k in enumerate(ks)]
    shard(os.path.join(out, "mixed_sizes.tar"), sizes)
    missing = [(k + ".png", png(Image.new("RGB", (8, 6)))) for k in ks] + [(k + ".cls", b"1") for k in ks[:-1]]
    shard(os.path.join(out, "missing_member.tar"), missing)
    with open(path, "rb") as f:
        whole = f.read()
    with open(os.path.join(out, "truncated.tar"), "wb") as f:
        f.write(whole[: len(whole) // 2 + 100])  # ends inside a member
    shard(os.path.join(out, "bad_cls.tar"), [(k + ".cls", b"x" if i == 2 else b"3") for i, k in enumerate(ks)])

    # long member paths: GNU ././@LongLink names and pax 'path' records; keys with folders and dots in the
    # folder, extensions with dots and capitals, as webdataset splits them (key: up to the basename's first dot)
    folder = "train.v2/" + "d" * 120 + "/"
    long_members = []
    for i in range(4):
        k = folder + "s%d" % i
        long_members += [(k + ".seg.NPY", npy(np.full((2, 2), i, dtype=np.int16))), (k + ".cls", b" %d\n" % (7 - i))]
    for fmt, name in [(tarfile.GNU_FORMAT, "long_gnu.tar"), (tarfile.PAX_FORMAT, "long_pax.tar")]:
        shard(os.path.join(out, name), long_members, fmt)
        save_ref(os.path.join(out, name), {"seg.npy": np.stack([np.full((2, 2), i, dtype=np.int16) for i in range(4)]),
                                           "cls": np.array([7, 6, 5, 4], dtype=np.int64)})
    gray = []
    for k in ks[:3]:
        b = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, size=(8, 8), dtype=np.uint8), "L").save(b, format="JPEG", quality=95)
        gray.append((k + ".jpeg", b.getvalue()))
    shard(os.path.join(out, "gray_jpeg.tar"), gray)
    save_ref(os.path.join(out, "gray_jpeg.tar"), {"jpeg": np.stack(
        [np.asarray(Image.open(io.BytesIO(d)).convert("RGB")).transpose(2, 0, 1) for _, d in gray])})


def main():
    out = sys.argv[1]
    only = set(sys.argv[2:])  # e.g. `fits webdataset`: rewrite only these; all when none named
    for sub, make in [("hdf5", hdf5), ("fits", fits_files), ("parquet", parquet_files), ("webdataset", webdataset)]:
        if only and sub not in only:
            continue
        d = os.path.join(out, sub)
        os.makedirs(d, exist_ok=True)
        make(d)
    print("wrote fixtures under", out)


if __name__ == "__main__":
    main()
