package io.dataparallel.core.s3;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mapping of a downloaded object's file, which was unlinked as soon as it was mapped. The
 * file's disk blocks stay allocated for as long as the mapping exists, and a mapping the JVM
 * leaves to the garbage collector can outlive its partition by many partitions: the worker's
 * {@code TMPDIR} (an emptyDir sized from the largest partition) would fill and the pod be
 * evicted. So whoever holds the partition closes its mapping once nothing reads its bytes, and
 * the blocks go at once.
 *
 * <p>Closing unmaps: any view of the buffer read afterwards would crash the process, so {@link #close}
 * is called only once every array decoded from the file, and every tensor made from those, is done
 * with (the worker does so after the partition's prediction is written).
 */
public final class FileMapping implements AutoCloseable {
    /** What a buffer read into memory holds: nothing to unmap; its memory goes with the buffer. */
    public static final FileMapping NONE = new FileMapping(null);

    private static final Unmapper UNMAPPER = Unmapper.find();

    private final ByteBuffer mapped;
    private final AtomicBoolean closed = new AtomicBoolean();

    FileMapping(ByteBuffer mapped) {
        this.mapped = mapped;
    }

    /** Unmaps the file (once; later calls do nothing). Where the JDK offers no way to, the collector does it later. */
    @Override
    public void close() {
        if (mapped != null && closed.compareAndSet(false, true)) {
            UNMAPPER.unmap(mapped);
        }
    }

    /** Whether {@link #close} unmapped it (false for {@link #NONE}, or before close). */
    public boolean released() {
        return mapped != null && closed.get() && UNMAPPER.works();
    }

    /**
     * {@code sun.misc.Unsafe.invokeCleaner}, the JDK's one way to unmap a buffer before it is collected
     * (module jdk.unsupported, there in every JDK since 9; the route Lucene and Netty take).
     */
    private record Unmapper(Object unsafe, Method invokeCleaner) {
        static Unmapper find() {
            try {
                Class<?> type = Class.forName("sun.misc.Unsafe");
                java.lang.reflect.Field field = type.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                return new Unmapper(field.get(null), type.getMethod("invokeCleaner", ByteBuffer.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new Unmapper(null, null);
            }
        }

        boolean works() {
            return invokeCleaner != null;
        }

        void unmap(ByteBuffer buffer) {
            if (invokeCleaner == null) {
                return;
            }
            try {
                invokeCleaner.invoke(unsafe, buffer);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // left to the collector, as without this class
            }
        }
    }
}
