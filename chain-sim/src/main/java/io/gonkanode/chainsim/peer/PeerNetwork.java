package io.gonkanode.chainsim.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.gonkanode.chainsim.config.ChainSimConfig;
import io.gonkanode.chainsim.epoch.EpochContext;
import io.gonkanode.chainsim.genesis.Genesis;
import io.gonkanode.chainsim.module.EpochModule;
import io.gonkanode.chainsim.node.Chain;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proofs.ProofClient;
import io.gonkanode.protocol.proofs.ProofService;
import io.gonkanode.protocol.proofs.RateLimiter;
import io.gonkanode.protocol.proofs.Sampling;
import io.gonkanode.protocol.proto.inference.MLNodeDistributionEntry;
import io.gonkanode.protocol.proto.inference.MLNodeWeight;
import io.gonkanode.protocol.proto.inference.MsgClaimRewards;
import io.gonkanode.protocol.proto.inference.MsgMLNodeWeightDistribution;
import io.gonkanode.protocol.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.protocol.proto.inference.MsgSubmitPocValidationsV2;
import io.gonkanode.protocol.proto.inference.MsgSubmitSeed;
import io.gonkanode.chainsim.proto.inference.PoCModelConfig;
import io.gonkanode.protocol.proto.inference.PoCV2CommitEntry;
import io.gonkanode.protocol.proto.inference.PoCValidationEntryV2;
import io.gonkanode.chainsim.proto.inference.SettleAmount;
import io.gonkanode.protocol.smst.Smst;
import io.gonkanode.chainsim.state.Block;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.InferenceStore;
import io.gonkanode.protocol.tx.TypeUrls;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simulated hosts ({@code SIM_CHAIN_PEERS}): registered at genesis like the host under test, each with a
 * proofs API on its own port, and driven by the blocks: a seed at PoC start, commits through the exchange window,
 * a weight distribution after it, at validation start a validation of every committed host (the host under test
 * through its public proofs API, like every other host) and a vote for each, and a claim once the epoch is settled.
 * Block listeners only decide; generating artifacts, building trees and asking for proofs run on the peers' own
 * threads, counted by {@link #busy()} so that tests making blocks by hand can wait for them.
 */
@ApplicationScoped
public class PeerNetwork {

    /** The upstream cadence of commits, five seconds. */
    static final Duration COMMIT_INTERVAL = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(45);

    private final Chain chain;
    private final ChainSimConfig config;
    private final Vertx vertx;
    private final List<Peer> peers = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    private final Map<Integer, ExecutorService> provers = new HashMap<>();
    private final ScheduledExecutorService validators = Executors.newScheduledThreadPool(4, daemon("peer-validator"));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger busy = new AtomicInteger();

    public PeerNetwork(Chain chain, ChainSimConfig config, Vertx vertx) {
        this.chain = chain;
        this.config = config;
        this.vertx = vertx;
    }

    /** Before the first block (priority 1 runs ahead of the block loop's start): accounts, grants, servers. */
    void onStart(@Observes @Priority(1) StartupEvent event) {
        int n = config.peers();
        if (n < 0 || n > 1000) {
            throw new IllegalArgumentException("SIM_CHAIN_PEERS must be between 0 and 1000, got " + n);
        }
        List<Behaviour> behaviours = Behaviour.assign(config.peerBehaviours().orElse(""), n);
        Instant expiry = Instant.now().plus(Duration.ofDays(365));
        for (int i = 1; i <= n; i++) {
            PeerKeys keys = PeerKeys.derive(chain.seed(), i);
            Behaviour behaviour = behaviours.get(i - 1);
            PeerArtifacts artifacts = new PeerArtifacts(keys, behaviour, config.peerArtifacts());
            ProofService service = new ProofService(artifacts, this::signers,
                    SigningKey.of(keys.warmPrivate()), PeerNetwork::nowNanos);
            ProofClient client = new ProofClient(http, keys.coldAddress(), SigningKey.of(keys.warmPrivate()), PeerNetwork::nowNanos);
            int port = config.peerPort() == 0 ? 0 : config.peerPort() + i - 1;
            String url;
            if (behaviour == Behaviour.UNREACHABLE) {
                url = "http://" + config.peerHost() + ":" + (port == 0 ? unusedPort() : port);
            } else {
                url = "http://" + config.peerHost() + ":" + listen(service, port);
            }
            chain.state().write(s -> Genesis.register(s, new Genesis.Host(keys.coldPublic(), Optional.of(keys.warmPublic()),
                    keys.warmAddress(), url), chain.seed(), expiry));
            long warmAccountNumber = chain.state().read(s -> s.accounts().number(keys.warmAddress()).orElseThrow());
            peers.add(new Peer(i, keys, behaviour, url, warmAccountNumber, artifacts, service, client));
            provers.put(i, Executors.newSingleThreadExecutor(daemon(keys.name())));
            Log.infof("%s (%s): account %s, signer %s, inference_url %s", keys.name(), behaviour.label(), keys.coldAddress(),
                    keys.warmAddress(), url);
        }
        if (!peers.isEmpty()) {
            chain.onBlock(this::onBlock);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        validators.shutdownNow();
        provers.values().forEach(ExecutorService::shutdownNow);
        servers.forEach(HttpServer::close);
    }

    public List<Peer> peers() {
        return List.copyOf(peers);
    }

    /** Work under way or waiting (generation, trees, commits, validations and their retries). */
    public int busy() {
        return busy.get();
    }

    /** For {@code GET /sim/v1/peers}: each peer, its commitment, the votes it gave and the txs it sent. */
    public com.fasterxml.jackson.databind.node.ObjectNode status() {
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        var out = f.objectNode().put("busy", busy.get());
        var list = out.putArray("peers");
        for (Peer p : peers) {
            var o = list.addObject().put("name", p.keys.name()).put("behaviour", p.behaviour.label())
                    .put("account", p.keys.coldAddress())
                    .put("account_pubkey", java.util.Base64.getEncoder().encodeToString(p.keys.coldPublic())).put("signer", p.keys.warmAddress()).put("inference_url", p.inferenceUrl)
                    .put("artifacts", p.artifacts.total()).put("active_stage", p.artifacts.activeStage());
            var committed = o.putObject("committed");
            p.committing.forEach((stage, count) -> committed.put(Long.toString(stage), count));
            var votes = o.putArray("votes");
            for (Peer.Vote v : p.votes()) {
                votes.addObject().put("stage", v.stage()).put("participant", v.participant()).put("model_id", v.model())
                        .put("validated_weight", v.weight()).put("reason", v.reason());
            }
            var txs = o.putArray("txs");
            for (Peer.Sent t : p.sentTxs()) {
                txs.addObject().put("height", t.height()).put("type", t.type()).put("code", t.code()).put("log", t.log());
            }
        }
        return out;
    }

    // --- the proofs API of each peer ---

    private int listen(ProofService service, int port) {
        io.vertx.ext.web.Router router = PeerRoutes.router(vertx, service, new RateLimiter());
        HttpServer server = vertx.createHttpServer().requestHandler(router);
        try {
            server = server.listen(port, config.peerHost()).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("a peer's proofs API could not listen on " + config.peerHost() + ":" + port + ": " + e, e);
        }
        servers.add(server);
        return server.actualPort();
    }

    private static int unusedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Who may sign proof requests for a validator: its grantees of MsgSubmitPocValidationsV2 and itself (keys on chain). */
    private Optional<Map<String, byte[]>> signers(String validator) {
        return chain.state().read(s -> {
            var account = s.accounts().get(validator);
            if (account.isEmpty() || account.get().publicKey == null) {
                return Optional.empty();
            }
            Map<String, byte[]> out = new HashMap<>();
            out.put(validator, account.get().publicKey);
            s.accounts().grantees(validator, TypeUrls.SUBMIT_POC_VALIDATIONS_V2, s.blockTime()).forEach((address, a) -> {
                if (a.publicKey != null) {
                    out.put(address, a.publicKey);
                }
            });
            return Optional.of(out);
        });
    }

    // --- what the blocks make the peers do ---

    /** The chain as the peers see it after a block. */
    private record View(Block block, String chainId, long minGasPrice, long effective, EpochContext latest, boolean upcoming,
                        String model, int seqLen, int sampleSize) {
    }

    private void onBlock(Block block) {
        View v = chain.state().read(s -> {
            InferenceStore inf = s.inference();
            List<PoCModelConfig> models = inf.params.getPocParams().getModelsList();
            int sampleSize = inf.params.getPocParams().getValidationSampleSize();
            return new View(block, s.chainId(), s.minGasPriceNgonka(), inf.effectiveEpoch, EpochModule.latest(inf),
                    inf.latestEpoch() == inf.effectiveEpoch + 1, models.isEmpty() ? "" : models.get(0).getModelId(),
                    models.isEmpty() ? 0 : (int) models.get(0).getSeqLen(), sampleSize <= 0 ? 200 : sampleSize);
        });
        long h = block.height();
        EpochContext c = v.latest();
        long stage = c.pocStart();
        List<Target> targets = v.upcoming() && h == c.validationStart() ? targets(stage) : List.of();
        for (Peer peer : peers) {
            if (v.upcoming() && !v.model().isEmpty()) {
                if (h == stage) {
                    send(peer, v, TypeUrls.SUBMIT_SEED, MsgSubmitSeed.newBuilder().setCreator(peer.keys.coldAddress())
                            .setEpochIndex(c.index()).setSignature(peer.seed(c.index()).signatureHex()).build());
                    String hash = HexFormat.of().withUpperCase().formatHex(block.hash());
                    prove(peer, () -> peer.artifacts.begin(stage, v.model(), hash, v.seqLen()));
                }
                long target = h + 1;
                if (commitDue(peer, c, target)) {
                    long count = countAt(peer, c, target);
                    prove(peer, () -> commit(peer, v, stage, count));
                }
                if (h >= c.exchangeDeadline() && target <= c.validationEnd() && !peer.distributed.containsKey(stage)) {
                    distribute(peer, v, stage);
                }
                if (h == c.validationStart()) {
                    validateAll(peer, v, stage, targets, HexFormat.of().withUpperCase().formatHex(block.hash()));
                }
            }
            if (!v.upcoming() && h == c.setNewValidators() && c.index() == v.effective()) {
                claim(peer, v, c.index() - 1);
            }
        }
    }

    /** Commits every five seconds' worth of blocks from the first block of the window, the full count a block early. */
    private boolean commitDue(Peer peer, EpochContext c, long target) {
        if (!c.inPocExchangeWindow(target)) {
            return false;
        }
        if (peer.behaviour == Behaviour.LATE_COMMIT) {
            return target == c.exchangeDeadline();
        }
        long cadence = Math.max(1, COMMIT_INTERVAL.toMillis() / Math.max(1, config.blockTime().toMillis()));
        long last = Math.max(c.pocStart() + 1, c.generationEnd() - 1);
        return target == last || (target < last && (target - c.pocStart() - 1) % cadence == 0);
    }

    /** The artifacts a peer has by block {@code target}: a steady rate through generation, all of them a block early. */
    private long countAt(Peer peer, EpochContext c, long target) {
        long total = peer.artifacts.total();
        if (peer.behaviour == Behaviour.LATE_COMMIT) {
            return total;
        }
        long span = Math.max(1, c.generationEnd() - 1 - c.pocStart());
        long done = Math.min(span, Math.max(1, target - c.pocStart()));
        return Math.max(1, total * done / span);
    }

    private void commit(Peer peer, View v, long stage, long count) {
        Long last = peer.committing.get(stage);
        if (count <= 0 || (last != null && count <= last)) {
            return;
        }
        Smst tree = peer.artifacts.commit(stage, count);
        Message m = MsgPoCV2StoreCommit.newBuilder().setCreator(peer.keys.coldAddress()).setPocStageStartBlockHeight(stage)
                .addEntries(PoCV2CommitEntry.newBuilder().setModelId(v.model()).setCount(tree.count())
                        .setRootHash(ByteString.copyFrom(tree.root())))
                .build();
        if (send(peer, v, TypeUrls.POC_V2_STORE_COMMIT, m)) {
            peer.committing.put(stage, (long) tree.count());
        } else {
            peer.artifacts.forget(stage, count);
        }
    }

    /** Its weight over two ML nodes, summing to the count the chain holds (writes spec §4.8). */
    private void distribute(Peer peer, View v, long stage) {
        InferenceStore.Commit commit = chain.state().read(s -> s.inference().commitsOf(stage, peer.keys.coldAddress()).get(v.model()));
        if (commit == null) {
            return;
        }
        long first = (commit.count() + 1) / 2;
        MLNodeDistributionEntry.Builder entry = MLNodeDistributionEntry.newBuilder().setModelId(v.model())
                .addWeights(MLNodeWeight.newBuilder().setNodeId(peer.keys.name() + "-node-1").setWeight((int) first));
        if (commit.count() - first > 0) {
            entry.addWeights(MLNodeWeight.newBuilder().setNodeId(peer.keys.name() + "-node-2").setWeight((int) (commit.count() - first)));
        }
        if (send(peer, v, TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION, MsgMLNodeWeightDistribution.newBuilder()
                .setCreator(peer.keys.coldAddress()).setPocStageStartBlockHeight(stage).addEntries(entry).build())) {
            peer.distributed.put(stage, true);
        }
    }

    private void claim(Peer peer, View v, long finished) {
        SettleAmount due = chain.state().read(s -> s.inference().settleAmounts.get(peer.keys.coldAddress()));
        if (due != null && due.getEpochIndex() == finished) {
            send(peer, v, TypeUrls.CLAIM_REWARDS, MsgClaimRewards.newBuilder().setCreator(peer.keys.coldAddress())
                    .setSeed(peer.seed(finished).value()).setEpochIndex(finished).build());
        }
    }

    /** A committed (participant, model) to validate, with where to ask. */
    private record Target(String participant, String model, String inferenceUrl, InferenceStore.Commit commit) {
    }

    /** Every commitment of the stage ({@code AllPoCV2StoreCommitsForStage}) with where its host serves proofs. */
    private List<Target> targets(long stage) {
        return chain.state().read(s -> {
            List<Target> out = new ArrayList<>();
            s.inference().commits.getOrDefault(stage, Map.of()).forEach((participant, models) -> {
                InferenceStore.Participant p = s.inference().participants.get(participant);
                models.forEach((model, commit) -> out.add(new Target(participant, model, p == null ? "" : p.inferenceUrl(), commit)));
            });
            return out;
        });
    }

    private void validateAll(Peer peer, View v, long stage, List<Target> targets, String samplingHash) {
        EpochContext c = v.latest();
        for (Target t : targets) {
            long[] indices = Sampling.leafIndices(peer.keys.coldPublicHex(), samplingHash, stage, t.model(), t.commit().count(),
                    v.sampleSize());
            if (t.participant().equals(peer.keys.coldAddress())) {
                // a host vouches for itself without asking its own API (an honest one would pass; a cheat would not tell)
                vote(peer, v, stage, t, indices.length, "own commitment");
                continue;
            }
            ProofClient.Target target = new ProofClient.Target(t.inferenceUrl(), stage, t.model(), t.commit().root(), t.commit().count());
            busy.incrementAndGet();
            validators.execute(() -> attempt(peer, v, c, t, target, indices, 0));
        }
    }

    private void attempt(Peer peer, View v, EpochContext c, Target t, ProofClient.Target target, long[] indices, int attempt) {
        try {
            ProofClient.Verdict verdict = t.inferenceUrl().isEmpty() ? new ProofClient.Unreachable("no inference_url")
                    : peer.client.validate(target, indices);
            if (verdict instanceof ProofClient.Passed p) {
                vote(peer, v, target.stage(), t, p.nTotal(), "passed");
            } else if (verdict instanceof ProofClient.Failed f) {
                vote(peer, v, target.stage(), t, -1, f.reason());
            } else if (verdict instanceof ProofClient.Unreachable u) {
                long height = chain.state().read(ChainState::latestHeight);
                if (attempt + 1 >= config.peerRetries() || height >= c.validationEnd() - 2) {
                    vote(peer, v, target.stage(), t, -1, "unreachable after " + (attempt + 1) + " attempts: " + u.reason());
                } else {
                    long delay = (long) Math.min(MAX_BACKOFF.toMillis(), config.peerRetryBackoff().toMillis() * Math.pow(1.5, attempt));
                    busy.incrementAndGet();
                    validators.schedule(() -> attempt(peer, v, c, t, target, indices, attempt + 1), delay, TimeUnit.MILLISECONDS);
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("%s could not validate %s: %s", peer.keys.name(), t.participant(), e.toString());
        } finally {
            busy.decrementAndGet();
        }
    }

    private void vote(Peer peer, View v, long stage, Target t, long weight, String reason) {
        peer.voted(new Peer.Vote(stage, t.participant(), t.model(), weight, reason));
        send(peer, v, TypeUrls.SUBMIT_POC_VALIDATIONS_V2, MsgSubmitPocValidationsV2.newBuilder().setCreator(peer.keys.coldAddress())
                .setPocStageStartBlockHeight(stage).addValidations(PoCValidationEntryV2.newBuilder()
                        .setParticipantAddress(t.participant()).setModelId(t.model()).setValidatedWeight(weight))
                .build());
    }

    /** Signs and submits through CheckTx, as any host's tx; true when the mempool took it. */
    private boolean send(Peer peer, View v, String type, Message inner) {
        byte[] raw = peer.txs.build(type, inner, v.chainId(), peer.warmAccountNumber, v.block().time(), v.minGasPrice());
        Chain.CheckTxResult r = chain.checkTx(raw);
        long height = chain.state().read(ChainState::latestHeight);
        peer.sent(new Peer.Sent(height, type.substring(type.lastIndexOf('.') + 1), r.code(), r.log()));
        if (r.code() != 0) {
            Log.debugf("%s: %s refused with code %d: %s", peer.keys.name(), type, r.code(), r.log());
        }
        return r.code() == 0;
    }

    private void prove(Peer peer, Runnable work) {
        busy.incrementAndGet();
        provers.get(peer.index).execute(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                Log.warnf("%s: %s", peer.keys.name(), e.toString());
            } finally {
                busy.decrementAndGet();
            }
        });
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
