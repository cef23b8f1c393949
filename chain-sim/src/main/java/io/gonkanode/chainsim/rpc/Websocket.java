package io.gonkanode.chainsim.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.chainsim.node.Chain;
import io.gonkanode.chainsim.state.Block;
import io.gonkanode.chainsim.state.ChainState;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /websocket}: JSON-RPC over a websocket, with {@code subscribe} to {@code tm.event='NewBlock'}; every committed
 * block is pushed to every subscriber as CometBFT frames it (reads spec §2.1). Other queries are acknowledged and
 * never fire. Other methods are answered as over HTTP.
 */
@ApplicationScoped
public class Websocket {

    static final String NEW_BLOCK = "tm.event='NewBlock'";
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final RpcRoutes routes;
    private final RpcMethods methods;
    private final Chain chain;
    private final ObjectMapper json = new ObjectMapper();
    /** Connection → the id of its NewBlock subscription. */
    private final Map<ServerWebSocket, JsonNode> subscribers = new ConcurrentHashMap<>();

    public Websocket(RpcRoutes routes, RpcMethods methods, Chain chain) {
        this.routes = routes;
        this.methods = methods;
        this.chain = chain;
        chain.onBlock(this::publish);
    }

    void mount(@Observes Router router) {
        router.route("/websocket").order(-10).handler(ctx -> ctx.request().toWebSocket().onSuccess(this::accept)
                .onFailure(e -> ctx.response().setStatusCode(400).end("websocket upgrade required")));
    }

    private void accept(ServerWebSocket ws) {
        ws.textMessageHandler(text -> onMessage(ws, text));
        ws.closeHandler(v -> subscribers.remove(ws));
        ws.exceptionHandler(e -> subscribers.remove(ws));
    }

    private void onMessage(ServerWebSocket ws, String text) {
        JsonNode r;
        try {
            r = json.readTree(text);
        } catch (Exception e) {
            write(ws, RpcRoutes.error(F.numberNode(-1), RpcError.parse("error unmarshaling request")));
            return;
        }
        String method = r.path("method").asText("");
        JsonNode id = r.has("id") ? r.get("id") : F.numberNode(-1);
        switch (method) {
            case "subscribe" -> {
                JsonNode params = r.path("params");
                String query = params.isArray() ? params.path(0).asText("") : params.path("query").asText("");
                if (query.replace(" ", "").equals(NEW_BLOCK.replace(" ", ""))) {
                    subscribers.put(ws, id);
                }
                write(ws, RpcRoutes.result(id, F.objectNode()));
            }
            case "unsubscribe", "unsubscribe_all" -> {
                subscribers.remove(ws);
                write(ws, RpcRoutes.result(id, F.objectNode()));
            }
            default -> write(ws, routes.handle(r));
        }
    }

    private void publish(Block block) {
        if (subscribers.isEmpty()) {
            return;
        }
        ObjectNode value = chain.state().read(s -> newBlockValue(s, block));
        subscribers.forEach((ws, id) -> {
            ObjectNode result = F.objectNode();
            result.put("query", NEW_BLOCK);
            ObjectNode data = result.putObject("data");
            data.put("type", "tendermint/event/NewBlock");
            data.set("value", value);
            ObjectNode events = result.putObject("events");
            events.putArray("tm.event").add("NewBlock");
            write(ws, RpcRoutes.result(id, result));
        });
    }

    private ObjectNode newBlockValue(ChainState s, Block block) {
        ObjectNode blockJson = methods.block(s, block);
        ObjectNode value = F.objectNode();
        value.set("block", blockJson.get("block"));
        value.set("block_id", blockJson.get("block_id"));
        ObjectNode finalize = value.putObject("result_finalize_block");
        ArrayNode results = finalize.putArray("tx_results");
        block.results().forEach(r -> results.add(CometJson.txResult(r)));
        finalize.putArray("events");
        finalize.put("app_hash", CometJson.b64(block.appHash()));
        return value;
    }

    /** Closes every websocket (the dropped-connection fault). */
    public int dropAll() {
        int n = subscribers.size();
        subscribers.keySet().forEach(ws -> ws.close((short) 1011, "dropped by chain-sim"));
        subscribers.clear();
        return n;
    }

    private void write(ServerWebSocket ws, JsonNode body) {
        try {
            if (!ws.isClosed()) {
                ws.writeTextMessage(json.writeValueAsString(body));
            }
        } catch (Exception e) {
            subscribers.remove(ws);
        }
    }
}
