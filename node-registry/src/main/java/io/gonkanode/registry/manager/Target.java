package io.gonkanode.registry.manager;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.registry.node.NodeStatus;
import io.gonkanode.registry.node.PocStatus;

import java.util.List;

/**
 * What a node should be doing now. INFERENCE: serve {@code model}; GENERATE: serve it and generate PoC
 * artifacts for the round's stage; VALIDATE: serve it with generation stopped (validation requests come
 * from poc-collector); LEAVE: send nothing (a disabled node: the operator owns it); QUIESCE: send
 * nothing but stop a generation left running once the generation phase is over.
 */
public record Target(Mode mode, String model, List<String> args, Poc poc) {

    public enum Mode { LEAVE, QUIESCE, INFERENCE, GENERATE, VALIDATE }

    /** The init/generate of this round for this node. */
    public record Poc(String blockHash, long blockHeight, String publicKeyHex, int nodeId, int nodeCount, String model,
                      int seqLen, String url, boolean strongerRng) {

        /** The exact body upstream sends: {@code params} holds model and seq_len only (the ML node forbids more). */
        public ObjectNode initGenerateBody() {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("block_hash", blockHash);
            body.put("block_height", blockHeight);
            body.put("public_key", publicKeyHex);
            body.put("node_id", nodeId);
            body.put("node_count", nodeCount);
            ObjectNode params = body.putObject("params");
            params.put("model", model);
            params.put("seq_len", seqLen);
            body.put("url", url);
            if (strongerRng) {
                body.put("poc_stronger_rng", true); // top level, only when the chain enables it (params forbids extra keys)
            }
            return body;
        }
    }

    public NodeStatus intendedStatus() {
        return switch (mode) {
            case INFERENCE -> NodeStatus.INFERENCE;
            case GENERATE, VALIDATE -> NodeStatus.POC;
            case LEAVE, QUIESCE -> null;
        };
    }

    public PocStatus pocIntendedStatus() {
        return switch (mode) {
            case GENERATE -> PocStatus.GENERATING;
            case VALIDATE -> PocStatus.VALIDATING;
            case INFERENCE -> PocStatus.IDLE;
            case LEAVE, QUIESCE -> null;
        };
    }

    /** The inference/up body: {@code {"model", "dtype": "auto", "additional_args": [...]}}. */
    public ObjectNode inferenceUpBody() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", model);
        body.put("dtype", "auto");
        body.putArray("additional_args").addAll(args.stream().map(JsonNodeFactory.instance::textNode).toList());
        return body;
    }
}
