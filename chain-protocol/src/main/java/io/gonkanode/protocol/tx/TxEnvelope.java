package io.gonkanode.protocol.tx;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proto.cosmos.AuthInfo;
import io.gonkanode.protocol.proto.cosmos.Coin;
import io.gonkanode.protocol.proto.cosmos.Fee;
import io.gonkanode.protocol.proto.cosmos.ModeInfo;
import io.gonkanode.protocol.proto.cosmos.MsgExec;
import io.gonkanode.protocol.proto.cosmos.PubKey;
import io.gonkanode.protocol.proto.cosmos.SignDoc;
import io.gonkanode.protocol.proto.cosmos.SignerInfo;
import io.gonkanode.protocol.proto.cosmos.TxBody;
import io.gonkanode.protocol.proto.cosmos.TxRaw;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A host's transaction as upstream's network node builds it (writes spec §2.3): the messages, whose creator is the
 * cold account, wrapped in one {@code MsgExec} for the warm key (unless the warm key is the account itself);
 * unordered with sequence 0 and the given timeout; gas from the per-message table, doubled per attempt; the fee at
 * the chain's minimum gas price, granted by the cold account; signed in SIGN_MODE_DIRECT with the warm account's
 * number.
 */
public final class TxEnvelope {

    public static final String PUB_KEY_TYPE = "/cosmos.crypto.secp256k1.PubKey";
    public static final String FEE_DENOM = "ngonka";

    /** Everything of a tx but its messages: who signs, for which account, on which chain, until when. */
    public record Params(SigningKey signer, String accountAddress, String chainId, long signerAccountNumber, Instant timeout,
                         int attempt, long minGasPriceNgonka) {
    }

    private TxEnvelope() {
    }

    public static Any any(String typeUrl, Message message) {
        return Any.newBuilder().setTypeUrl(typeUrl).setValue(message.toByteString()).build();
    }

    /** The signed TxRaw bytes of {@code inner}, ready for {@code broadcast_tx_sync}. */
    public static byte[] sign(List<Any> inner, Params p) {
        boolean authz = !p.signer().address().equals(p.accountAddress());
        List<Any> messages = authz
                ? List.of(any(TypeUrls.MSG_EXEC, MsgExec.newBuilder().setGrantee(p.signer().address()).addAllMsgs(inner).build()))
                : inner;
        TxBody body = TxBody.newBuilder().addAllMessages(messages).setUnordered(true)
                .setTimeoutTimestamp(Timestamp.newBuilder().setSeconds(p.timeout().getEpochSecond()).setNanos(p.timeout().getNano()))
                .build();
        long gas = GasTable.required(inner, p.attempt());
        Fee.Builder fee = Fee.newBuilder().setGasLimit(gas);
        if (p.minGasPriceNgonka() > 0) {
            fee.addAmount(Coin.newBuilder().setDenom(FEE_DENOM).setAmount(Long.toString(gas * p.minGasPriceNgonka())));
        }
        if (authz) {
            fee.setGranter(p.accountAddress());
        }
        AuthInfo auth = AuthInfo.newBuilder().addSignerInfos(SignerInfo.newBuilder()
                        .setPublicKey(any(PUB_KEY_TYPE, PubKey.newBuilder().setKey(ByteString.copyFrom(p.signer().publicKey())).build()))
                        .setModeInfo(ModeInfo.newBuilder().setSingle(ModeInfo.Single.newBuilder().setMode(1))))
                .setFee(fee).build();
        ByteString bodyBytes = body.toByteString();
        ByteString authBytes = auth.toByteString();
        byte[] signDoc = SignDoc.newBuilder().setBodyBytes(bodyBytes).setAuthInfoBytes(authBytes).setChainId(p.chainId())
                .setAccountNumber(p.signerAccountNumber()).build().toByteArray();
        return TxRaw.newBuilder().setBodyBytes(bodyBytes).setAuthInfoBytes(authBytes)
                .addSignatures(ByteString.copyFrom(p.signer().sign(signDoc))).build().toByteArray();
    }

    /** CometBFT's tx hash: upper-case hex of SHA-256 over the raw bytes. */
    public static String hash(byte[] raw) {
        return HexFormat.of().formatHex(Hashes.sha256(raw)).toUpperCase(Locale.ROOT);
    }
}
