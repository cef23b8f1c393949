package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A CometBFT 0.38 RPC client (reads spec §1): JSON-RPC 2.0 over HTTP POST to the chain node's one port, int64
 * values as strings, {@code abci_query} with protobuf bodies hex-encoded in and base64 out.
 */
public final class ChainRpc {

    /** The node's view of the chain ({@code status}). */
    public record Status(String network, long latestHeight, Instant latestBlockTime, boolean catchingUp) {
    }

    /** A block's id, time and transactions ({@code block}): the hash as the chain prints it, upper-case hex; the raw txs. */
    public record BlockId(long height, String hash, Instant time, java.util.List<byte[]> txs) {
    }

    /** The chain node answered with an error (a JSON-RPC error, or a query's non-zero code). */
    public static final class ChainError extends IOException {
        private final long code;

        public ChainError(long code, String message) {
            super(message);
            this.code = code;
        }

        public long code() {
            return code;
        }
    }

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI endpoint;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /** Why {@code url} cannot be a chain node's RPC endpoint (not an http(s) URL with a host), or empty when it can. */
    public static java.util.Optional<String> problem(String url) {
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            u = null;
        }
        boolean ok = u != null && u.getScheme() != null && u.getScheme().matches("https?") && u.getHost() != null;
        return ok ? java.util.Optional.empty() : java.util.Optional.of("DAPI_CHAIN_NODE__URL is not a URL: " + url
                + " (expected the chain node's RPC, e.g. http://node:26657)");
    }

    public ChainRpc(String url, HttpClient http) {
        this.endpoint = URI.create(url.endsWith("/") ? url : url + "/");
        this.http = http;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The websocket endpoint on the same port ({@code ws://host:port/websocket}). */
    public URI websocket() {
        String base = endpoint.toString().replaceFirst("^http", "ws");
        return URI.create(base + "websocket");
    }

    public Status status() throws IOException, InterruptedException {
        JsonNode r = call("status", json.createObjectNode());
        JsonNode sync = r.path("sync_info");
        return new Status(r.path("node_info").path("network").asText(), Long.parseLong(sync.path("latest_block_height").asText("0")),
                parseTime(sync.path("latest_block_time").asText()), sync.path("catching_up").asBoolean());
    }

    public BlockId block(long height) throws IOException, InterruptedException {
        JsonNode r = call("block", json.createObjectNode().put("height", Long.toString(height)));
        JsonNode header = r.path("block").path("header");
        String hash = r.path("block_id").path("hash").asText();
        if (!hash.matches("[0-9A-F]{64}")) {
            throw new IOException("block " + height + " has no upper-case hex hash: '" + hash + "'");
        }
        java.util.List<byte[]> txs = new java.util.ArrayList<>();
        for (JsonNode tx : r.path("block").path("data").path("txs")) {
            txs.add(Base64.getDecoder().decode(tx.asText()));
        }
        return new BlockId(Long.parseLong(header.path("height").asText("0")), hash, parseTime(header.path("time").asText()), txs);
    }

    /** An {@code abci_query} answer: the value bytes (empty when none) and, when asked for, the proof ops as the node prints them. */
    public record QueryAnswer(byte[] value, JsonNode proofOps) {
    }

    /** {@code abci_query} of a typed query at the latest height: the response's value bytes (empty when none). */
    public byte[] query(String path, byte[] request) throws IOException, InterruptedException {
        return query(path, request, 0, false).value();
    }

    /** {@code abci_query} at a height (0 = latest), with a proof when {@code prove}. */
    public QueryAnswer query(String path, byte[] request, long height, boolean prove) throws IOException, InterruptedException {
        JsonNode r = call("abci_query", json.createObjectNode().put("path", path).put("data", HexFormat.of().formatHex(request))
                .put("height", Long.toString(height)).put("prove", prove));
        JsonNode response = r.path("response");
        long code = response.path("code").asLong(0);
        if (code != 0) {
            throw new ChainError(code, path + ": " + response.path("log").asText() + " (code " + code + ")");
        }
        String value = response.path("value").asText("");
        JsonNode proof = response.get("proof_ops");
        return new QueryAnswer(value.isEmpty() ? new byte[0] : Base64.getDecoder().decode(value),
                proof == null || proof.isNull() ? null : proof);
    }

    /** A {@code broadcast_tx_sync} answer: CheckTx's code (0 = in the mempool), its log and codespace, the tx hash. */
    public record CheckTx(long code, String log, String codespace, String hash) {
    }

    /** Where and how a tx was included: its block and DeliverTx's code, log and codespace. */
    public record Included(long height, long code, String log, String codespace) {
    }

    /** {@code broadcast_tx_sync} of a signed TxRaw. */
    public CheckTx broadcastTxSync(byte[] txRaw) throws IOException, InterruptedException {
        JsonNode r = call("broadcast_tx_sync", json.createObjectNode().put("tx", Base64.getEncoder().encodeToString(txRaw)));
        return new CheckTx(r.path("code").asLong(), r.path("log").asText(""), r.path("codespace").asText(""), r.path("hash").asText(""));
    }

    /** The {@code tx} RPC by hash (upper-case hex): where it was included, or empty while the node does not know it. */
    public java.util.Optional<Included> tx(String hashHex) throws IOException, InterruptedException {
        JsonNode r;
        try {
            r = call("tx", json.createObjectNode().put("hash", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hashHex)))
                    .put("prove", false));
        } catch (ChainError e) {
            if (e.getMessage() != null && e.getMessage().contains("not found")) {
                return java.util.Optional.empty();
            }
            throw e;
        }
        JsonNode result = r.path("tx_result");
        return java.util.Optional.of(new Included(Long.parseLong(r.path("height").asText("0")), result.path("code").asLong(),
                result.path("log").asText(""), result.path("codespace").asText("")));
    }

    /** The {@code block} RPC's whole {@code block} object at a height, as the node prints it. */
    public JsonNode blockJson(long height) throws IOException, InterruptedException {
        return call("block", json.createObjectNode().put("height", Long.toString(height))).path("block");
    }

    /** The {@code validators} RPC's list at a height, first page at the node's default size (as upstream asks). */
    public JsonNode validators(long height) throws IOException, InterruptedException {
        return call("validators", json.createObjectNode().put("height", Long.toString(height))).path("validators");
    }

    private JsonNode call(String method, ObjectNode params) throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        body.set("params", params);
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.http.HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (method.startsWith("broadcast")) {
                throw e; // a tx is re-sent by its queue, signed afresh, never here
            }
            // a read whose pooled connection the node had just closed: asked once more on a fresh one
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body());
        } catch (IOException e) {
            throw new IOException(method + ": HTTP " + response.statusCode() + ", not JSON-RPC");
        }
        if (answer == null || answer.has("error")) {
            JsonNode error = answer == null ? null : answer.get("error");
            throw new ChainError(error == null ? -1 : error.path("code").asLong(), method + ": "
                    + (error == null ? "HTTP " + response.statusCode() : error.path("message").asText() + " " + error.path("data").asText()));
        }
        return answer.path("result");
    }

    /** RFC 3339 with up to nanoseconds, as CometBFT prints block times. */
    static Instant parseTime(String text) {
        try {
            return text == null || text.isEmpty() ? Instant.EPOCH : Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }
}
