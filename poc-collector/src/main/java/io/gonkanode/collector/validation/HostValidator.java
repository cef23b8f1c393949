package io.gonkanode.collector.validation;

import io.gonkanode.collector.security.ValidationToken;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.ChainRpc;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.config.PocModels;
import io.gonkanode.collector.proto.Decimal;
import io.gonkanode.collector.proto.PoCModelConfig;
import io.gonkanode.collector.proto.PoCV2StoreCommitWithAddress;
import io.gonkanode.collector.proto.QueryAllPoCV2StoreCommitsForStageRequest;
import io.gonkanode.collector.proto.QueryAllPoCV2StoreCommitsForStageResponse;
import io.gonkanode.collector.proto.QueryGetParticipantRequest;
import io.gonkanode.collector.proto.QueryGetParticipantResponse;
import io.gonkanode.collector.proto.QueryPoCValidationSnapshotRequest;
import io.gonkanode.collector.proto.QueryPoCValidationSnapshotResponse;
import io.gonkanode.collector.registry.NodeDirectory;
import io.gonkanode.collector.registry.NodeInfo;
import io.gonkanode.collector.tx.TxSender;
import io.gonkanode.common.CallbackUrls;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proofs.ProofClient;
import io.gonkanode.protocol.proofs.Sampling;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates every host's PoC v2 commitment, this host's own included (writes spec §6.2-6.3), once a round begins
 * ({@link ValidationStartHook}): the chain's final commits of the stage become the work list; per (participant,
 * model) a sample of leaves (upstream's sampling from this account's key and the validation start block) is asked of
 * the host's proofs API with a signed request and checked — exactly the leaves asked, 24-byte finite vectors, proofs
 * that verify against the on-chain root and count, dense nonces — then sent to one of this host's ML nodes to be
 * recomputed; its verdict ({@code /validated}) decides the vote. A host that serves something wrong gets −1 at once;
 * one that does not answer is asked again with backoff (3 s × 1.5^n, at most 45 s) and gets −1 after 25 tries
 * ({@code gonka.poc.host-retry-*}).
 * Votes leave in batches ({@link Votes}).
 */
@ApplicationScoped
public class HostValidator {

    static final int WORKERS = 10;

    private final BlockFollower follower;
    private final TxSender sender;
    private final HostValidations store;
    private final Votes votes;
    private final NodeDirectory nodes;
    private final ValidatorClient mlNodes;
    private final PocModels configuredModels;
    private final CollectorConfig config;
    private final Optional<Account> account;
    private final Optional<SigningKey> warm;
    private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS, r -> {
        Thread t = new Thread(r, "host-validation");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger turn = new AtomicInteger();
    private final ObjectMapper json = new ObjectMapper();
    private volatile ProofClient proofs;

    private final ValidationToken validationToken;

    public HostValidator(BlockFollower follower, TxSender sender, HostValidations store, Votes votes, NodeDirectory nodes,
                         ValidatorClient mlNodes, PocModels configuredModels, CollectorConfig config, Optional<Account> account,
                         Optional<SigningKey> warm, ValidationToken validationToken) {
        this.follower = follower;
        this.validationToken = validationToken;
        this.sender = sender;
        this.store = store;
        this.votes = votes;
        this.nodes = nodes;
        this.mlNodes = mlNodes;
        this.configuredModels = configuredModels;
        this.config = config;
        this.account = account;
        this.warm = warm;
    }

    void onStop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!sender.enabled() || follower.paused().isPresent()) {
            return;
        }
        long h = follower.processed();
        store.expireEnded(h);
        for (HostValidations.Round round : store.open(h)) {
            try {
                if (!round.listed()) {
                    list(round);
                } else {
                    for (HostValidations.Item item : store.due(round.stage(), config.poc().validationTimeout())) {
                        dispatch(round, item);
                    }
                }
                votes.flush(round, h);
            } catch (IOException e) {
                Log.warnf("validation of stage %d: the chain node did not answer: %s", round.stage(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** The stage's final commits (of the models the validation snapshot names, when it names any), with each host's URL. */
    private void list(HostValidations.Round round) throws IOException, InterruptedException {
        ChainRpc rpc = follower.rpc().orElseThrow();
        var commits = QueryAllPoCV2StoreCommitsForStageResponse.parseFrom(rpc.query("/inference.inference.Query/AllPoCV2StoreCommitsForStage",
                QueryAllPoCV2StoreCommitsForStageRequest.newBuilder().setPocStageStartBlockHeight(round.stage()).build().toByteArray()));
        var snapshot = QueryPoCValidationSnapshotResponse.parseFrom(rpc.query("/inference.inference.Query/PoCValidationSnapshot",
                QueryPoCValidationSnapshotRequest.newBuilder().setPocStageStartHeight(round.stage()).build().toByteArray()));
        Set<String> snapshotModels = new HashSet<>();
        if (snapshot.getFound()) {
            snapshot.getSnapshot().getModelVotingPowersList().forEach(m -> snapshotModels.add(m.getModelId()));
        }
        List<HostValidations.Commit> list = new ArrayList<>();
        for (PoCV2StoreCommitWithAddress c : commits.getCommitsList()) {
            if (!snapshotModels.isEmpty() && !snapshotModels.contains(c.getModelId())) {
                continue;
            }
            String url = QueryGetParticipantResponse.parseFrom(rpc.query("/inference.inference.Query/Participant",
                    QueryGetParticipantRequest.newBuilder().setIndex(c.getParticipantAddress()).build().toByteArray()))
                    .getParticipant().getInferenceUrl();
            if (url.isEmpty()) {
                continue; // upstream skips a host without a URL: nothing to ask
            }
            list.add(new HostValidations.Commit(c.getParticipantAddress(), c.getModelId(), c.getCount(), c.getRootHash().toByteArray(),
                    c.getHexPubKey(), url));
        }
        String seed = round.seedHash().isEmpty() ? follower.hash(round.stage()).orElse("") : round.seedHash();
        store.list(round.stage(), seed, list);
        Log.infof("validation of stage %d: %d commitment(s) to validate", round.stage(), list.size());
    }

    private void dispatch(HostValidations.Round round, HostValidations.Item item) {
        String key = item.stage() + "|" + item.participant() + "|" + item.modelId();
        if (!inFlight.add(key)) {
            return;
        }
        workers.execute(() -> {
            try {
                validate(round, item);
            } catch (RuntimeException e) {
                Log.warnf("validating %s (%s): %s", item.participant(), item.modelId(), e.getMessage());
                store.retry(item, e.getMessage(), Instant.now().plus(backoff(item.attempts())));
            } finally {
                inFlight.remove(key);
            }
        });
    }

    private void validate(HostValidations.Round round, HostValidations.Item item) {
        ProofClient.Target target = new ProofClient.Target(item.inferenceUrl(), item.stage(), item.modelId(), item.root(), item.count());
        long[] indices = Sampling.leafIndices(account.get().publicKeyHex(), round.samplingHash(), item.stage(), item.modelId(), item.count(),
                sampleSize());
        ProofClient.Verdict verdict = client().validate(target, indices);
        if (verdict instanceof ProofClient.Failed f) {
            decide(item, false, 0, f.reason(), true);
        } else if (verdict instanceof ProofClient.Unreachable u) {
            if (item.attempts() + 1 >= config.poc().hostRetries()) {
                decide(item, false, 0, "no usable answer after " + config.poc().hostRetries() + " attempts: " + u.reason(), true);
            } else {
                Log.infof("validation of %s (%s): no usable answer (%s); asking again in %s", item.participant(), item.modelId(), u.reason(),
                        backoff(item.attempts()));
                store.retry(item, u.reason(), Instant.now().plus(backoff(item.attempts())));
            }
        } else if (verdict instanceof ProofClient.Passed p) {
            recompute(round, item, p);
        }
    }

    /** The proven sample goes to one of this host's ML nodes serving the model (in turn), to be recomputed. */
    private void recompute(HostValidations.Round round, HostValidations.Item item, ProofClient.Passed proven) {
        List<NodeInfo> candidates = nodes.sorted().stream().filter(n -> n.canValidate(item.modelId())).toList();
        if (candidates.isEmpty()) {
            store.retry(item, "no ML node of this host serves " + item.modelId(), Instant.now().plus(backoff(item.attempts())));
            return;
        }
        NodeInfo node = candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
        try {
            String requestId = mlNodes.generate(node, body(round, item, proven, node, candidates.size()));
            store.sent(item, node.nodeNum(), requestId);
        } catch (Exception e) {
            Log.warnf("validation of %s (%s): ML node %d refused the sample: %s", item.participant(), item.modelId(), node.nodeNum(),
                    e.getMessage());
            store.retry(item, "ML node " + node.nodeNum() + " refused the sample: " + e.getMessage(), Instant.now().plus(backoff(item.attempts())));
        }
    }

    /** Upstream's {@code /api/v1/inference/pow/generate} with {@code validation} (writes spec §6.3 step 9). */
    private ObjectNode body(HostValidations.Round round, HostValidations.Item item, ProofClient.Passed proven, NodeInfo node, int nodeCount) {
        Optional<PoCModelConfig> chainModel = follower.epochInfo().flatMap(i -> i.getParams().getPocParams().getModelsList().stream()
                .filter(m -> m.getModelId().equals(item.modelId())).findFirst());
        Optional<PocModels.Model> configured = configuredModels.get(item.modelId());
        ObjectNode body = json.createObjectNode().put("block_hash", round.seedHash()).put("block_height", item.stage())
                .put("public_key", item.pubKeyHex()).put("node_id", node.nodeNum()).put("node_count", nodeCount);
        ArrayNode nonces = body.putArray("nonces");
        proven.artifacts().forEach(a -> nonces.add(a.nonce()));
        body.putObject("params").put("model", item.modelId()).put("seq_len", chainModel.map(m -> (int) m.getSeqLen())
                .orElse(configured.map(PocModels.Model::seqLen).orElse(1024)));
        // the verdict comes back with this collector's own callback token, from whatever address the ML node posts
        body.put("url", CallbackUrls.forModel(config.network().pocCallbackUrl(), validationToken.value(), item.modelId()));
        ArrayNode artifacts = body.putObject("validation").putArray("artifacts");
        proven.artifacts().forEach(a -> artifacts.addObject().put("nonce", a.nonce()).put("vector_b64", Base64.getEncoder().encodeToString(a.vector())));
        ObjectNode stat = body.putObject("stat_test");
        if (chainModel.isPresent() && chainModel.get().hasStatTest()) {
            stat.put("dist_threshold", decimal(chainModel.get().getStatTest().getDistThreshold()))
                    .put("p_mismatch", decimal(chainModel.get().getStatTest().getPMismatch()))
                    .put("p_value_threshold", decimal(chainModel.get().getStatTest().getPValueThreshold()));
        } else {
            PocModels.StatTest t = configured.map(PocModels.Model::statTest).orElse(new PocModels.StatTest(0.4, 0.1, 0.05));
            stat.put("dist_threshold", t.distThreshold()).put("p_mismatch", t.pMismatch()).put("p_value_threshold", t.pValueThreshold());
        }
        if (follower.epochInfo().map(i -> i.getParams().getPocParams().getPocStrongerRngEnabled()).orElse(false)) {
            body.put("poc_stronger_rng", true);
        }
        return body;
    }

    /** The verdict of an ML node on a sample it recomputed; false when it matches no open validation. */
    public boolean verdict(String requestId, long nTotal, boolean fraud, String reason) {
        Optional<HostValidations.Item> item = store.byRequest(requestId);
        if (item.isEmpty()) {
            return false;
        }
        decide(item.get(), !fraud && nTotal > 0, nTotal, reason, false);
        return true;
    }

    private void decide(HostValidations.Item item, boolean valid, long nTotal, String reason, boolean asked) {
        if (store.decide(item, valid, nTotal, reason, asked)) {
            Log.infof("validation of %s (%s) at stage %d: %s%s", item.participant(), item.modelId(), item.stage(),
                    valid ? "valid, " + nTotal + " checked" : "INVALID", reason == null ? "" : " (" + reason + ")");
        }
    }

    private int sampleSize() {
        int n = follower.epochInfo().map(i -> i.getParams().getPocParams().getValidationSampleSize()).orElse(0);
        return n > 0 ? n : 200;
    }

    private ProofClient client() {
        if (proofs == null) {
            proofs = new ProofClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build(), account.get().address(), warm.get(),
                    HostValidator::nowNanos);
        }
        return proofs;
    }

    /** Upstream's backoff: the first delay × 1.5 per attempt, at most the longest. */
    Duration backoff(int attempts) {
        return Duration.ofMillis((long) Math.min(config.poc().hostRetryMaxDelay().toMillis(),
                config.poc().hostRetryDelay().toMillis() * Math.pow(1.5, attempts)));
    }

    static double decimal(Decimal d) {
        return d.getValue() * Math.pow(10, d.getExponent());
    }

    static long nowNanos() {
        Instant n = Instant.now();
        return n.getEpochSecond() * 1_000_000_000L + n.getNano();
    }
}
