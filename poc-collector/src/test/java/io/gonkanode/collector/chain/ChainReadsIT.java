package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.local.Database;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.testing.Sims;
import io.gonkanode.testing.StubRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The public read API from the chain: the packaged collector in front of a chain-sim whose two peers run epoch 1's
 * PoC round (blocks made one at a time, each after the peers' work on the last). The participants record is the
 * one chain-sim wrote, byte for byte, with the block after it, the validators and upstream's JSON forms; epoch 0
 * and an epoch without a record answer upstream's errors; the models are the chain's. The collector runs as the
 * first peer's host, so the view it sends node-registry carries that peer's nodes' epoch assignment, and its
 * preserved node once the chain lists one.
 */
class ChainReadsIT {

    static final String QWEN = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void participantsAndModelsAreTheChains() throws Exception {
        try (Database db = Database.forTests(); StubRegistry registry = new StubRegistry();
             ServiceProcess chain = ServiceProcess.builder("chain-sim", Sims.packaged("chain-sim")).port(ServiceProcess.freePort())
                     .readinessPath("/health").env("SIM_CHAIN_PRODUCE_BLOCKS", "false").env("SIM_CHAIN_PEERS", "2")
                     .env("SIM_CHAIN_PEER_ARTIFACTS", "500").build().start(Duration.ofSeconds(60))) {
            while (height(chain) < 5) { // a chain with blocks: the collector is ready once it follows one
                step(chain);
            }
            // the collector plays the first peer's host, so that the chain's epoch assignment names its nodes
            JsonNode peer = json.readTree(get(chain.url() + "/sim/v1/peers").body()).path("peers").get(0);
            try (ServiceProcess collector = ServiceProcess.builder("poc-collector", Path.of("target", "quarkus-app", "quarkus-run.jar"))
                    .port(ServiceProcess.freePort()).env(db.environment()).env("NODE_REGISTRY_URL", registry.url())
                    .env("ACCOUNT_PUBKEY", peer.path("account_pubkey").asText()).env("DAPI_CHAIN_NODE__URL", chain.url())
                    .env("GONKA_CHAIN_STALE_AFTER", "1h").build().start(Duration.ofSeconds(60))) {
                readsTheChain(chain, collector);
                tellsTheRegistryTheChainsView(chain, collector, registry, peer);
                confirmationPocIsARoundOfItsOwn(chain, collector, registry, peer, db);
            }
        }
    }

    void readsTheChain(ServiceProcess chain, ServiceProcess collector) throws Exception {
        String api = collector.url();
        // before any epoch is in force, "current" is epoch 0: upstream's 400
        HttpResponse<String> early = get(api + "/v1/epochs/current/participants");
        assertEquals(400, early.statusCode(), early.body());
        assertTrue(early.body().contains("Epoch enumeration starts with 1"), early.body());
        // and no epoch group yet: no model is served (an empty list, not an error)
        HttpResponse<String> noModels = get(api + "/v1/models");
        assertEquals(200, noModels.statusCode(), noModels.body());
        assertEquals("{\"object\":\"list\",\"data\":[]}", noModels.body());

        // the chain's governance models, in the chain's fields and Go's JSON forms
        JsonNode governance = json.readTree(get(api + "/v1/governance/models").body());
        JsonNode qwen = governance.path("models").get(0);
        assertEquals("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", qwen.path("id").asText(), governance.toString());
        assertEquals("--max-model-len", qwen.path("model_args").get(0).asText());
        assertTrue(qwen.path("units_of_compute_per_token").isNumber(), "uint64 as a JSON number: " + qwen);
        assertFalse(qwen.has("v_ram") && qwen.path("v_ram").asLong() == 0, "zero values are omitted: " + qwen);

        // epoch 1's round, through validation end (73), where the chain writes the record: readable at once, before the
        // block whose header commits it exists; upstream answers it then with "block": null, not an error
        while (height(chain) < 73) {
            step(chain);
        }
        HttpResponse<String> first = get(api + "/v1/epochs/1/participants");
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(json.readTree(first.body()).path("block").isNull(), "no block 74 yet: " + first.body());
        while (height(chain) < 80) {
            step(chain);
        }
        byte[] key = HexFormat.of().parseHex("4163746976655061727469636970616e74732f76616c75652f" + "0000000000000001" + "2f");
        JsonNode raw = json.readTree(get(chain.url() + "/abci_query?path=%22store/inference/key%22&data=0x"
                + HexFormat.of().formatHex(key)).body()).path("result").path("response");
        byte[] written = Base64.getDecoder().decode(raw.path("value").asText());

        HttpResponse<String> current = get(api + "/v1/epochs/current/participants");
        assertEquals(200, current.statusCode(), current.body());
        JsonNode body = json.readTree(current.body());
        assertEquals(HexFormat.of().formatHex(written), body.path("active_participants_bytes").asText(), "the record chain-sim wrote");
        assertEquals(body, json.readTree(get(api + "/v1/epochs/1/participants").body()), "current is epoch 1");

        JsonNode active = body.path("active_participants");
        assertEquals(1, active.path("epoch_id").asLong());
        assertEquals(20, active.path("poc_start_block_height").asLong());
        long created = active.path("created_at_block_height").asLong();
        assertEquals(73, created);
        List<String> peers = new ArrayList<>();
        json.readTree(get(chain.url() + "/sim/v1/peers").body()).path("peers").forEach(p -> peers.add(p.path("account").asText()));
        List<String> indexes = new ArrayList<>();
        active.path("participants").forEach(p -> indexes.add(p.path("index").asText()));
        assertEquals(peers.stream().sorted().toList(), indexes.stream().sorted().toList(), "both peers, nobody else");
        for (int i = 0; i < active.path("participants").size(); i++) {
            JsonNode p = active.path("participants").get(i);
            assertTrue(p.path("weight").isNumber() && p.path("weight").asLong() > 0, p.toString());
            assertEquals(List.of("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8"), List.of(p.path("models").get(0).asText()));
            assertEquals(p.path("weight").asLong(), p.path("ml_nodes").get(0).path("ml_nodes").findValues("poc_weight").stream()
                    .mapToLong(JsonNode::asLong).sum(), "the nodes' weights add up");
            assertEquals(1, p.path("seed").path("epoch_index").asLong());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(p.path("validator_key").asText()));
            assertEquals(HexFormat.of().withUpperCase().formatHex(digest, 0, 20), body.path("addresses").get(i).asText());
        }
        // the block after the record, as Go prints it: numbers, upper-case hashes, the app hash the chain printed
        JsonNode block = body.path("block").path("header");
        JsonNode chainsBlock = json.readTree(get(chain.url() + "/block?height=" + (created + 1)).body()).path("result").path("block");
        assertTrue(block.path("height").isNumber());
        assertEquals(created + 1, block.path("height").asLong());
        assertEquals(chainsBlock.path("header").path("app_hash").asText(), block.path("app_hash").asText());
        assertEquals(chainsBlock.path("header").path("chain_id").asText(), block.path("chain_id").asText());
        assertTrue(body.path("validators").size() >= 2, body.path("validators").toString());
        JsonNode validator = body.path("validators").get(0);
        assertTrue(validator.path("voting_power").isNumber() && validator.path("pub_key").isTextual(), validator.toString());
        assertEquals("ics23:iavl", body.path("proof_ops").path("ops").get(0).path("type").asText());
        assertEquals("ics23:simple", body.path("proof_ops").path("ops").get(1).path("type").asText());
        assertTrue(body.path("excluded_participants").isArray());

        // errors as upstream
        HttpResponse<String> zero = get(api + "/v1/epochs/0/participants");
        assertEquals(400, zero.statusCode());
        assertTrue(zero.body().contains("Epoch enumeration starts with 1"));
        HttpResponse<String> none = get(api + "/v1/epochs/7/participants");
        assertEquals(404, none.statusCode());
        assertTrue(none.body().contains("No active participants found for the specified epoch. Looks like PoC failed!"));
        assertEquals(400, get(api + "/v1/epochs/x/participants").statusCode());

        // the current epoch's models: each sub-group's model snapshot
        JsonNode models = json.readTree(get(api + "/v1/models").body());
        assertEquals("list", models.path("object").asText());
        assertEquals("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", models.path("data").get(0).path("id").asText(), models.toString());
        assertEquals("[\"text\"]", models.path("data").get(0).path("input_modalities").toString());
    }

    /** The governance models, the peer's nodes' epoch assignment and its preserved nodes reach the registry. */
    void tellsTheRegistryTheChainsView(ServiceProcess chain, ServiceProcess collector, StubRegistry registry, JsonNode peer)
            throws Exception {
        String name = peer.path("name").asText();
        String address = peer.path("account").asText();
        long weight = 0;
        for (JsonNode p : json.readTree(get(collector.url() + "/v1/epochs/1/participants").body())
                .path("active_participants").path("participants")) {
            weight = p.path("index").asText().equals(address) ? p.path("weight").asLong() : weight;
        }
        JsonNode view = awaitView(registry, v -> v.path("epoch").asLong() == 1 && v.path("epoch_models").size() > 0);
        assertEquals(List.of(QWEN), fieldNames(view.path("governance_models")));
        assertEquals(QWEN, view.path("epoch_models").path(name + "-node-1").path(QWEN).path("id").asText(), view.toString());
        assertEquals(List.of(name + "-node-1", name + "-node-2"), fieldNames(view.path("epoch_ml_nodes")));
        long weights = 0;
        for (JsonNode byModel : view.path("epoch_ml_nodes")) {
            weights += byModel.path(QWEN).path("poc_weight").asLong();
        }
        assertEquals(weight, weights, "the peer's nodes carry its weight: " + view);
        assertTrue(view.path("preserved_nodes").isEmpty(), view.toString());

        // the chain preserves one of the peer's nodes: the next block's view says so
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/preserved-nodes"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"episode_anchor_height\": 80, \"models\": {\"" + QWEN + "\": {\""
                        + address + "\": [\"" + name + "-node-1\"]}}}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        step(chain);
        JsonNode preserved = awaitView(registry, v -> v.path("preserved_nodes").size() > 0);
        assertEquals("{\"" + name + "-node-1\":[\"" + QWEN + "\"]}", preserved.path("preserved_nodes").toString());
    }

    /**
     * A confirmation PoC during epoch 1's inference (the collector's host, the first peer, is a member): announced with
     * the event's trigger height and its lower-case seed unchanged, a batch for it stored under that stage, then
     * VALIDATE and back to INFERENCE.
     */
    void confirmationPocIsARoundOfItsOwn(ServiceProcess chain, ServiceProcess collector, StubRegistry registry, JsonNode peer,
                                         Database db) throws Exception {
        registry.nodes(List.of(StubRegistry.Node.serving("cpoc-node", 1, 1, 2, QWEN)));
        JsonNode event = json.readTree(http.send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/confirmation-poc"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
        long trigger = event.path("trigger_height").asLong();
        while (height(chain) < event.path("generation_start_height").asLong()) {
            step(chain);
        }
        String seed = json.readTree(get(collector.url() + "/v1/epochs/latest").body()).path("active_confirmation_poc_event")
                .path("poc_seed_block_hash").asText();
        assertTrue(seed.matches("[0-9a-f]{64}"), "the chain writes the seed in lower case: " + seed);
        JsonNode round = awaitRound(registry, r -> r.path("poc_start_block_height").asLong() == trigger);
        assertEquals("GENERATE", round.path("phase").asText(), round.toString());
        assertEquals(seed, round.path("block_hash").asText(), "the seed passed through unchanged");
        assertEquals(1, round.path("epoch").asLong());

        // the ML nodes' batches for it are taken, under the trigger height
        String key = HexFormat.of().formatHex(Base64.getDecoder().decode(peer.path("account_pubkey").asText()));
        String batch = """
                {"block_hash":"%s","block_height":%d,"public_key":"%s","node_id":1,
                 "artifacts":[{"nonce":7,"vector_b64":"%s"}],"encoding":{"dtype":"f16","k_dim":12,"endian":"le"}}"""
                .formatted(seed, trigger, key, Base64.getEncoder().encodeToString(new byte[24]));
        String url = collector.url() + "/v2/poc-batches/" + QWEN.replace("/", "%252F") + "/generated";
        await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        try (var c = db.connect(); var rs = c.createStatement().executeQuery("select count(*) from poc.artifact where stage_height = " + trigger)) {
            rs.next();
            assertEquals(1, rs.getLong(1));
        }

        // generation over (the window is inclusive-end): the nodes stop and validate
        long generationOver = event.path("generation_start_height").asLong()
                + json.readTree(get(collector.url() + "/v1/epochs/latest").body()).path("epoch_params").path("poc_stage_duration").asLong();
        while (height(chain) < generationOver) {
            step(chain);
        }
        awaitRound(registry, r -> r.path("poc_start_block_height").asLong() == trigger && r.path("phase").asText().equals("VALIDATE"));
        // the event over, the regular round's INFERENCE again
        for (int i = 0; i < 60 && json.readTree(get(collector.url() + "/v1/epochs/latest").body()).has("active_confirmation_poc_event"); i++) {
            step(chain);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> rounds = registry.rounds();
            JsonNode last = json.readTree(rounds.get(rounds.size() - 1));
            return last.path("phase").asText().equals("INFERENCE") && last.path("poc_start_block_height").asLong() == 20;
        });
    }

    JsonNode awaitRound(StubRegistry registry, java.util.function.Predicate<JsonNode> matching) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<String> rounds = registry.rounds();
            for (int i = rounds.size() - 1; i >= 0; i--) {
                JsonNode r = json.readTree(rounds.get(i));
                if (matching.test(r)) {
                    found[0] = r;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    JsonNode awaitView(StubRegistry registry, java.util.function.Predicate<JsonNode> matching) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (String raw : registry.chainViews()) {
                JsonNode v = json.readTree(raw);
                if (matching.test(v)) {
                    found[0] = v;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** One block, then wait for the peers' work on it (commits, proofs, validations). */
    void step(ServiceProcess chain) throws Exception {
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(chain.url() + "/sim/v1/blocks?n=1"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> json.readTree(get(chain.url() + "/sim/v1/peers").body()).path("busy").asInt() == 0);
    }

    long height(ServiceProcess chain) throws Exception {
        return json.readTree(get(chain.url() + "/sim/v1/state").body()).path("height").asLong();
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
