package io.gonkanode.chainsim.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.chainsim.state.Block;
import io.gonkanode.chainsim.state.TxResult;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CometBFT 0.38's JSON shapes: int64 values as strings, hashes as upper-case hex, byte strings as base64,
 * times as RFC 3339 with nanoseconds.
 */
public final class CometJson {

    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    private CometJson() {
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b).toUpperCase(Locale.ROOT);
    }

    public static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    public static String time(Instant t) {
        return TIME.format(t);
    }

    public static ObjectNode blockId(byte[] hash) {
        ObjectNode id = F.objectNode();
        id.put("hash", hex(hash));
        ObjectNode parts = id.putObject("parts");
        parts.put("total", 1);
        parts.put("hash", hex(Hashes.sha256(hash)));
        return id;
    }

    public static ObjectNode header(Block b, String chainId, byte[] validatorsHash, byte[] proposer) {
        ObjectNode h = F.objectNode();
        ObjectNode version = h.putObject("version");
        version.put("block", "11");
        version.put("app", "0");
        h.put("chain_id", chainId);
        h.put("height", Long.toString(b.height()));
        h.put("time", time(b.time()));
        h.set("last_block_id", b.height() == 1 ? emptyBlockId() : blockId(b.lastBlockHash()));
        h.put("last_commit_hash", hex(Hashes.sha256(b.lastBlockHash())));
        h.put("data_hash", hex(b.dataHash()));
        h.put("validators_hash", hex(validatorsHash));
        h.put("next_validators_hash", hex(validatorsHash));
        h.put("consensus_hash", hex(Hashes.sha256(chainId.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        h.put("app_hash", hex(b.appHash()));
        h.put("last_results_hash", hex(Hashes.sha256(b.dataHash(), b.appHash())));
        h.put("evidence_hash", hex(Hashes.sha256(new byte[0])));
        h.put("proposer_address", hex(proposer));
        return h;
    }

    static ObjectNode emptyBlockId() {
        ObjectNode id = F.objectNode();
        id.put("hash", "");
        ObjectNode parts = id.putObject("parts");
        parts.put("total", 0);
        parts.put("hash", "");
        return id;
    }

    /** {@code {"block_id": ..., "block": {header, data, evidence, last_commit}}}. */
    public static ObjectNode block(Block b, String chainId, byte[] validatorsHash, byte[] proposer) {
        ObjectNode out = F.objectNode();
        out.set("block_id", blockId(b.hash()));
        ObjectNode block = out.putObject("block");
        block.set("header", header(b, chainId, validatorsHash, proposer));
        ArrayNode txs = block.putObject("data").putArray("txs");
        b.txs().forEach(tx -> txs.add(b64(tx)));
        block.putObject("evidence").putArray("evidence");
        ObjectNode commit = block.putObject("last_commit");
        commit.put("height", Long.toString(Math.max(0, b.height() - 1)));
        commit.put("round", 0);
        commit.set("block_id", b.height() == 1 ? emptyBlockId() : blockId(b.lastBlockHash()));
        ArrayNode sigs = commit.putArray("signatures");
        if (b.height() > 1) {
            ObjectNode sig = sigs.addObject();
            sig.put("block_id_flag", 2);
            sig.put("validator_address", hex(proposer));
            sig.put("timestamp", time(b.time()));
            sig.put("signature", b64(Hashes.sha256(b.lastBlockHash(), proposer)));
        }
        return out;
    }

    public static ObjectNode txResult(TxResult r) {
        ObjectNode o = F.objectNode();
        o.put("code", r.code());
        o.put("data", r.code() == 0 ? "EgA=" : "");
        o.put("log", r.log());
        o.put("info", "");
        o.put("gas_wanted", Long.toString(r.gasWanted()));
        o.put("gas_used", Long.toString(r.gasUsed()));
        o.set("events", events(r.events()));
        o.put("codespace", r.codespace());
        return o;
    }

    static ArrayNode events(List<TxResult.Event> events) {
        ArrayNode out = F.arrayNode();
        for (TxResult.Event e : events) {
            ObjectNode ev = out.addObject();
            ev.put("type", e.type());
            ArrayNode attrs = ev.putArray("attributes");
            for (Map.Entry<String, String> a : e.attributes()) {
                ObjectNode attr = attrs.addObject();
                attr.put("key", a.getKey());
                attr.put("value", a.getValue());
                attr.put("index", true);
            }
        }
        return out;
    }

    /** {@code block_results}: the txs' results (null when none, as CometBFT prints it). */
    public static ObjectNode blockResults(Block b) {
        ObjectNode o = F.objectNode();
        o.put("height", Long.toString(b.height()));
        if (b.results().isEmpty()) {
            o.putNull("txs_results");
        } else {
            ArrayNode results = o.putArray("txs_results");
            b.results().forEach(r -> results.add(txResult(r)));
        }
        o.putArray("finalize_block_events");
        o.putNull("validator_updates");
        o.putNull("consensus_param_updates");
        o.put("app_hash", b64(b.appHash()));
        return o;
    }
}
