package io.gonkanode.chainsim.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.chainsim.genesis.Genesis;
import io.gonkanode.chainsim.node.Chain;
import io.gonkanode.chainsim.node.Faults;
import io.gonkanode.chainsim.query.AbciQueries;
import io.gonkanode.chainsim.query.QueryError;
import io.gonkanode.chainsim.state.Block;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.InferenceStore;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CometBFT RPC methods a host uses (reads spec §1.2, §7): status, block, block_results, validators,
 * abci_query, broadcast_tx_sync, tx, health. Each reads one committed height.
 */
@ApplicationScoped
public class RpcMethods {

    /** Each method's parameter names, in positional order. */
    static final Map<String, List<String>> PARAMS = Map.of(
            "status", List.of(), "health", List.of(), "block", List.of("height"), "block_results", List.of("height"),
            "validators", List.of("height", "page", "per_page"), "abci_query", List.of("path", "data", "height", "prove"),
            "broadcast_tx_sync", List.of("tx"), "tx", List.of("hash", "prove"));

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Chain chain;
    private final Faults faults;
    private final byte[] nodeKey;

    public RpcMethods(Chain chain, Faults faults) {
        this.chain = chain;
        this.faults = faults;
        this.nodeKey = Genesis.consensusKey(chain.seed(), "chain-sim-validator");
    }

    public ObjectNode call(String method, Params p) throws RpcError {
        try {
            return dispatch(method, p);
        } catch (Failure f) {
            throw f.error;
        }
    }

    private ObjectNode dispatch(String method, Params p) throws RpcError {
        return switch (method) {
            case "status" -> status();
            case "health" -> F.objectNode();
            case "block" -> chain.state().read(s -> block(s, blockAt(s, p)));
            case "block_results" -> chain.state().read(s -> CometJson.blockResults(blockAt(s, p)));
            case "validators" -> validators(p);
            case "abci_query" -> abciQuery(p);
            case "broadcast_tx_sync" -> broadcast(p);
            case "tx" -> tx(p);
            default -> throw RpcError.methodNotFound(method);
        };
    }

    /** A block as {@code block} answers it (also the body of a NewBlock frame). */
    ObjectNode block(ChainState s, Block b) {
        return CometJson.block(b, s.chainId(), validatorsHash(s), proposer());
    }

    private ObjectNode status() {
        return chain.state().read(s -> {
            ObjectNode o = F.objectNode();
            ObjectNode node = o.putObject("node_info");
            ObjectNode protocol = node.putObject("protocol_version");
            protocol.put("p2p", "8");
            protocol.put("block", "11");
            protocol.put("app", "0");
            node.put("id", CometJson.hex(Arrays.copyOf(Hashes.sha256(nodeKey), 20)).toLowerCase());
            node.put("listen_addr", "tcp://0.0.0.0:26656");
            node.put("network", s.chainId());
            node.put("version", "0.38.21");
            node.put("channels", "40202122233038606100");
            node.put("moniker", "chain-sim");
            ObjectNode other = node.putObject("other");
            other.put("tx_index", "on");
            other.put("rpc_address", "tcp://0.0.0.0:26657");
            ObjectNode sync = o.putObject("sync_info");
            Optional<Block> latest = s.latest();
            Optional<Block> earliest = s.block(s.earliestHeight());
            sync.put("latest_block_hash", latest.map(b -> CometJson.hex(b.hash())).orElse(""));
            sync.put("latest_app_hash", latest.map(b -> CometJson.hex(b.appHash())).orElse(""));
            sync.put("latest_block_height", Long.toString(s.latestHeight()));
            sync.put("latest_block_time", latest.map(b -> CometJson.time(b.time())).orElse(CometJson.time(java.time.Instant.EPOCH)));
            sync.put("earliest_block_hash", earliest.map(b -> CometJson.hex(b.hash())).orElse(""));
            sync.put("earliest_app_hash", earliest.map(b -> CometJson.hex(b.appHash())).orElse(""));
            sync.put("earliest_block_height", Long.toString(s.earliestHeight()));
            sync.put("earliest_block_time", earliest.map(b -> CometJson.time(b.time())).orElse(CometJson.time(java.time.Instant.EPOCH)));
            sync.put("catching_up", faults.catchingUp());
            ObjectNode validator = o.putObject("validator_info");
            validator.put("address", CometJson.hex(proposer()));
            validator.set("pub_key", pubKey(nodeKey));
            validator.put("voting_power", "10");
            return o;
        });
    }

    private static Block blockAt(ChainState s, Params p) {
        try {
            long height = p.int64("height", 0);
            if (height < 0) {
                throw new Failure(RpcError.internal("height must be greater than 0, but got " + height));
            }
            if (height == 0) {
                height = s.latestHeight();
            }
            if (height > s.latestHeight()) {
                throw new Failure(RpcError.internal("height " + height + " must be less than or equal to the current blockchain height "
                        + s.latestHeight()));
            }
            long h = height;
            return s.block(h).orElseThrow(() -> new Failure(RpcError.internal("height " + h + " is not available, lowest height is "
                    + s.earliestHeight())));
        } catch (RpcError e) {
            throw new Failure(e);
        }
    }

    /** The validator set: chain-sim's own node and every participant's consensus key (voting power 10 each). */
    private ObjectNode validators(Params p) throws RpcError {
        long page = p.int64("page", 1);
        long perPage = Math.min(100, Math.max(1, p.int64("per_page", 30)));
        return chain.state().read(s -> {
            List<byte[]> keys = validatorKeys(s);
            ObjectNode o = F.objectNode();
            o.put("block_height", Long.toString(s.latestHeight()));
            ArrayNode list = o.putArray("validators");
            long from = (page - 1) * perPage;
            for (long i = from; i < Math.min(keys.size(), from + perPage); i++) {
                ObjectNode v = list.addObject();
                byte[] key = keys.get((int) i);
                v.put("address", CometJson.hex(Arrays.copyOf(Hashes.sha256(key), 20)));
                v.set("pub_key", pubKey(key));
                v.put("voting_power", "10");
                v.put("proposer_priority", "0");
            }
            o.put("count", Integer.toString(list.size()));
            o.put("total", Integer.toString(keys.size()));
            return o;
        });
    }

    private List<byte[]> validatorKeys(ChainState s) {
        List<byte[]> keys = new ArrayList<>();
        keys.add(nodeKey);
        for (InferenceStore.Participant participant : s.inference().participants.values()) {
            keys.add(java.util.Base64.getDecoder().decode(participant.validatorKey()));
        }
        return keys;
    }

    private byte[] validatorsHash(ChainState s) {
        return Hashes.sha256(validatorKeys(s).stream().map(CometJson::hex).reduce("", String::concat).getBytes());
    }

    private byte[] proposer() {
        return Arrays.copyOf(Hashes.sha256(nodeKey), 20);
    }

    private static ObjectNode pubKey(byte[] key) {
        ObjectNode k = F.objectNode();
        k.put("type", "tendermint/PubKeyEd25519");
        k.put("value", CometJson.b64(key));
        return k;
    }

    private ObjectNode abciQuery(Params p) throws RpcError {
        String path = p.string("path");
        byte[] data = p.hexBytes("data");
        long height = p.int64("height", 0);
        long latest = chain.state().read(ChainState::latestHeight);
        if (height > latest) {
            throw RpcError.internal("height " + height + " must be less than or equal to the current blockchain height " + latest);
        }
        ObjectNode response = F.objectNode();
        try {
            byte[] value = path.startsWith("store/") || path.startsWith("/store/") ? StoreQueries.get(path, data, chain.state())
                    : AbciQueries.query(path, data, chain.state());
            response.put("code", 0);
            response.put("log", "");
            response.put("info", "");
            response.put("index", "0");
            if (path.contains("store/")) {
                response.put("key", CometJson.b64(data));
                response.set("value", value.length == 0 ? F.nullNode() : F.textNode(CometJson.b64(value)));
                response.set("proof_ops", p.bool("prove") ? StoreQueries.proofOps(data, value) : F.nullNode());
            } else {
                response.putNull("key");
                response.put("value", CometJson.b64(value));
                response.putNull("proof_ops");
            }
            response.put("height", Long.toString(height == 0 ? latest : height));
            response.put("codespace", "");
        } catch (QueryError e) {
            response.put("code", e.code());
            response.put("log", e.getMessage());
            response.put("info", "");
            response.put("index", "0");
            response.putNull("key");
            response.putNull("value");
            response.putNull("proof_ops");
            response.put("height", Long.toString(height == 0 ? latest : height));
            response.put("codespace", e.codespace());
        }
        ObjectNode o = F.objectNode();
        o.set("response", response);
        return o;
    }

    private ObjectNode broadcast(Params p) throws RpcError {
        byte[] tx = p.bytes("tx");
        if (tx.length == 0) {
            throw RpcError.invalidParams("error converting json params to arguments: tx is empty");
        }
        Chain.CheckTxResult r = chain.checkTx(tx);
        ObjectNode o = F.objectNode();
        o.put("code", r.code());
        o.put("data", "");
        o.put("log", r.log());
        o.put("codespace", r.codespace());
        o.put("hash", r.hash());
        return o;
    }

    private ObjectNode tx(Params p) throws RpcError {
        String hash = CometJson.hex(p.bytes("hash"));
        return chain.state().read(s -> {
            ChainState.TxLocation at = s.tx(hash).orElseThrow(() -> new Failure(RpcError.internal("tx (" + hash + ") not found")));
            Block b = s.block(at.height()).orElseThrow();
            ObjectNode o = F.objectNode();
            o.put("hash", hash);
            o.put("height", Long.toString(at.height()));
            o.put("index", at.index());
            o.set("tx_result", CometJson.txResult(b.results().get(at.index())));
            o.put("tx", CometJson.b64(b.txs().get(at.index())));
            return o;
        });
    }

    /** Carries an RPC error out of a state reader. */
    static final class Failure extends RuntimeException {
        final RpcError error;

        Failure(RpcError error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }
}
