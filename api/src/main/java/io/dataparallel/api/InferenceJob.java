package io.dataparallel.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.dataparallel.api.spec.InferenceJobSpec;
import io.dataparallel.api.status.InferenceJobStatus;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The custom resource: {@code kubectl apply} one to run a model over every partition under
 * an S3 prefix with data-parallel workers; {@code kubectl get ij} shows its progress.
 */
@Group(InferenceJob.GROUP)
@Version(InferenceJob.VERSION)
@Kind("InferenceJob")
@Plural("inferencejobs")
@Singular("inferencejob")
@ShortNames("ij")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".status.workers", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Samples/s", jsonPath = ".status.metrics.samplesPerSecond", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// kubectl get ij -o wide: what a sized job was asked for, predicted and billed
@AdditionalPrinterColumn(name = "Deadline", jsonPath = ".spec.deadline", type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Predicted-s", jsonPath = ".status.sizing.chosen.predictedSeconds",
        type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
@AdditionalPrinterColumn(name = "Cost", jsonPath = ".status.metrics.cost.billed", type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
public class InferenceJob extends CustomResource<InferenceJobSpec, InferenceJobStatus> implements Namespaced {
    public static final String GROUP = "dataparallel.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /**
     * Set to {@code "true"} to recompute every partition: the earlier predictions under
     * {@code spec.output.uri} are deleted when the job is planned, instead of the job being
     * refused because they were computed by another model, other inputs or outputs, or other
     * partition bytes.
     */
    public static final String RESTART_ANNOTATION = GROUP + "/restart";

    // overridden only to carry the CRD's descriptions of spec and status (the generator reads the getters' annotations)
    @Override
    @JsonPropertyDescription("What the job asks for: the model, the input partitions, the output prefix, and how many"
            + " workers of what size run it (or a deadline or budget to choose them by).")
    public InferenceJobSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("Written by the operator: where the job is (phase, conditions), how far it got (progress),"
            + " its child objects, and once summarized its metrics, failed partitions and cost.")
    public InferenceJobStatus getStatus() {
        return super.getStatus();
    }
}
