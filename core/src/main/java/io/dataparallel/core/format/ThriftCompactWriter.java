package io.dataparallel.core.format;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A writer of the Thrift compact protocol, the encoding of Parquet's footer and page headers: the
 * counterpart of {@link ThriftCompact}, with just the types a Parquet writer needs (integers, booleans,
 * strings, lists of structs, integers or strings, and nested structs). Fields are written in the order
 * called; each struct's field ids must rise, as the compact protocol's id deltas assume.
 */
final class ThriftCompactWriter {
    static final int BYTE = 3, I32 = 5, I64 = 6, BINARY = 8, LIST = 9, STRUCT = 12;
    private static final int STOP = 0, TRUE = 1, FALSE = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    /** The last field id of each open struct, innermost first. */
    private final Deque<Integer> lastIds = new ArrayDeque<>();
    private int lastId;

    /** The bytes written so far: a whole struct once every {@link #beginStruct} has its {@link #endStruct}. */
    byte[] toBytes() {
        return out.toByteArray();
    }

    ThriftCompactWriter i32(int id, int v) {
        field(id, I32);
        varint(zigzag(v));
        return this;
    }

    ThriftCompactWriter i64(int id, long v) {
        field(id, I64);
        varint(zigzag(v));
        return this;
    }

    ThriftCompactWriter i8(int id, int v) {
        field(id, BYTE);
        out.write(v);
        return this;
    }

    ThriftCompactWriter bool(int id, boolean v) {
        field(id, v ? TRUE : FALSE); // a boolean field's value is its type nibble
        return this;
    }

    ThriftCompactWriter string(int id, String v) {
        field(id, BINARY);
        binary(v);
        return this;
    }

    /** Opens the struct field {@code id}, or with id 0 a struct that is a list element or the top-level struct. */
    ThriftCompactWriter beginStruct(int id) {
        if (id != 0) {
            field(id, STRUCT);
        }
        lastIds.push(lastId);
        lastId = 0;
        return this;
    }

    ThriftCompactWriter endStruct() {
        out.write(STOP);
        lastId = lastIds.pop();
        return this;
    }

    /** Opens the list field {@code id} of {@code size} elements of {@code type}; write them next (structs with id 0). */
    ThriftCompactWriter list(int id, int type, int size) {
        field(id, LIST);
        if (size < 15) {
            out.write(size << 4 | type);
        } else {
            out.write(0xf0 | type);
            varint(size);
        }
        return this;
    }

    /** A list element of type {@link #I32} (enums). */
    ThriftCompactWriter element(int v) {
        varint(zigzag(v));
        return this;
    }

    /** A list element of type {@link #BINARY}. */
    ThriftCompactWriter element(String v) {
        binary(v);
        return this;
    }

    private void field(int id, int type) {
        int delta = id - lastId;
        if (delta <= 0) {
            throw new IllegalStateException("Thrift field " + id + " written after field " + lastId);
        }
        if (delta <= 15) {
            out.write(delta << 4 | type);
        } else {
            out.write(type);
            varint(zigzag(id));
        }
        lastId = id;
    }

    private void binary(String v) {
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        out.write(b, 0, b.length);
    }

    private void varint(long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) (v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }
}
