package io.dataparallel.core.sizing;

/**
 * What a {@link Profile} is valid for: a profile measured for one model on one kind of machine
 * says nothing about another, so a profile is reused only when every part matches.
 *
 * @param modelEtag   the model object's ETag (its checksum as the store gives it)
 * @param nodePool    the node pool the profile ran on (locally: {@code local})
 * @param device      {@code cpu} or {@code gpu}
 * @param inputShapes the model inputs' names and per-sample shapes, e.g. {@code images=[5,64,64]}
 * @param machine     the machine kind: CPU model and core count locally, the pool's instance type on a cluster
 */
public record ProfileKey(String modelEtag, String nodePool, String device, String inputShapes, String machine) {
}
