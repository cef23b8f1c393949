package io.gonkanode.chainsim.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.chainsim.module.EpochModule;
import io.gonkanode.chainsim.node.Chain;
import io.gonkanode.chainsim.node.Faults;
import io.gonkanode.chainsim.node.TxLog;
import io.gonkanode.chainsim.peer.PeerNetwork;
import io.gonkanode.chainsim.proto.inference.PartialUpgrade;
import io.gonkanode.chainsim.rpc.Websocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;

/**
 * chain-sim's own routes under {@code /sim/v1} (like mlnode-sim's): faults (paused blocks, catching up, slow
 * blocks, refused transactions, dropped websockets), blocks on demand, a confirmation PoC, a partial upgrade of the
 * MLNode version, what was recorded (every transaction with its height, messages and verdict), and the simulated
 * peers (their commitments, the votes they gave, the transactions they sent, and the work under way).
 */
@ApplicationScoped
public class SimRoutes {

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Chain chain;
    private final Faults faults;
    private final TxLog txLog;
    private final Websocket websocket;
    private final PeerNetwork peers;
    private final ObjectMapper json = new ObjectMapper();

    public SimRoutes(Chain chain, Faults faults, TxLog txLog, Websocket websocket, PeerNetwork peers) {
        this.peers = peers;
        this.chain = chain;
        this.faults = faults;
        this.txLog = txLog;
        this.websocket = websocket;
    }

    void mount(@Observes Router router) {
        router.route("/sim/v1/*").order(-20).handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
        router.get("/sim/v1/faults").order(-19).handler(ctx -> send(ctx, 200, faultsJson()));
        router.put("/sim/v1/faults").order(-19).handler(this::setFaults);
        router.post("/sim/v1/blocks").order(-19).handler(this::produce);
        router.post("/sim/v1/websocket/drop").order(-19).handler(ctx -> send(ctx, 200, F.objectNode().put("dropped", websocket.dropAll())));
        router.post("/sim/v1/confirmation-poc").order(-19).handler(this::confirmationPoc);
        router.post("/sim/v1/upgrades").order(-19).handler(this::upgrade);
        router.post("/sim/v1/upgrade-plan").order(-19).handler(this::plan);
        router.delete("/sim/v1/upgrade-plan").order(-19).handler(ctx -> {
            chain.state().write(s -> s.upgradePlan(null));
            send(ctx, 200, F.objectNode().put("cleared", true));
        });
        router.put("/sim/v1/preserved-nodes").order(-19).handler(this::preserve);
        router.delete("/sim/v1/preserved-nodes").order(-19).handler(ctx -> {
            chain.state().write(s -> s.inference().preservedNodes = null);
            send(ctx, 200, F.objectNode().put("cleared", true));
        });
        router.get("/sim/v1/txs").order(-19).handler(this::txs);
        router.get("/sim/v1/peers").order(-19).handler(ctx -> send(ctx, 200, peers.status()));
        router.get("/sim/v1/state").order(-19).handler(ctx -> send(ctx, 200, state()));
    }

    private ObjectNode faultsJson() {
        ObjectNode o = F.objectNode();
        o.put("paused", faults.paused());
        o.put("catching_up", faults.catchingUp());
        o.put("extra_block_delay_ms", faults.extraBlockDelay().toMillis());
        o.put("reject_next", faults.rejectionsLeft());
        return o;
    }

    /** {@code {"paused", "catching_up", "extra_block_delay_ms", "reject_next": {"count", "code", "codespace", "log"}}}; absent keys keep their value. */
    private void setFaults(RoutingContext ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        if (body.has("paused")) {
            faults.paused(body.get("paused").asBoolean());
        }
        if (body.has("catching_up")) {
            faults.catchingUp(body.get("catching_up").asBoolean());
        }
        if (body.has("extra_block_delay_ms")) {
            long ms = body.get("extra_block_delay_ms").asLong(-1);
            if (ms < 0 || ms > 600_000) {
                send(ctx, 400, error("extra_block_delay_ms must be 0 to 600000"));
                return;
            }
            faults.extraBlockDelay(Duration.ofMillis(ms));
        }
        JsonNode reject = body.path("reject_next");
        if (reject.isObject()) {
            int count = reject.path("count").asInt(-1);
            if (count < 0) {
                send(ctx, 400, error("reject_next.count must be 0 or more"));
                return;
            }
            faults.rejectNext(count, new Faults.Rejection(reject.path("code").asInt(20), reject.path("codespace").asText("sdk"),
                    reject.path("log").asText("mempool is full")));
        }
        send(ctx, 200, faultsJson());
    }

    /** {@code POST /sim/v1/blocks?n=3}: makes n blocks now (useful while paused). */
    private void produce(RoutingContext ctx) {
        int n;
        try {
            n = Integer.parseInt(ctx.queryParams().get("n") == null ? "1" : ctx.queryParams().get("n"));
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 10_000) {
            send(ctx, 400, error("n must be 1 to 10000"));
            return;
        }
        int count = n;
        ctx.vertx().executeBlocking(() -> {
            long last = 0;
            for (int i = 0; i < count; i++) {
                last = chain.produceBlock().height();
            }
            return last;
        }, true).onSuccess(h -> send(ctx, 200, F.objectNode().put("height", h)))
                .onFailure(e -> send(ctx, e instanceof IllegalStateException ? 409 : 500, error(e.getMessage())));
    }

    /** Triggers a confirmation PoC at the next block: {@code {"sequence": n}} optional. */
    private void confirmationPoc(RoutingContext ctx) {
        ObjectNode out = F.objectNode();
        chain.state().write(s -> {
            long trigger = s.latestHeight() + 1;
            EpochModule.triggerConfirmationPoc(s.inference(), trigger, trigger);
            out.put("trigger_height", trigger);
            out.put("generation_start_height", s.inference().confirmationPoc.getGenerationStartHeight());
        });
        send(ctx, 200, out);
    }

    /** Schedules a partial upgrade: {@code {"height": h, "node_version": "v3.0.12"}}. */
    private void upgrade(RoutingContext ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        long height = body.path("height").asLong(-1);
        String version = body.path("node_version").asText("");
        if (height < 1 || version.isBlank() || version.length() > 64) {
            send(ctx, 400, error("height (a future block) and node_version (1 to 64 characters) are required"));
            return;
        }
        boolean[] late = new boolean[1];
        chain.state().write(s -> {
            late[0] = height <= s.latestHeight();
            if (!late[0]) {
                s.inference().partialUpgrades.add(PartialUpgrade.newBuilder().setHeight(height).setNodeVersion(version)
                        .setName("sim-" + version).build());
            }
        });
        send(ctx, late[0] ? 400 : 200, late[0] ? error("height " + height + " has passed") : F.objectNode().put("height", height));
    }

    /**
     * The preserved-nodes snapshot: {@code {"episode_anchor_height": N, "models": {"<model>": {"<participant>": ["<node id>", ...]}}}}
     * (upstream computes it from its own schedule; here a test says which nodes keep serving inference during PoC).
     */
    private void preserve(RoutingContext ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        JsonNode models = body.path("models");
        if (!models.isObject()) {
            send(ctx, 400, error("models must be an object {\"<model>\": {\"<participant>\": [\"<node id>\", ...]}}"));
            return;
        }
        var snapshot = io.gonkanode.chainsim.proto.inference.PreservedNodesSnapshot.newBuilder()
                .setEpisodeAnchorHeight(body.path("episode_anchor_height").asLong(0));
        for (var m = models.fields(); m.hasNext(); ) {
            var model = m.next();
            var entry = io.gonkanode.chainsim.proto.inference.ModelPreservedNodes.newBuilder().setModelId(model.getKey());
            for (var p = model.getValue().fields(); p.hasNext(); ) {
                var participant = p.next();
                var nodes = io.gonkanode.chainsim.proto.inference.ParticipantPreservedNodes.newBuilder().setParticipantId(participant.getKey());
                participant.getValue().forEach(n -> nodes.addNodeIds(n.asText()));
                entry.addParticipants(nodes);
            }
            snapshot.addModelPreservedNodes(entry);
        }
        chain.state().write(s -> s.inference().preservedNodes = snapshot.build());
        send(ctx, 200, F.objectNode().put("models", snapshot.getModelPreservedNodesCount()));
    }

    /** A full upgrade: {@code {"name", "height", "info"}}; the chain halts at that height until the plan is cleared. */
    private void plan(RoutingContext ctx) {
        JsonNode body = body(ctx);
        if (body == null) {
            return;
        }
        long height = body.path("height").asLong(-1);
        String name = body.path("name").asText("");
        if (name.isBlank() || name.length() > 140) {
            send(ctx, 400, error("name is required (1 to 140 characters)"));
            return;
        }
        boolean[] late = {false};
        chain.state().write(s -> {
            late[0] = height <= s.latestHeight();
            if (!late[0]) {
                s.upgradePlan(io.gonkanode.chainsim.proto.cosmos.Plan.newBuilder().setName(name).setHeight(height)
                        .setInfo(body.path("info").asText("")).build());
            }
        });
        send(ctx, late[0] ? 400 : 200, late[0] ? error("height must be a future block") : F.objectNode().put("height", height));
    }

    /** {@code GET /sim/v1/txs?since=height}: every recorded tx (those refused at CheckTx have height 0). */
    private void txs(RoutingContext ctx) {
        long since;
        try {
            since = Long.parseLong(ctx.queryParams().get("since") == null ? "0" : ctx.queryParams().get("since"));
        } catch (NumberFormatException e) {
            send(ctx, 400, error("since must be a block height"));
            return;
        }
        ArrayNode out = F.arrayNode();
        for (TxLog.Entry e : txLog.since(since)) {
            ObjectNode o = out.addObject();
            o.put("hash", e.hash());
            o.put("height", e.height());
            o.put("code", e.code());
            o.put("codespace", e.codespace());
            o.put("log", e.log());
            o.put("signer", e.signer());
            ArrayNode messages = o.putArray("messages");
            for (String m : e.messagesJson()) {
                try {
                    messages.add(json.readTree(m));
                } catch (Exception ex) {
                    messages.add(m);
                }
            }
        }
        send(ctx, 200, out);
    }

    private ObjectNode state() {
        return chain.state().read(s -> {
            ObjectNode o = F.objectNode();
            o.put("height", s.latestHeight());
            o.put("effective_epoch", s.inference().effectiveEpoch);
            o.put("latest_epoch", s.inference().latestEpoch());
            o.put("latest_poc_start", s.inference().pocStartOf(s.inference().latestEpoch()));
            o.put("phase", EpochModule.latest(s.inference()).phaseAt(s.latestHeight()).name());
            o.put("mlnode_version", s.inference().mlnodeVersion);
            ObjectNode participants = o.putObject("participants");
            s.inference().participants.forEach((a, p) -> participants.put(a, p.inferenceUrl()));
            return o;
        });
    }

    private JsonNode body(RoutingContext ctx) {
        try {
            JsonNode b = ctx.body().buffer() == null ? null : json.readTree(ctx.body().buffer().getBytes());
            if (b != null && b.isObject()) {
                return b;
            }
        } catch (Exception e) {
            // answered below
        }
        send(ctx, 400, error("the body must be a JSON object"));
        return null;
    }

    private static ObjectNode error(String message) {
        return F.objectNode().put("error", message);
    }

    private void send(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
    }
}
