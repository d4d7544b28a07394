package io.dataparallel.core.format;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of the Thrift compact protocol, the encoding of Parquet's footer and page headers.
 * It reads any struct generically into field id → value ({@link Struct}), so fields this reader
 * does not know (newer format versions, statistics, indexes) are skipped by their declared type
 * rather than by guessing.
 */
final class ThriftCompact {
    private static final int STOP = 0, TRUE = 1, FALSE = 2, BYTE = 3, I16 = 4, I32 = 5, I64 = 6, DOUBLE = 7,
            BINARY = 8, LIST = 9, SET = 10, MAP = 11, STRUCT = 12;
    /** Nesting past this is a damaged header, not a schema. */
    private static final int MAX_DEPTH = 64;

    private final ByteBuffer in;

    private ThriftCompact(ByteBuffer in) {
        this.in = in;
    }

    /** Reads one struct from {@code in}, advancing its position past the struct's end. */
    static Struct read(ByteBuffer in) {
        try {
            return new ThriftCompact(in).struct(0);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new PartitionFormatException("has a Parquet footer or page header cut short");
        }
    }

    /** A decoded struct: integers as Long, booleans, doubles, binaries as byte[], lists, structs. */
    record Struct(Map<Integer, Object> fields) {
        boolean has(int id) {
            return fields.containsKey(id);
        }

        long i64(int id, long absent) {
            Object v = fields.get(id);
            return v instanceof Long l ? l : absent;
        }

        int i32(int id, int absent) {
            return (int) i64(id, absent);
        }

        boolean bool(int id, boolean absent) {
            Object v = fields.get(id);
            return v instanceof Boolean b ? b : absent;
        }

        String string(int id) {
            Object v = fields.get(id);
            return v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
        }

        Struct struct(int id) {
            Object v = fields.get(id);
            return v instanceof Struct s ? s : null;
        }

        /** The list of structs at {@code id}, empty when absent. */
        List<Struct> structs(int id) {
            Object v = fields.get(id);
            if (!(v instanceof List<?> l)) {
                return List.of();
            }
            List<Struct> out = new ArrayList<>(l.size());
            for (Object o : l) {
                if (!(o instanceof Struct s)) {
                    throw new PartitionFormatException("has a Parquet footer with a " + o.getClass().getSimpleName()
                            + " where a struct belongs (damaged)");
                }
                out.add(s);
            }
            return out;
        }
    }

    private Struct struct(int depth) {
        if (depth > MAX_DEPTH) {
            throw new PartitionFormatException("has a Parquet footer nested past " + MAX_DEPTH + " levels (damaged)");
        }
        Map<Integer, Object> fields = new HashMap<>();
        int last = 0;
        while (true) {
            int b = in.get() & 0xff;
            int type = b & 0x0f;
            if (type == STOP) {
                return new Struct(fields);
            }
            int delta = b >>> 4;
            int id = delta != 0 ? last + delta : (short) zigzag(varint());
            last = id;
            Object v = type == TRUE ? Boolean.TRUE : type == FALSE ? Boolean.FALSE : value(type, depth);
            fields.put(id, v);
        }
    }

    private Object value(int type, int depth) {
        return switch (type) {
            case TRUE, FALSE -> in.get() == TRUE; // only inside lists: one byte per element
            case BYTE -> (long) in.get();
            case I16, I32, I64 -> zigzag(varint());
            case DOUBLE -> in.order(ByteOrder.LITTLE_ENDIAN).getDouble();
            case BINARY -> {
                long n = varint();
                if (n < 0 || n > in.remaining()) {
                    throw new PartitionFormatException("has a Parquet footer string of " + n + " bytes past its end (damaged)");
                }
                byte[] bytes = new byte[(int) n];
                in.get(bytes);
                yield bytes;
            }
            case LIST, SET -> {
                int h = in.get() & 0xff;
                long n = h >>> 4 == 15 ? varint() : h >>> 4;
                if (n < 0 || n > in.remaining()) {
                    throw new PartitionFormatException("has a Parquet footer list of " + n + " elements past its end (damaged)");
                }
                List<Object> list = new ArrayList<>((int) n);
                for (long i = 0; i < n; i++) {
                    list.add(value(h & 0x0f, depth + 1));
                }
                yield list;
            }
            case MAP -> {
                long n = varint();
                if (n < 0 || n > in.remaining()) {
                    throw new PartitionFormatException("has a Parquet footer map of " + n + " entries past its end (damaged)");
                }
                int kv = n == 0 ? 0 : in.get() & 0xff;
                Map<Object, Object> map = new HashMap<>();
                for (long i = 0; i < n; i++) {
                    map.put(value(kv >>> 4, depth + 1), value(kv & 0x0f, depth + 1));
                }
                yield map;
            }
            case STRUCT -> struct(depth + 1);
            default -> throw new PartitionFormatException("has a Parquet footer with Thrift type " + type + " (damaged)");
        };
    }

    private long varint() {
        return Varint.unsigned(in);
    }

    private static long zigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
