package io.gonkanode.chainsim.conformance;

import io.restassured.path.json.JsonPath;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The host under test as the conformance tests play it: the keys of writes spec §10.4, its transactions built with
 * the test's own encoder and signer (one MsgExec for the warm key, unordered, fee granted by the cold account), and
 * the chain reads it needs.
 */
final class HostClient {

    static final String COLD_PUB = "ApDb0QnGLZ+VGSd+vGDaN7TXZ2ls+ltynVD/rjzJSw4b";
    static final String WARM_PUB = "AsBOnSohITPCUJohtgM+H01wMIFr0fHsxHjDEQaEgjxH";
    static final String COLD = "gonka16wrtv3esfd6m96l7gdv92a70jq7vj4l04x7dkw";
    static final String WARM = "gonka1uthn3cr5nq3y5m8aytaz5ssvrgnfwnvm6avqvr";
    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    private final String chainId;
    private long timeoutNanos = 123;

    HostClient(String chainId) {
        this.chainId = chainId;
    }

    static byte[] warmKey() throws Exception {
        return Signer.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII));
    }

    static long accountNumber(String address) {
        byte[] response = Rpc.query("/cosmos.auth.v1beta1.Query/Account", Proto.message().string(1, address).build());
        byte[] any = Proto.first(response, 1).bytes();
        byte[] account = Proto.first(any, 2).bytes();
        return Proto.first(account, 3).varint();
    }

    byte[] tx(String typeUrl, byte[] inner, long gas) throws Exception {
        return tx(typeUrl, inner, gas, chainId);
    }

    /** A host's tx: one MsgExec (grantee = warm) around {@code inner}, unordered, fee granted by the cold account. */
    byte[] tx(String typeUrl, byte[] inner, long gas, String signedChainId) throws Exception {
        byte[] exec = Proto.message().string(1, WARM).any(2, typeUrl, inner).build();
        long blockTime = java.time.Instant.parse(latestBlockTime()).getEpochSecond();
        timeoutNanos++;
        byte[] body = Proto.message().any(1, "/cosmos.authz.v1beta1.MsgExec", exec).varint(4, 1)
                .message(5, Proto.message().varint(1, blockTime + 60).varint(2, timeoutNanos)).build();
        byte[] pubKey = Proto.message().bytes(1, Signer.publicKey(warmKey())).build();
        byte[] auth = Proto.message().message(1, Proto.message().any(1, "/cosmos.crypto.secp256k1.PubKey", pubKey)
                        .message(2, Proto.message().message(1, Proto.message().varint(1, 1))))
                .message(2, Proto.message().varint(2, gas).string(4, COLD)).build();
        byte[] signDoc = Proto.message().bytes(1, body).bytes(2, auth).string(3, signedChainId).varint(4, accountNumber(WARM)).build();
        return Proto.message().bytes(1, body).bytes(2, auth).bytes(3, Signer.sign(warmKey(), signDoc)).build();
    }

    static String latestBlockTime() {
        return Rpc.call("status", Map.of()).getString("result.sync_info.latest_block_time");
    }

    static long[] latestEpoch() {
        byte[] info = Rpc.query("/inference.inference.Query/EpochInfo", new byte[0]);
        Proto.Field epoch = Proto.first(info, 3);
        if (epoch == null) {
            return new long[] {0, 0};
        }
        Proto.Field index = Proto.first(epoch.bytes(), 1);
        Proto.Field start = Proto.first(epoch.bytes(), 2);
        return new long[] {index == null ? 0 : index.varint(), start == null ? 0 : start.varint()};
    }

    static long currentEpoch() {
        Proto.Field f = Proto.first(Rpc.query("/inference.inference.Query/GetCurrentEpoch", new byte[0]), 1);
        return f == null ? 0 : f.varint();
    }

    /** Broadcasts, makes one block and finds the tx in it. */
    static JsonPath include(byte[] tx) {
        JsonPath sent = Rpc.broadcast(tx);
        assertEquals(0, sent.getInt("result.code"), sent.getString("result.log"));
        Rpc.blocks(1);
        String hash = sent.getString("result.hash");
        JsonPath found = Rpc.call("tx", Map.of("hash", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hash)), "prove", false));
        assertEquals(Rpc.height(), found.getLong("result.height"));
        return found;
    }

    static byte[] seed(long epoch, String signatureHex) {
        return Proto.message().string(1, COLD).varint(2, epoch).string(3, signatureHex).build();
    }

    static byte[] commit(long stage, long count, byte[] root) {
        return Proto.message().string(1, COLD).varint(2, stage)
                .message(5, Proto.message().string(1, MODEL).varint(2, count).bytes(3, root)).build();
    }

    static byte[] distribution(long stage, long first, long second) {
        Proto entry = Proto.message().string(1, MODEL).message(2, Proto.message().string(1, "node-1").varint(2, first));
        if (second > 0) {
            entry.message(2, Proto.message().string(1, "node-2").varint(2, second));
        }
        return Proto.message().string(1, COLD).varint(2, stage).message(4, entry).build();
    }

    static byte[] vote(long stage, String participant, long weight) {
        return Proto.message().string(1, COLD).varint(2, stage).message(3, Proto.message().string(1, participant).varint(2, weight)
                .string(3, MODEL)).build();
    }
}
