package io.dataparallel.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API server's audit log (every request a service account made, at Metadata level), read
 * once: what the operator created, and which pod of it sent each request. A duplicate Job
 * that was created and later removed shows here even when the cluster no longer has it.
 */
final class AuditLog {
    static final String OPERATOR = RbacAuditE2eTest.OPERATOR;
    private static final String POD_NAME = "authentication.kubernetes.io/pod-name";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One completed request: who (service account and pod), what, where, and the answer's status code. */
    record Request(Instant received, String user, String pod, String verb, String resource, String subresource, String namespace,
                   String name, int code) {
        boolean succeeded() {
            return code >= 200 && code < 300;
        }

        /** A request that changes the cluster (as opposed to get, list, watch). */
        boolean writes() {
            return Set.of("create", "update", "patch", "delete", "deletecollection").contains(verb);
        }
    }

    private final List<Request> requests;

    private AuditLog(List<Request> requests) {
        this.requests = requests;
    }

    /** The log as the API server has written it so far. */
    static AuditLog read() {
        List<Request> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(E2e.cluster().auditLog())) {
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.contains("\"ResponseComplete\"")) {
                    continue;
                }
                JsonNode e;
                try {
                    e = JSON.readTree(line);
                } catch (IOException partial) {
                    continue; // the line the API server is writing right now
                }
                JsonNode ref = e.path("objectRef");
                JsonNode pod = e.path("user").path("extra").path(POD_NAME);
                out.add(new Request(Instant.parse(e.path("requestReceivedTimestamp").asText("1970-01-01T00:00:00Z")),
                        e.path("user").path("username").asText(), pod.isArray() && !pod.isEmpty() ? pod.get(0).asText() : "",
                        e.path("verb").asText(), ref.path("resource").asText(), ref.path("subresource").asText(),
                        ref.path("namespace").asText(), ref.path("name").asText(), e.path("responseStatus").path("code").asInt()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AuditLog(out);
    }

    List<Request> requests() {
        return requests;
    }

    /**
     * Jobs the API server created in {@code namespace} under one of {@code names}, at or after {@code since}: its 2xx
     * answers to creates, and for a name with none, one when a create of it timed out on the server (504: etcd may have
     * written it, and a busy API server did answer so in a burst of 200 jobs) and a Job of that name is in
     * {@code present} now. A Job created, deleted and created again still counts twice.
     */
    int jobCreates(String namespace, Set<String> names, Instant since, Set<String> present) {
        int created = 0;
        for (String name : names) {
            List<Request> creates = requests.stream().filter(q -> q.verb().equals("create") && q.resource().equals("jobs")
                    && q.namespace().equals(namespace) && q.name().equals(name) && !q.received().isBefore(since)).toList();
            long ok = creates.stream().filter(Request::succeeded).count();
            boolean timedOut = creates.stream().anyMatch(q -> q.code() == 504);
            created += ok > 0 ? (int) ok : timedOut && present.contains(name) ? 1 : 0;
        }
        return created;
    }

    /** The requests that change something, sent by the operator pod {@code pod}. */
    List<Request> writesBy(String pod) {
        return requests.stream().filter(q -> q.user().equals(OPERATOR) && q.pod().equals(pod) && q.writes()).toList();
    }
}
