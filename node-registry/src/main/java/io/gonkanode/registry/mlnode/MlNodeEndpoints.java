package io.gonkanode.registry.mlnode;

import io.gonkanode.registry.node.HostNames;

/**
 * Where an ML node answers: {@code http://{host}:{poc_port}[/{version}]{poc_segment}} for management and the
 * same with the inference port and segment for inference (upstream §4.1). Only ever the node's own host
 * and ports.
 */
public record MlNodeEndpoints(String management, String inference) {

    public static MlNodeEndpoints of(String host, int pocPort, String pocSegment, int inferencePort,
                                     String inferenceSegment, String version) {
        String prefix = version == null || version.isBlank() ? "" : "/" + version.strip().replaceAll("^/+|/+$", "");
        String h = HostNames.forUrl(host);
        return new MlNodeEndpoints(trim("http://" + h + ":" + pocPort + prefix + pocSegment),
                trim("http://" + h + ":" + inferencePort + prefix + inferenceSegment));
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
