package io.gonkanode.chainsim.peer;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.gonkanode.chainsim.crypto.Secp256k1;
import io.gonkanode.chainsim.proto.cosmos.AuthInfo;
import io.gonkanode.chainsim.proto.cosmos.Coin;
import io.gonkanode.chainsim.proto.cosmos.Fee;
import io.gonkanode.chainsim.proto.cosmos.ModeInfo;
import io.gonkanode.chainsim.proto.cosmos.MsgExec;
import io.gonkanode.chainsim.proto.cosmos.PubKey;
import io.gonkanode.chainsim.proto.cosmos.SignDoc;
import io.gonkanode.chainsim.proto.cosmos.SignerInfo;
import io.gonkanode.chainsim.proto.cosmos.TxBody;
import io.gonkanode.chainsim.proto.cosmos.TxRaw;
import io.gonkanode.chainsim.tx.GasTable;
import io.gonkanode.chainsim.tx.TypeUrls;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's transactions, built as a host's network node builds them (writes spec §2.3): the message wrapped in one
 * {@code MsgExec} for the warm key, unordered with sequence 0 and a timeout a minute after the latest block
 * (unique per tx), gas from the per-message table, the fee paid at the minimum gas price and granted by the cold
 * account, signed in SIGN_MODE_DIRECT with the warm account's number.
 */
final class PeerTxs {

    private final PeerKeys keys;
    private final AtomicLong nanos = new AtomicLong();

    PeerTxs(PeerKeys keys) {
        this.keys = keys;
    }

    byte[] build(String typeUrl, Message inner, String chainId, long warmAccountNumber, Instant latestBlockTime, long minGasPrice) {
        Any message = Any.newBuilder().setTypeUrl(typeUrl).setValue(inner.toByteString()).build();
        Any exec = Any.newBuilder().setTypeUrl(TypeUrls.MSG_EXEC)
                .setValue(MsgExec.newBuilder().setGrantee(keys.warmAddress()).addMsgs(message).build().toByteString()).build();
        long unique = nanos.incrementAndGet() % 1_000_000_000L;
        TxBody body = TxBody.newBuilder().addMessages(exec).setUnordered(true)
                .setTimeoutTimestamp(Timestamp.newBuilder().setSeconds(latestBlockTime.getEpochSecond() + 60).setNanos((int) unique)).build();
        long gas = GasTable.required(java.util.List.of(message));
        Fee.Builder fee = Fee.newBuilder().setGasLimit(gas).setGranter(keys.coldAddress());
        if (minGasPrice > 0) {
            fee.addAmount(Coin.newBuilder().setDenom("ngonka").setAmount(Long.toString(gas * minGasPrice)));
        }
        AuthInfo auth = AuthInfo.newBuilder().addSignerInfos(SignerInfo.newBuilder()
                        .setPublicKey(Any.newBuilder().setTypeUrl("/cosmos.crypto.secp256k1.PubKey")
                                .setValue(PubKey.newBuilder().setKey(ByteString.copyFrom(keys.warmPublic())).build().toByteString()))
                        .setModeInfo(ModeInfo.newBuilder().setSingle(ModeInfo.Single.newBuilder().setMode(1))).setSequence(0))
                .setFee(fee).build();
        ByteString bodyBytes = body.toByteString();
        ByteString authBytes = auth.toByteString();
        byte[] signDoc = SignDoc.newBuilder().setBodyBytes(bodyBytes).setAuthInfoBytes(authBytes).setChainId(chainId)
                .setAccountNumber(warmAccountNumber).build().toByteArray();
        return TxRaw.newBuilder().setBodyBytes(bodyBytes).setAuthInfoBytes(authBytes)
                .addSignatures(ByteString.copyFrom(Secp256k1.sign(keys.warmPrivate(), signDoc))).build().toByteArray();
    }
}
