package io.gonkanode.collector.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.registry.NodeInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** {@code POST /api/v1/inference/pow/generate} on an ML node, the way upstream's validator asks for a recomputation. */
@ApplicationScoped
public class ValidatorClient {

    /** What a request id may look like; anything else from a node is dropped, never stored. */
    public static final java.util.regex.Pattern REQUEST_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final CollectorConfig config;
    private final Supplier<Optional<String>> chainVersion;

    @Inject
    public ValidatorClient(CollectorConfig config, BlockFollower chain) {
        this(config, () -> chain.facts().map(BlockFollower.ChainFacts::mlnodeVersion));
    }

    ValidatorClient(CollectorConfig config, Supplier<Optional<String>> chainVersion) {
        this.config = config;
        this.chainVersion = chainVersion;
    }

    /** The ML node API's version prefix, as node-registry uses it: the chain's MLNode version, else GONKA_MLNODE_VERSION. */
    String versionPrefix() {
        return chainVersion.get().filter(v -> !v.isBlank())
                .or(() -> config.network().mlnodeVersion().filter(v -> !v.isBlank())).map(v -> "/" + v).orElse("");
    }

    /** The request id the node queued the job under. */
    public String generate(NodeInfo node, JsonNode body) throws Exception {
        String version = versionPrefix();
        String host = node.host().indexOf(':') >= 0 ? "[" + node.host() + "]" : node.host();
        URI uri = URI.create("http://" + host + ":" + node.pocPort() + version + node.pocSegment() + "/api/v1/inference/pow/generate");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .header("User-Agent", "gonka-poc-collector")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            // redirects are never followed: a node is only ever contacted on its own configured address
            String detail = r.body().length() > 200 ? r.body().substring(0, 200) : r.body();
            throw new IllegalStateException(uri + " answered " + r.statusCode() + ": " + detail.replaceAll("\\p{Cntrl}", "?"));
        }
        JsonNode answer = json.readTree(r.body());
        String id = answer == null ? "" : answer.path("request_id").asText("");
        id = id.contains(":") ? id.substring(id.indexOf(':') + 1) : id;
        return REQUEST_ID.matcher(id).matches() ? id : "";
    }
}
