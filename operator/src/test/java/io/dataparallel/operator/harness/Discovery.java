package io.dataparallel.operator.harness;

/** The discovery documents of a small cluster: core/v1, batch/v1, coordination and the InferenceJob group. */
final class Discovery {
    private Discovery() {
    }

    static String document(String path) {
        return switch (path) {
            case "/version" -> """
                    {"major":"1","minor":"32","gitVersion":"v1.32.0","platform":"linux/amd64"}""";
            case "/api" -> """
                    {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""";
            case "/apis" -> """
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[
                    %s,%s,%s,%s]}""".formatted(group("batch", "v1"), group("coordination.k8s.io", "v1"),
                    group("apiextensions.k8s.io", "v1"), group("dataparallel.io", "v1alpha1"));
            case "/api/v1" -> list("v1", resource("namespaces", "Namespace", false, "ns")
                    + "," + resource("configmaps", "ConfigMap", true, "cm")
                    + "," + resource("secrets", "Secret", true, null)
                    + "," + resource("events", "Event", true, "ev")
                    + "," + resource("pods", "Pod", true, "po"));
            case "/apis/batch/v1" -> list("batch/v1", resource("jobs", "Job", true, null)
                    + "," + resource("jobs/status", "Job", true, null));
            case "/apis/coordination.k8s.io/v1" -> list("coordination.k8s.io/v1", resource("leases", "Lease", true, null));
            case "/apis/apiextensions.k8s.io/v1" -> list("apiextensions.k8s.io/v1",
                    resource("customresourcedefinitions", "CustomResourceDefinition", false, "crd"));
            case "/apis/dataparallel.io/v1alpha1" -> list("dataparallel.io/v1alpha1",
                    resource("inferencejobs", "InferenceJob", true, "ij") + "," + resource("inferencejobs/status", "InferenceJob", true, null));
            default -> null;
        };
    }

    private static String group(String name, String version) {
        return """
                {"name":"%s","versions":[{"groupVersion":"%s/%s","version":"%s"}],"preferredVersion":{"groupVersion":"%s/%s","version":"%s"}}"""
                .formatted(name, name, version, version, name, version, version);
    }

    private static String list(String groupVersion, String resources) {
        return """
                {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"%s","resources":[%s]}""".formatted(groupVersion, resources);
    }

    private static String resource(String name, String kind, boolean namespaced, String shortName) {
        String singular = name.contains("/") ? "" : kind.toLowerCase();
        return """
                {"name":"%s","singularName":"%s","namespaced":%s,"kind":"%s","verbs":["create","delete","get","list","patch","update","watch"]%s}"""
                .formatted(name, singular, namespaced, kind, shortName == null ? "" : ",\"shortNames\":[\"" + shortName + "\"]");
    }
}
