package io.dataparallel.worker;

import io.dataparallel.api.BadInputException;

/**
 * Tells a partition's own failure from a job-wide one, so that a bad partition costs only
 * itself while a bad model or spec fails the rank once, with one message. The rule:
 * <ul>
 * <li>Loading a partition (reading, decoding, a missing array, arrays that disagree, a partition
 *     changed since planning) fails only that partition: the others are other objects.</li>
 * <li>The forward (the model rejecting the data, outputs that do not match
 *     {@code spec.model.outputs}) fails only that partition once this rank has computed one:
 *     the model and spec then demonstrably work. Before that, it fails the partition unless the
 *     previous forward tried failed the same way: two partitions failing alike with none computed
 *     is what every partition would do, so the model or spec is at fault and the rank stops.</li>
 * </ul>
 * A model that cannot load, or a GPU that is missing, fails before any partition and never gets here.
 */
final class FailureRule {
    private boolean computed;
    private String previous;

    /** A partition went through the model. */
    void computed() {
        computed = true;
    }

    /**
     * The reason to record for {@code partition}, whose forward failed with {@code e}; throws a
     * job-wide {@link BadInputException} instead when the failure is the model's or the spec's.
     */
    String forwardFailed(String partition, BadInputException e) {
        // the model's own words, or the message without the partition's name: shapes the data gave may differ
        String alike = e.field() + ": " + (e instanceof ModelRunner.Rejected r ? r.modelError() : e.getMessage().replace(partition, ""));
        if (!computed && alike.equals(previous)) {
            String message = e.getMessage().substring(e.field().length() + 2);
            throw new BadInputException(e.field(), message + " (every partition tried failed alike and none computed,"
                    + " so the model or spec is at fault, not the data)", e);
        }
        previous = alike;
        return e.getMessage();
    }
}
