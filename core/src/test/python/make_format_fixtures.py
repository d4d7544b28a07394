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


def hdf5_gzip(out):
    """Whole-sample gzip chunks, the reader's own inflate path (Hdf5Chunks): each element width, with and
    without shuffle, an edge chunk, a chunk never written, and a copy with one chunk's bytes damaged."""
    r = np.random.default_rng(25)  # its own generator: the other fixtures' arrays stay as they were
    f32 = r.standard_normal((N, 3, 4, 4)).astype(np.float32)
    path = os.path.join(out, "gzip_rows.h5")
    with h5py.File(path, "w") as f:
        f.create_dataset("f32_shuffle", data=f32, chunks=(4, 3, 4, 4), compression="gzip", shuffle=True)
        f.create_dataset("f32_gzip", data=f32, chunks=(3, 3, 4, 4), compression="gzip")
        f.create_dataset("f64_shuffle", data=r.standard_normal((N, 5)), chunks=(4, 5), compression="gzip", shuffle=True)
        f.create_dataset("i16_shuffle", data=r.integers(-999, 999, (N, 7)).astype(np.int16), chunks=(6, 7),
                         compression="gzip", shuffle=True)
        f.create_dataset("u8_shuffle", data=r.integers(0, 255, (N, 6)).astype(np.uint8), chunks=(5, 6),
                         compression="gzip", shuffle=True)
        sparse = f.create_dataset("unwritten_chunk", shape=(N, 4), dtype=np.float32, chunks=(4, 4), compression="gzip")
        sparse[0:4] = 1.5  # rows 4..N-1 are never written: their chunks do not exist, h5py reads the fill value 0
    with h5py.File(path, "r") as f:
        save_ref(path, {k: f[k][()] for k in f.keys()})
        offset, size = f["f32_shuffle"].id.get_chunk_info(1).byte_offset, f["f32_shuffle"].id.get_chunk_info(1).size
    with open(path, "rb") as f:
        data = bytearray(f.read())
    data[offset + size // 2:offset + size] = bytes(size - size // 2)  # the second chunk's second half zeroed
    with open(os.path.join(out, "gzip_damaged.h5"), "wb") as f:
        f.write(data)


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
    # a generator of its own, so that running only this function (see main) writes the same files
    rng = np.random.default_rng(2024)
    n = 37  # not a multiple of 8: bit-packed runs end part-way
    vec = rng.standard_normal((n, 4)).astype(np.float32)
    lst = rng.standard_normal((n, 3))
    columns = {
        "x": pa.array(rng.standard_normal(n).astype(np.float32)),
        "y": pa.array(rng.standard_normal(n)),
        "id": pa.array(np.arange(n, dtype=np.int64) * 1000003 - 7),
        "k": pa.array(np.arange(n, dtype=np.int32) - 5),
        "i8": pa.array((np.arange(n) * 7 - 100).astype(np.int8)),
        "u8": pa.array((np.arange(n) * 7).astype(np.uint8)),
        "i16": pa.array((np.arange(n) * -300).astype(np.int16)),
        "u16": pa.array((np.arange(n) * 1700).astype(np.uint16)),
        "u32": pa.array((np.arange(n, dtype=np.uint64) * 116000000).astype(np.uint32)),
        "u64": pa.array(np.arange(n, dtype=np.uint64) * 500000000000000000),
        "f16": pa.array(rng.standard_normal(n).astype(np.float16)),
        "flag": pa.array(np.arange(n) % 3 == 1),
        "vec": pa.FixedSizeListArray.from_arrays(pa.array(vec.ravel()), 4),
        "lst": pa.array([list(r) for r in lst]),
        "label": pa.array(np.arange(n, dtype=np.int64) % 4),
        "name": pa.array(["obj%d" % i for i in range(n)]),
        "nullable": pa.array([1.0 if i != 3 and i != 20 else None for i in range(n)]),
        "ragged": pa.array([[1.0] * (1 + i % 2) for i in range(n)]),
    }
    # pyarrow writes every column optional unless the schema says not null: "req" is a required one
    fields = [pa.field(c, a.type) for c, a in columns.items()] + [pa.field("req", pa.int32(), nullable=False)]
    columns["req"] = pa.array(np.arange(n, dtype=np.int32) * 3)
    table = pa.table(columns, schema=pa.schema(fields))
    numbers = [c for c in columns if c not in ("name", "nullable", "ragged")]

    def ref_of(t, names):
        ref = {}
        for c in names:
            col = t[c]
            if pa.types.is_list(col.type) or pa.types.is_fixed_size_list(col.type):
                ref[c] = np.stack([np.asarray(v, dtype=col.type.value_type.to_pandas_dtype()) for v in col.to_pylist()])
            else:
                ref[c] = np.asarray(col.to_numpy())
        return ref

    def write(name, t, names, **options):
        path = os.path.join(out, name + ".parquet")
        pq.write_table(t, path, **options)
        # the reference is what pyarrow reads back, as a user's pandas/pyarrow would see the file
        save_ref(path, ref_of(pq.read_table(path), names))

    # several row groups, dictionary pages (pyarrow's default), data page V1
    for codec in ["snappy", "zstd", "gzip", "none", "lz4"]:
        write(codec, table, numbers, compression=codec, row_group_size=10)
    # plain values, data page V2, several pages per column chunk
    write("v2_plain", table, numbers, compression="zstd", data_page_version="2.0", use_dictionary=False,
          row_group_size=16, data_page_size=64, write_batch_size=8)
    write("v2_dictionary", table, numbers, compression="snappy", data_page_version="2.0", row_group_size=20,
          data_page_size=64, write_batch_size=8)
    write("v2_uncompressed", table, numbers, compression="none", data_page_version="2.0", use_dictionary=False)
    floats = ["x", "y", "f16", "vec", "lst"]
    write("byte_stream_split", table.select(floats), floats, use_dictionary=False, use_byte_stream_split=True,
          row_group_size=20)
    ints = ["id", "k", "i8", "u8", "i16", "u16", "u32", "u64", "label", "req"]
    write("delta", table.select(ints + ["flag"]), ints + ["flag"], use_dictionary=False, data_page_version="2.0",
          column_encoding={c: "DELTA_BINARY_PACKED" for c in ints} | {"flag": "RLE"}, row_group_size=25)
    # large deltas and a single row group: bit widths up to 64
    big = pa.table({"big": pa.array(rng.integers(-2**62, 2**62, size=300, dtype=np.int64)),
                    "small": pa.array(rng.integers(-3, 3, size=300).astype(np.int32))})
    write("delta_wide", big, ["big", "small"], use_dictionary=False, column_encoding="DELTA_BINARY_PACKED")

    # dictionaries past 8 bits of index, and a chunk that falls back from dictionary to plain pages part-way
    m = 1000
    many = pa.table({"d300": pa.array(rng.integers(0, 300, size=m).astype(np.int64)),
                     "fallback": pa.array(rng.standard_normal(m)),
                     "d300f": pa.array(rng.integers(0, 300, size=m).astype(np.float32))})
    write("dictionary_wide", many, ["d300", "fallback", "d300f"], dictionary_pagesize_limit=512, data_page_size=1024,
          row_group_size=600)

    # lists as pyarrow may write them: required lists of required items, old-style "item" naming, small types
    req_item = pa.list_(pa.field("item", pa.float32(), nullable=False))
    lists = pa.table({
        "req_list": pa.array([list(r) for r in vec], type=req_item),
        "pairs": pa.FixedSizeListArray.from_arrays(pa.array((np.arange(2 * n) % 256 - 128).astype(np.int8)), 2),
        "bools": pa.array([[i % 2 == 0, i % 3 == 0] for i in range(n)]),
        "u16s": pa.array([[i, 2 * i, 3 * i] for i in range(n)], type=pa.list_(pa.uint16())),
        "with_empty": pa.array([[1.0, 2.0] if i != 5 else [] for i in range(n)]),
        "null_row": pa.array([[1.0, 2.0] if i != 6 else None for i in range(n)]),
        "null_element": pa.array([[1.0, None if i == 7 else 2.0] for i in range(n)]),
    }, schema=pa.schema([pa.field("req_list", req_item, nullable=False), pa.field("pairs", pa.list_(pa.int8(), 2)),
                         pa.field("bools", pa.list_(pa.bool_())), pa.field("u16s", pa.list_(pa.uint16())),
                         pa.field("with_empty", pa.list_(pa.float64())), pa.field("null_row", pa.list_(pa.float64())),
                         pa.field("null_element", pa.list_(pa.float64()))]))
    good = ["req_list", "pairs", "bools", "u16s"]
    write("lists", lists, good, row_group_size=15)
    write("lists_v2_item", lists, good, row_group_size=15, data_page_version="2.0", use_compliant_nested_type=False,
          use_dictionary=False)

    # what is listed but is not an input
    import datetime
    import decimal
    other = pa.table({
        "x": pa.array(np.arange(n, dtype=np.float64)),
        "blob": pa.array([b"\x00\x01"] * n),
        "day": pa.array([datetime.date(2026, 1, 1 + i % 28) for i in range(n)]),
        "when": pa.array(np.arange(n).astype("datetime64[ms]")),
        "price": pa.array([decimal.Decimal("1.25")] * n, type=pa.decimal128(9, 2)),
        "point": pa.array([{"ra": 1.0, "dec": 2.0}] * n),
        "tags": pa.array([[("a", 1)]] * n, type=pa.map_(pa.string(), pa.int32())),
        "grid": pa.array([[[1.0, 2.0], [3.0, 4.0]]] * n),
        "strings": pa.array([["a", "b"]] * n),
    })
    write("unsupported", other, ["x"])
    # as pandas writes a DataFrame (its index becomes a column); the reference is what pandas reads back
    import pandas as pd
    df = pd.DataFrame({"flux": rng.standard_normal(n).astype(np.float32), "objid": np.arange(n, dtype=np.int64) + 10**12,
                       "good": np.arange(n) % 2 == 0, "band": ["g", "r", "i"] * (n // 3) + ["z"] * (n % 3)},
                      index=pd.Index(np.arange(n) * 2, name="row"))
    path = os.path.join(out, "pandas.parquet")
    df.to_parquet(path, engine="pyarrow", compression="snappy")
    back = pd.read_parquet(path).reset_index()
    save_ref(path, {c: back[c].to_numpy() for c in ["row", "flux", "objid", "good"]})
    path = os.path.join(out, "legacy_lists.parquet")
    save_ref(path, legacy_lists(path))
    empty = pa.table({"x": pa.array([], type=pa.float32()), "vec": pa.array([], type=pa.list_(pa.float32()))})
    write("empty", empty, ["x"])


def legacy_lists(path):
    """Writes, by hand, the two-level lists older writers (parquet-avro, Spark's legacy format) use and pyarrow
    cannot write: `optional group vals (LIST) { repeated int32 array; }` and a bare `repeated float reps`, beside a
    required int64; one row group, uncompressed PLAIN data pages V1. Returns the arrays pyarrow reads back."""
    import struct as st

    def varint(v):
        out = bytearray()
        while True:
            b, v = v & 0x7f, v >> 7
            out.append(b | (0x80 if v else 0))
            if not v:
                return bytes(out)

    def zigzag(v):
        return (v << 1) ^ (v >> 63)

    types = {"i32": 5, "i64": 6, "bin": 8, "list": 9, "struct": 12}

    def value(kind, v):
        if kind in ("i32", "i64"):
            return varint(zigzag(v))
        if kind == "bin":
            b = v.encode() if isinstance(v, str) else v
            return varint(len(b)) + b
        if kind == "struct":
            return struct_(v)
        elem, items = v
        head = bytes([(len(items) << 4) | types[elem]]) if len(items) < 15 else bytes([0xf0 | types[elem]]) + varint(len(items))
        return head + b"".join(value(elem, i) for i in items)

    def struct_(fields):  # [(id, kind, value)] in id order: the Thrift compact protocol
        out, last = bytearray(), 0
        for fid, kind, v in fields:
            out.append(((fid - last) << 4) | types[kind])
            out += value(kind, v)
            last = fid
        return bytes(out) + b"\x00"

    def levels(vals):  # one RLE run per level (bit width <= 8), with V1's 4-byte length
        runs = b"".join(varint(2) + bytes([v]) for v in vals)
        return st.pack("<i", len(runs)) + runs

    rows = 5
    vals = np.arange(rows * 3, dtype=np.int32).reshape(rows, 3) * 7 - 20
    reps = (np.arange(rows * 2, dtype=np.float32).reshape(rows, 2) / 4)
    req = np.arange(rows, dtype=np.int64) * -(10 ** 12)
    rep3 = [0 if i % 3 == 0 else 1 for i in range(rows * 3)]
    rep2 = [0 if i % 2 == 0 else 1 for i in range(rows * 2)]
    # (path, physical type, value count, page body)
    columns = [
        (["vals", "array"], 1, rows * 3, levels(rep3) + levels([2] * (rows * 3)) + vals.tobytes()),
        (["reps"], 4, rows * 2, levels(rep2) + levels([1] * (rows * 2)) + reps.tobytes()),
        (["req"], 2, rows, req.tobytes()),
    ]
    data, chunks = bytearray(b"PAR1"), []
    for path_in_schema, physical, count, body in columns:
        header = struct_([(1, "i32", 0), (2, "i32", len(body)), (3, "i32", len(body)),
                          (5, "struct", [(1, "i32", count), (2, "i32", 0), (3, "i32", 3), (4, "i32", 3)])])
        offset = len(data)
        data += header + body
        size = len(header) + len(body)
        meta = [(1, "i32", physical), (2, "list", ("i32", [0, 3])), (3, "list", ("bin", path_in_schema)), (4, "i32", 0),
                (5, "i64", count), (6, "i64", size), (7, "i64", size), (9, "i64", offset)]
        chunks.append([(2, "i64", offset), (3, "struct", meta)])
    schema = [
        [(4, "bin", "schema"), (5, "i32", 3)],
        [(3, "i32", 1), (4, "bin", "vals"), (5, "i32", 1), (6, "i32", 3)],
        [(1, "i32", 1), (3, "i32", 2), (4, "bin", "array")],
        [(1, "i32", 4), (3, "i32", 2), (4, "bin", "reps")],
        [(1, "i32", 2), (3, "i32", 0), (4, "bin", "req")],
    ]
    group = [(1, "list", ("struct", chunks)), (2, "i64", len(data) - 4), (3, "i64", rows)]
    footer = struct_([(1, "i32", 1), (2, "list", ("struct", schema)), (3, "i64", rows), (4, "list", ("struct", [group]))])
    data += footer + st.pack("<i", len(footer)) + b"PAR1"
    with open(path, "wb") as f:
        f.write(data)
    back = pq.read_table(path)
    got = {"vals": np.stack([np.asarray(v, dtype=np.int32) for v in back["vals"].to_pylist()]),
           "reps": np.stack([np.asarray(v, dtype=np.float32) for v in back["reps"].to_pylist()]),
           "req": back["req"].to_numpy()}
    assert all(np.array_equal(got[k], want) for k, want in [("vals", vals), ("reps", reps), ("req", req)]), got
    return got


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
    for sub, make in [("hdf5", hdf5), ("hdf5-gzip", hdf5_gzip), ("fits", fits_files), ("parquet", parquet_files), ("webdataset", webdataset)]:
        if only and sub not in only:
            continue
        d = os.path.join(out, sub.split("-")[0])
        os.makedirs(d, exist_ok=True)
        make(d)
    print("wrote fixtures under", out)


if __name__ == "__main__":
    main()
