package io.gonkanode.collector.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.artifact.ArtifactStore;
import io.gonkanode.common.CallbackUrls;
import io.gonkanode.collector.artifact.ModelKeys;
import io.gonkanode.collector.chain.EpochStore;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.registry.NodeInfo;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * PoC validation of the host's own artifacts, once generation is over: per (node, model) a deterministic
 * sample of up to 200 stored artifacts goes to a node serving the same model (another node than the
 * prover where one exists) to be recomputed. A validator that fails or does not answer in time is
 * replaced by another; only when no node can validate is the weight withheld, with the reason. The round
 * driver ({@code round.PocRound}) says when to begin and when to drive.
 */
@ApplicationScoped
public class SampleValidator {

    /** Upstream's porosity rule: max nonce / artifact count at or above this is fraud. */
    static final long POROSITY_LIMIT = 100;

    private final EpochStore epochs;
    private final ValidationStore validations;
    private final ArtifactStore artifacts;
    private final ModelKeys modelKeys;
    private final PocModels models;
    private final NodeDirectory nodes;
    private final ValidatorClient client;
    private final CollectorConfig config;
    private final Optional<Account> account;
    private final ObjectMapper json = new ObjectMapper();

    public SampleValidator(EpochStore epochs, ValidationStore validations, ArtifactStore artifacts, ModelKeys modelKeys,
                           PocModels models, NodeDirectory nodes, ValidatorClient client, CollectorConfig config,
                           Optional<Account> account) {
        this.epochs = epochs;
        this.validations = validations;
        this.artifacts = artifacts;
        this.modelKeys = modelKeys;
        this.models = models;
        this.nodes = nodes;
        this.client = client;
        this.config = config;
        this.account = account;
    }

    /** Creates a validation row per (model, node) that has artifacts in the stage. */
    public void begin(EpochStore.Epoch epoch) {
        int created = 0;
        for (PocModels.Model model : models.all().values()) {
            short key = modelKeys.of(model.id());
            for (ArtifactStore.NodeCount c : artifacts.counts(epoch.pocStartBlockHeight(), key)) {
                int sample = (int) Math.min(config.poc().validationSampleSize(), c.count());
                boolean porous = c.count() > 0 && c.maxNonce() / c.count() >= POROSITY_LIMIT;
                if (validations.create(epoch.index(), epoch.pocStartBlockHeight(), key, c.nodeNum(), c.count(), c.maxNonce(),
                        sample, porous ? ValidationStatus.FRAUD : ValidationStatus.PENDING,
                        porous ? "porosity: max nonce " + c.maxNonce() + " / " + c.count() + " artifacts >= " + POROSITY_LIMIT : null)) {
                    created++;
                }
            }
        }
        epochs.validationStarted(epoch.index());
        Log.infof("validation of epoch %d started: %d (node, model) sample(s)", epoch.index(), created);
    }

    /** Sends pending samples and replaces validators that took too long. */
    public void drive(EpochStore.Epoch epoch) {
        Duration timeout = config.poc().validationTimeout();
        for (ValidationStore.Row row : validations.forEpoch(epoch.index())) {
            boolean due = row.status() == ValidationStatus.PENDING
                    || (row.status() == ValidationStatus.SENT && row.sentAt() != null
                    && Instant.now().isAfter(row.sentAt().plus(timeout)));
            if (due) {
                send(epoch, row);
            }
        }
    }

    private void send(EpochStore.Epoch epoch, ValidationStore.Row row) {
        String modelId = modelIdOf(row.model());
        PocModels.Model model = models.get(modelId).orElse(null);
        if (model == null || account.isEmpty()) {
            validations.waiting(row.id(), account.isEmpty() ? "ACCOUNT_PUBKEY is not set" : "model no longer configured",
                    row.tried(), row.attempts());
            return;
        }
        List<Integer> tried = new ArrayList<>(row.triedNodes());
        List<NodeInfo> candidates = candidates(modelId, row.nodeNum(), tried);
        if (candidates.isEmpty()) {
            // everyone was tried: start over rather than give up while there is time left
            tried.clear();
            candidates = candidates(modelId, row.nodeNum(), tried);
        }
        if (candidates.isEmpty()) {
            validations.waiting(row.id(), "no node serving " + modelId + " is available to validate", row.tried(), row.attempts());
            return;
        }
        long[] sample = Sampler.sample(artifacts.nonces(row.stageHeight(), row.model(), row.nodeNum()), row.sampleSize(),
                Sampler.seed(account.get().publicKeyHex(), epoch.blockHash(), row.stageHeight(), modelId, row.nodeNum()));
        List<ArtifactStore.Stored> stored = artifacts.vectors(row.stageHeight(), row.model(), sample);
        ObjectNode body = body(epoch, model, row.nodeNum(), stored);
        int attempts = row.attempts();
        for (NodeInfo validator : candidates) {
            tried.add(validator.nodeNum());
            attempts++;
            String triedText = tried.stream().map(String::valueOf).collect(Collectors.joining(","));
            try {
                String requestId = client.generate(validator, body);
                validations.sent(row.id(), validator.nodeNum(), requestId, triedText, attempts);
                Log.infof("epoch %d: %d artifacts of node %d (%s) sent to node %d for validation", epoch.index(),
                        stored.size(), row.nodeNum(), modelId, validator.nodeNum());
                return;
            } catch (Exception e) {
                Log.warnf("validator node %d refused the sample of node %d: %s", validator.nodeNum(), row.nodeNum(), e.getMessage());
                validations.waiting(row.id(), "validator node " + validator.nodeNum() + " failed: " + e.getMessage(), triedText, attempts);
            }
        }
    }

    /** Nodes that can validate the model, not yet tried, other nodes before the prover itself. */
    private List<NodeInfo> candidates(String modelId, int prover, List<Integer> tried) {
        List<NodeInfo> others = new ArrayList<>();
        List<NodeInfo> self = new ArrayList<>();
        for (NodeInfo n : nodes.sorted()) {
            if (!n.canValidate(modelId) || tried.contains(n.nodeNum())) {
                continue;
            }
            (n.nodeNum() == prover ? self : others).add(n);
        }
        if (!others.isEmpty()) {
            // spread the work: start after the prover in node_num order
            int split = 0;
            while (split < others.size() && others.get(split).nodeNum() < prover) {
                split++;
            }
            List<NodeInfo> rotated = new ArrayList<>(others.subList(split, others.size()));
            rotated.addAll(others.subList(0, split));
            others = rotated;
        }
        others.addAll(self);
        return others;
    }

    private ObjectNode body(EpochStore.Epoch epoch, PocModels.Model model, int proverNodeNum, List<ArtifactStore.Stored> stored) {
        ObjectNode body = json.createObjectNode();
        body.put("block_hash", epoch.blockHash());
        body.put("block_height", epoch.pocStartBlockHeight());
        body.put("public_key", account.get().publicKeyHex());
        body.put("node_id", proverNodeNum);
        body.put("node_count", Math.max(nodes.maxNodeNum(), proverNodeNum) + 1);
        ArrayNode nonces = body.putArray("nonces");
        stored.forEach(s -> nonces.add(s.nonce()));
        ObjectNode params = body.putObject("params");
        params.put("model", model.id());
        params.put("seq_len", model.seqLen());
        body.put("url", CallbackUrls.forModel(config.network().pocCallbackUrl(),
                config.callback().token().orElse(null), model.id()));
        ArrayNode claimed = body.putObject("validation").putArray("artifacts");
        Base64.Encoder b64 = Base64.getEncoder();
        stored.forEach(s -> claimed.addObject().put("nonce", s.nonce()).put("vector_b64", b64.encodeToString(s.vector())));
        ObjectNode stat = body.putObject("stat_test");
        stat.put("dist_threshold", model.statTest().distThreshold());
        stat.put("p_mismatch", model.statTest().pMismatch());
        stat.put("p_value_threshold", model.statTest().pValueThreshold());
        return body;
    }

    private final java.util.Map<Short, String> modelIds = new java.util.concurrent.ConcurrentHashMap<>();

    private String modelIdOf(short key) {
        String id = modelIds.get(key);
        if (id == null) {
            for (String m : models.all().keySet()) {
                modelIds.put(modelKeys.of(m), m);
            }
            id = modelIds.getOrDefault(key, "");
        }
        return id;
    }

}
