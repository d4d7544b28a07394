package io.dataparallel.api.result;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Prediction quality against {@code spec.data.labels}, over every labelled sample of the job.
 * Classification (integer labels) compares the argmax of the first output's last
 * dimension with the label. Regression (float labels) compares the first output, one
 * value per sample, with residual {@code r = prediction - label} and normalised residual
 * {@code d = r / (1 + |label|)} (the photometric-redshift convention CAI's task uses).
 *
 * @param task            classification or regression
 * @param samples         labelled samples compared
 * @param accuracy        classification: fraction with argmax equal to the label
 * @param mae             regression: mean |r|
 * @param rmse            regression: sqrt(mean r²)
 * @param bias            regression: mean d
 * @param nmad            regression: 1.4826 · median(|d − median(d)|)
 * @param outlierFraction regression: fraction with |d| > 0.15
 * @param nonFinite       regression: labelled samples left out of the figures above because the
 *                        prediction or the label is NaN or infinite (NaN inputs flow through by
 *                        design); a figure with no finite sample at all is null, never NaN
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Quality(
        String task,
        long samples,
        Double accuracy,
        Double mae,
        Double rmse,
        Double bias,
        Double nmad,
        Double outlierFraction,
        Long nonFinite) {

    public static final String CLASSIFICATION = "classification";
    public static final String REGRESSION = "regression";
    /** |d| above this is an outlier. */
    public static final double OUTLIER_THRESHOLD = 0.15;
}
