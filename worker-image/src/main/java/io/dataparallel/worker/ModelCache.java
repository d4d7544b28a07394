package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;
import io.dataparallel.api.plan.Plan;
import io.dataparallel.api.spec.Device;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.spec.ModelSpec;
import io.dataparallel.api.spec.S3Uri;
import io.dataparallel.core.s3.ObjectStore;
import io.dataparallel.core.s3.StoredObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model a worker process computes with. A pod runs one rank, so its model is closed when
 * the rank ends ({@link #forOneRank()}); a slot process runs rank after rank of the same plan
 * and keeps the model loaded between them ({@link #forSlot()}), keyed by the model object
 * (URI and ETag) and how it is called. Every rank still checks, with a HEAD, that the object is
 * the one the plan was made with, so a model changed mid-job is refused as in a pod; only the
 * download and the load are saved. Not thread-safe: one rank at a time.
 */
final class ModelCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    /** What a loaded model stands for: the same key computes the same predictions. */
    private record Key(String uri, String etag, ModelSpec spec, boolean gpu) {
    }

    private final boolean keep;
    private Key key;
    private ModelRunner loaded;

    private ModelCache(boolean keep) {
        this.keep = keep;
    }

    /** A pod's: the model is closed when its rank ends. */
    static ModelCache forOneRank() {
        return new ModelCache(false);
    }

    /** A slot's: the model stays loaded for the next rank until {@link #close()}. */
    static ModelCache forSlot() {
        return new ModelCache(true);
    }

    /** The model of one rank; closing the lease closes the model unless this cache keeps it. */
    final class Lease implements AutoCloseable {
        private final ModelRunner model;

        private Lease(ModelRunner model) {
            this.model = model;
        }

        ModelRunner model() {
            return model;
        }

        @Override
        public void close() {
            if (!keep) {
                ModelCache.this.close();
            }
        }
    }

    /**
     * The plan's model, loaded here or kept from the rank before: a {@link BadInputException}
     * when the object is missing, is not TorchScript or is not the one the plan was made with.
     *
     * @param tempDir where the model is downloaded to (deleted once loaded)
     * @param rank    names the download, so ranks of one pod or slot never share a file
     */
    Lease lease(Plan plan, ObjectStore store, Path tempDir, int rank) {
        InferenceJobSpec spec = plan.spec();
        S3Uri uri = S3Uri.parse("spec.model.uri", spec.model().uri());
        boolean gpu = spec.deviceOrDefault() == Device.gpu;
        if (loaded != null) {
            String etag = store.head(uri, "spec.model.uri").map(StoredObject::etag).orElseThrow(() ->
                    BadInputException.missing("spec.model.uri", uri));
            verify(plan, uri, etag);
            if (key.equals(new Key(uri.toString(), etag, spec.model(), gpu))) {
                LOG.info("model {} (etag {}) still loaded from this process's previous rank", uri, etag);
                return new Lease(loaded);
            }
            close(); // another model: one loaded at a time is all a slot needs
        }
        Path file = tempDir.resolve("model-" + rank + "-" + ProcessHandle.current().pid() + ".pt");
        try {
            String etag = store.download(uri, file, "spec.model.uri");
            verify(plan, uri, etag);
            loaded = ModelRunner.load(file, spec.model(), gpu, uri.toString());
            key = new Key(uri.toString(), etag, spec.model(), gpu);
            LOG.info("model {} (etag {}) loaded", uri, etag);
            return new Lease(loaded);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // temp folder goes with the pod
            }
        }
    }

    /** Predictions record the planned model: computing with another would mislabel them. */
    private static void verify(Plan plan, S3Uri uri, String etag) {
        if (plan.model() != null && !plan.model().etag().equals(etag)) {
            throw new BadInputException("spec.model.uri", uri + " changed since the job was planned (etag "
                    + plan.model().etag() + " -> " + etag + "): the model must not change while a job runs; run the job"
                    + " again to plan it with the new model");
        }
    }

    @Override
    public void close() {
        if (loaded != null) {
            loaded.close();
            loaded = null;
            key = null;
        }
    }
}
