package io.dataparallel.operator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.List;
import java.util.Map;

/**
 * Help texts for JOSDK's reconcile metrics, which it registers without one: a scrape then shows
 * {@code # HELP name} with nothing after it and {@code promtool check metrics} reports "no help
 * text". Matched by name prefix, as JOSDK appends the controller's name to some of its names.
 */
final class JosdkHelp {
    private static final List<Map.Entry<String, String>> HELP = List.of(
            Map.entry("operator.sdk.reconciliations.executions", "JOSDK: reconciliations executing now"),
            Map.entry("operator.sdk.reconciliations.queue.size", "JOSDK: resources queued for reconciliation"),
            Map.entry("operator.sdk.reconciliations.started", "JOSDK: reconciliations started"),
            Map.entry("operator.sdk.reconciliations.success", "JOSDK: reconciliations that succeeded"),
            Map.entry("operator.sdk.reconciliations.failed", "JOSDK: reconciliations that threw"),
            Map.entry("operator.sdk.reconciliations.retries.last", "JOSDK: reconciliations on their last retry"),
            Map.entry("operator.sdk.reconciliations.retries.number", "JOSDK: reconciliation retries"),
            Map.entry("operator.sdk.controllers.execution", "JOSDK: the reconciler's executions and their duration"),
            Map.entry("operator.sdk.events.received", "JOSDK: events received from the watched resources"),
            Map.entry("operator.sdk.events.delete", "JOSDK: delete events received"),
            Map.entry("operator.sdk.", "JOSDK: the operator framework's own metric"));

    static final MeterFilter FILTER = new MeterFilter() {
        @Override
        public Meter.Id map(Meter.Id id) {
            if (id.getDescription() != null && !id.getDescription().isBlank()) {
                return id;
            }
            return HELP.stream().filter(e -> id.getName().startsWith(e.getKey())).findFirst()
                    .map(e -> new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(),
                            e.getValue(), id.getType()))
                    .orElse(id);
        }
    };

    private JosdkHelp() {
    }
}
