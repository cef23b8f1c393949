package io.gonkanode.chainsim.rpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.chainsim.query.QueryError;
import io.gonkanode.chainsim.state.ChainState;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Raw key-value reads ({@code abci_query} with path {@code store/inference/key}, reads spec §3.7): the
 * ActiveParticipants record of an epoch under {@code "ActiveParticipants/value/" ‖ BE64(epoch) ‖ "/"}.
 * An absent key answers an empty value. Proof ops have upstream's shape (ics23:iavl, then ics23:simple with
 * key "inference"); they do not verify against the app hash.
 */
final class StoreQueries {

    static final byte[] PREFIX = "ActiveParticipants/value/".getBytes(StandardCharsets.US_ASCII);

    private StoreQueries() {
    }

    static byte[] get(String path, byte[] key, ChainState state) throws QueryError {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (!p.equals("store/inference/key")) {
            throw new QueryError(6, "sdk", "no such store: " + path + ": unknown request");
        }
        if (key.length == PREFIX.length + 9 && Arrays.equals(Arrays.copyOf(key, PREFIX.length), PREFIX) && key[key.length - 1] == '/') {
            long epoch = ByteBuffer.wrap(key, PREFIX.length, 8).getLong();
            return state.read(s -> s.inference().activeParticipants.getOrDefault(epoch, new byte[0]));
        }
        return new byte[0];
    }

    static ObjectNode proofOps(byte[] key, byte[] value) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode ops = f.objectNode();
        ArrayNode list = ops.putArray("ops");
        ObjectNode iavl = list.addObject();
        iavl.put("type", "ics23:iavl");
        iavl.put("key", CometJson.b64(key));
        iavl.put("data", CometJson.b64(Hashes.sha256(key, value)));
        ObjectNode simple = list.addObject();
        simple.put("type", "ics23:simple");
        simple.put("key", CometJson.b64("inference".getBytes(StandardCharsets.US_ASCII)));
        simple.put("data", CometJson.b64(Hashes.sha256("inference".getBytes(StandardCharsets.US_ASCII), Hashes.sha256(key, value))));
        return ops;
    }
}
