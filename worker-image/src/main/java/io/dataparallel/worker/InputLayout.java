package io.dataparallel.worker;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * How a partition's arrays are laid out in memory before they reach the model. With
 * {@code channelsLast}, every floating-point 4-D array (images, [N, C, H, W]) is stored
 * channels-last (NHWC in memory, still [N, C, H, W] to the model): libtorch's oneDNN
 * convolutions then run in their native layout and pass it on to the batch norms, ReLUs and
 * additions after them, instead of converting at every convolution (issue 13: a quarter
 * faster on the ResNet-like model, half again on the small CNN, same operators otherwise;
 * outputs within 1e-6). Models without convolutions get the same values for the price of one
 * copy of the images per partition. {@code spec.model.channelsLast: false} turns it off.
 *
 * @param channelsLast store 4-D floating-point inputs channels-last
 */
record InputLayout(boolean channelsLast) {
    /** {@code whole} (one partition's array) in this layout: itself, or a channels-last copy. */
    NDArray apply(NDArray whole) {
        Shape s = whole.getShape();
        if (!channelsLast || s.dimension() != 4 || !whole.getDataType().isFloating() || s.get(1) == 1 || s.get(2) * s.get(3) == 1) {
            return whole; // already channels-last in memory: one channel, or one pixel
        }
        // DJL has no memory-format call: the NHWC view flattened per sample is not a view of the
        // NCHW memory, so libtorch copies it into NHWC order; the permute back is a view again
        NDArray nhwc = whole.transpose(0, 2, 3, 1).reshape(s.get(0), -1).reshape(s.get(0), s.get(2), s.get(3), s.get(1));
        return nhwc.transpose(0, 3, 1, 2);
    }
}
