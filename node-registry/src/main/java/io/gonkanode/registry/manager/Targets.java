package io.gonkanode.registry.manager;

import io.gonkanode.registry.callback.CallbackToken;
import io.gonkanode.registry.config.GonkaConfig;
import io.gonkanode.registry.node.SupportedModels;
import io.gonkanode.common.CallbackUrls;
import io.gonkanode.registry.node.ModelArgs;
import io.gonkanode.registry.node.Node;
import io.gonkanode.registry.round.ChainViews;
import io.gonkanode.registry.round.Round;
import io.gonkanode.registry.round.RoundService.Phase;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Works out each node's {@link Target} from its configuration, its admin state and the current round. */
@ApplicationScoped
public class Targets {

    private final SupportedModels supported;
    private final ChainViews chainViews;
    private final GonkaConfig network;
    private final CallbackToken callbackToken;
    private final Optional<String> publicKeyHex;

    public Targets(SupportedModels supported, GonkaConfig network, ChainViews chainViews, CallbackToken callbackToken) {
        this.chainViews = chainViews;
        this.supported = supported;
        this.network = network;
        this.callbackToken = callbackToken;
        this.publicKeyHex = network.accountPubkey().filter(k -> !k.isBlank()).flatMap(Targets::hex);
        if (publicKeyHex.isEmpty()) {
            Log.warn("ACCOUNT_PUBKEY is not set (or not a base64 33-byte key): nodes serve inference but take no part in PoC");
        }
    }

    static Optional<String> hex(String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.trim());
            if (key.length != 33) {
                Log.errorf("ACCOUNT_PUBKEY decodes to %d bytes; a compressed secp256k1 key has 33", key.length);
                return Optional.empty();
            }
            return Optional.of(HexFormat.of().formatHex(key));
        } catch (IllegalArgumentException e) {
            Log.errorf("ACCOUNT_PUBKEY is not base64: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** This host's account key in hex (ACCOUNT_PUBKEY), as PoC generation is seeded with it. */
    public Optional<String> publicKeyHex() {
        return publicKeyHex;
    }

    /**
     * The model a node serves: the one the chain assigned it in the epoch, else (as upstream for a node not in the
     * epoch) the first, sorted, of its models that are governance models — the configured ones without a chain.
     */
    public String modelOf(Node node) {
        Optional<String> assigned = chainViews.current().flatMap(v -> v.assignedModel(node.id));
        if (assigned.isPresent()) {
            return assigned.get();
        }
        java.util.Set<String> governance = supported.governanceIds();
        return node.models.keySet().stream().filter(governance::contains).sorted().findFirst().orElse(null);
    }

    /** The chain's governance vLLM args of a model (from its view, else the round's), else the configured ones. */
    private List<String> governanceArgs(String model, Round round) {
        Optional<List<String>> fromView = chainViews.current().map(v -> v.governanceModels().get(model));
        if (fromView.isPresent()) {
            return fromView.get();
        }
        Round.PocModel poc = round == null || round.models == null ? null : round.models.get(model);
        return poc != null && poc.modelArgs() != null ? poc.modelArgs() : supported.argsOf(model);
    }

    public boolean operational(Node node, Round round) {
        return Operational.operational(node.enabled, node.adminEpoch, round == null ? 0 : round.epoch, phase(round));
    }

    private static Phase phase(Round round) {
        return round == null ? null : round.phase;
    }

    public Target of(Node node, Round round) {
        String model = modelOf(node);
        if (model == null) {
            return new Target(Target.Mode.LEAVE, null, List.of(), null);
        }
        ModelArgs own = node.models.get(model);
        // the chain's governance args go first and win (upstream's order); without a chain, the supported models' args
        List<String> args = ArgsMerge.merge(governanceArgs(model, round), own == null ? List.of() : own.args());
        Phase phase = phase(round);
        if (!node.enabled) {
            return new Target(phase == Phase.GENERATE ? Target.Mode.LEAVE : Target.Mode.QUIESCE, model, args, null);
        }
        // nodes the chain's preserved-nodes snapshot lists keep serving inference through PoC
        boolean preserved = chainViews.current().map(v -> v.preserved(node.id)).orElse(false);
        if (phase == null || phase == Phase.INFERENCE || !operational(node, round) || preserved) {
            return new Target(Target.Mode.INFERENCE, model, args, null);
        }
        if (phase == Phase.VALIDATE) {
            return new Target(Target.Mode.VALIDATE, model, args, null);
        }
        Round.PocModel poc = round.models.get(model);
        if (poc == null || publicKeyHex.isEmpty()) {
            return new Target(Target.Mode.INFERENCE, model, args, null);
        }
        return new Target(Target.Mode.GENERATE, model, args, new Target.Poc(round.blockHash, round.pocStartBlockHeight,
                publicKeyHex.get(), node.nodeNum, Math.max(round.nodeCount, node.nodeNum + 1), model, poc.seqLen(),
                CallbackUrls.forModel(network.pocCallbackUrl(), callbackToken.value().orElse(null), model), round.pocStrongerRng));
    }
}
