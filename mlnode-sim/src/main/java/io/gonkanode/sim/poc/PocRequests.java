package io.gonkanode.sim.poc;

import io.gonkanode.protocol.poc.ArtifactVectors;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.gonkanode.sim.fastapi.Pydantic;
import io.gonkanode.sim.fastapi.Pydantic.Kind;

import java.util.ArrayList;
import java.util.List;

/** The PoC v2 request bodies of mlnode 3.0.14 ({@code pow_v2_routes.py}), their schemas and parsed forms. */
public final class PocRequests {

    private PocRequests() {
    }

    static final Pydantic.Model PARAMS = new Pydantic.Model("PoCParamsModel", true)
            .required("model", Kind.STR)
            .required("seq_len", Kind.INT)
            .optional("k_dim", Kind.INT, IntNode.valueOf(ArtifactVectors.K_DIM));

    public static final Pydantic.Model INIT_GENERATE = new Pydantic.Model("PoCInitGenerateRequest", false)
            .required("block_hash", Kind.STR)
            .required("block_height", Kind.INT)
            .required("public_key", Kind.STR)
            .required("node_id", Kind.INT)
            .required("node_count", Kind.INT)
            .optional("batch_size", Kind.INT, IntNode.valueOf(32))
            .requiredModel("params", PARAMS)
            .optional("url", Kind.STR, NullNode.getInstance())
            .optional("poc_stronger_rng", Kind.BOOL, BooleanNode.FALSE);

    static final Pydantic.Model ARTIFACT = new Pydantic.Model("ArtifactModel", false)
            .required("nonce", Kind.INT)
            .required("vector_b64", Kind.STR);

    static final Pydantic.Model VALIDATION = new Pydantic.Model("ValidationModel", false)
            .requiredListOf("artifacts", ARTIFACT);

    static final Pydantic.Model STAT_TEST = new Pydantic.Model("StatTestModel", false)
            .optional("dist_threshold", Kind.FLOAT, com.fasterxml.jackson.databind.node.DoubleNode.valueOf(0.02))
            .optional("p_mismatch", Kind.FLOAT, com.fasterxml.jackson.databind.node.DoubleNode.valueOf(0.001))
            .optional("fraud_threshold", Kind.FLOAT, com.fasterxml.jackson.databind.node.DoubleNode.valueOf(0.01));

    public static final Pydantic.Model GENERATE = new Pydantic.Model("PoCGenerateRequest", false)
            .required("block_hash", Kind.STR)
            .required("block_height", Kind.INT)
            .required("public_key", Kind.STR)
            .required("node_id", Kind.INT)
            .required("node_count", Kind.INT)
            .requiredList("nonces", Kind.INT)
            .requiredModel("params", PARAMS)
            .optional("batch_size", Kind.INT, IntNode.valueOf(32))
            .optional("wait", Kind.BOOL, BooleanNode.FALSE)
            .optional("url", Kind.STR, NullNode.getInstance())
            .optionalModel("validation", VALIDATION)
            .optionalModel("stat_test", STAT_TEST)
            .optional("poc_stronger_rng", Kind.BOOL, BooleanNode.FALSE);

    /** What every backend computes with: the stage, the prover, the node's place and the model. */
    public record Stage(String blockHash, long blockHeight, String publicKey, long nodeId, long nodeCount,
                        String model, int seqLen, int kDim) {

        static Stage of(JsonNode body) {
            JsonNode params = body.get("params");
            return new Stage(body.get("block_hash").textValue(), body.get("block_height").longValue(),
                    body.get("public_key").textValue(), body.get("node_id").longValue(),
                    body.get("node_count").longValue(), params.get("model").textValue(),
                    params.get("seq_len").intValue(), params.get("k_dim").intValue());
        }
    }

    /** An init/generate request. */
    public record InitGenerate(Stage stage, int batchSize, String url) {

        public static InitGenerate of(JsonNode body) {
            JsonNode url = body.get("url");
            return new InitGenerate(Stage.of(body), body.get("batch_size").intValue(),
                    url == null || url.isNull() ? null : url.textValue());
        }
    }

    /** A claimed artifact. */
    public record Artifact(long nonce, String vectorB64) {
    }

    /** The statistical test parameters as the ML node reads them (p_value_threshold is not among them). */
    public record StatTest(double distThreshold, double pMismatch, double fraudThreshold) {
    }

    /** A /generate request: compute these nonces, and with {@code artifacts} compare them to the claims. */
    public record Generate(Stage stage, List<Long> nonces, boolean await, String url, List<Artifact> artifacts,
                           StatTest statTest) {

        public static Generate of(JsonNode body) {
            List<Long> nonces = new ArrayList<>();
            body.get("nonces").forEach(n -> nonces.add(n.longValue()));
            JsonNode url = body.get("url");
            List<Artifact> artifacts = null;
            JsonNode validation = body.get("validation");
            if (validation != null && !validation.isNull()) {
                artifacts = new ArrayList<>();
                for (JsonNode a : validation.get("artifacts")) {
                    artifacts.add(new Artifact(a.get("nonce").longValue(), a.get("vector_b64").textValue()));
                }
            }
            JsonNode st = body.get("stat_test");
            StatTest statTest = st == null || st.isNull() ? new StatTest(0.02, 0.001, 0.01)
                    : new StatTest(st.get("dist_threshold").doubleValue(), st.get("p_mismatch").doubleValue(),
                    st.get("fraud_threshold").doubleValue());
            return new Generate(Stage.of(body), nonces, body.get("wait").booleanValue(),
                    url == null || url.isNull() ? null : url.textValue(), artifacts, statTest);
        }
    }
}
