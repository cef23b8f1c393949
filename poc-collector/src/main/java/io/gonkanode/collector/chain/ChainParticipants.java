package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.collector.proto.ActiveParticipant;
import io.gonkanode.collector.proto.ActiveParticipants;
import io.gonkanode.collector.proto.ExcludedParticipant;
import io.gonkanode.collector.proto.QueryExcludedParticipantsRequest;
import io.gonkanode.collector.proto.QueryExcludedParticipantsResponse;
import io.gonkanode.collector.proto.QueryGetCurrentEpochResponse;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An epoch's active participants as the chain wrote them, in upstream's {@code /v1/epochs/{n}/participants} shape
 * (reads §3.7): the raw {@code ActiveParticipants} value read from the {@code inference} store, again with its
 * proof at {@code created_at_block_height}, the block after it (whose app hash commits that state), the validator
 * set at that height and the epoch's excluded participants. A record never changes once written, so the last
 * few answers are kept.
 */
@ApplicationScoped
public class ChainParticipants {

    static final byte[] KEY_PREFIX = "ActiveParticipants/value/".getBytes(StandardCharsets.US_ASCII);
    static final String STORE = "store/inference/key";
    private static final int CACHED = 8;

    private final BlockFollower chain;
    private final Map<Long, ObjectNode> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ObjectNode> eldest) {
            return size() > CACHED;
        }
    };

    public ChainParticipants(BlockFollower chain) {
        this.chain = chain;
    }

    /** The raw store key of an epoch's record: {@code "ActiveParticipants/value/" ‖ BE64(epoch) ‖ "/"}. */
    static byte[] key(long epoch) {
        return ByteBuffer.allocate(KEY_PREFIX.length + 9).put(KEY_PREFIX).putLong(epoch).put((byte) '/').array();
    }

    /** The CometBFT validator address of a consensus key: upper-case hex of SHA-256's first 20 bytes. */
    static String validatorAddress(String base64Key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64Key));
            return HexFormat.of().withUpperCase().formatHex(digest, 0, 20);
        } catch (NoSuchAlgorithmException | IllegalArgumentException e) {
            return "";
        }
    }

    /** The epoch in force ({@code GetCurrentEpoch}), as upstream resolves {@code current}. */
    public long currentEpoch() throws IOException, InterruptedException {
        return QueryGetCurrentEpochResponse.parseFrom(rpc().query("/inference.inference.Query/GetCurrentEpoch", new byte[0])).getEpoch();
    }

    /** The epoch's record with its proof and context, or empty when the chain has none (no PoC result for it). */
    public Optional<ObjectNode> of(long epoch) throws IOException, InterruptedException {
        synchronized (cache) {
            ObjectNode hit = cache.get(epoch);
            if (hit != null) {
                return Optional.of(hit);
            }
        }
        ChainRpc rpc = rpc();
        byte[] key = key(epoch);
        byte[] raw = rpc.query(STORE, key, 0, false).value();
        if (raw.length == 0) {
            return Optional.empty();
        }
        ActiveParticipants active = ActiveParticipants.parseFrom(raw);
        long created = active.getCreatedAtBlockHeight();
        JsonNode proofOps = rpc.query(STORE, key, created, true).proofOps();
        rpc.blockJson(created); // must exist, as upstream requires; the next block's header commits its state
        JsonNode block = nextBlock(rpc, created);
        JsonNode validators = rpc.validators(created);

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode out = f.objectNode();
        out.set("active_participants", GoJson.of(active));
        ArrayNode addresses = out.putArray("addresses");
        for (ActiveParticipant p : active.getParticipantsList()) {
            addresses.add(validatorAddress(p.getValidatorKey()));
        }
        out.put("active_participants_bytes", HexFormat.of().formatHex(raw));
        out.set("proof_ops", proofOps == null ? f.nullNode() : proofOps);
        out.set("validators", GoJson.cometValidators(validators));
        out.set("block", block == null ? f.nullNode() : GoJson.cometBlock(block));
        ArrayNode excluded = out.putArray("excluded_participants");
        for (ExcludedParticipant e : excluded(rpc, epoch)) {
            excluded.addObject().put("address", e.getAddress()).put("reason", e.getReason())
                    .put("exclusion_block_height", e.getExclusionBlockHeight());
        }
        if (block != null) { // asked again once the chain has made the next block
            synchronized (cache) {
                cache.put(epoch, out);
            }
        }
        return Optional.of(out);
    }

    /**
     * The block after the record's, or null while the chain has not made it yet: the record is readable from the block
     * that wrote it, one block before the header committing its state exists. Upstream answers {@code "block": null}
     * then too, rather than an error.
     */
    private static JsonNode nextBlock(ChainRpc rpc, long created) throws IOException, InterruptedException {
        try {
            return rpc.blockJson(created + 1);
        } catch (ChainRpc.ChainError e) {
            Log.debugf("block %d after the participants record: %s", created + 1, e.getMessage());
            return null;
        }
    }

    /** The epoch's exclusions; none when the query fails (as upstream: the list is informative). */
    private static java.util.List<ExcludedParticipant> excluded(ChainRpc rpc, long epoch) throws InterruptedException {
        try {
            return QueryExcludedParticipantsResponse.parseFrom(rpc.query("/inference.inference.Query/ExcludedParticipants",
                    QueryExcludedParticipantsRequest.newBuilder().setEpochIndex(epoch).build().toByteArray())).getItemsList();
        } catch (IOException e) {
            Log.debugf("excluded participants of epoch %d: %s", epoch, e.getMessage());
            return java.util.List.of();
        }
    }

    private ChainRpc rpc() throws IOException {
        return chain.rpc().orElseThrow(() -> new IOException("not connected to the chain node yet"));
    }
}
