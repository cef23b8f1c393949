package io.gonkanode.chainsim.tx;

import com.google.protobuf.Any;
import io.gonkanode.protocol.crypto.Addresses;
import io.gonkanode.protocol.tx.TxEnvelope;
import io.gonkanode.protocol.proto.cosmos.AuthInfo;
import io.gonkanode.protocol.proto.cosmos.SignDoc;
import io.gonkanode.protocol.proto.cosmos.TxBody;


/**
 * A decoded transaction: its bytes and hash, body, auth info, the one signature and the signer's key.
 * Only what a Gonka host sends is accepted by {@link TxDecoder}: one signer with a secp256k1 key.
 */
public record Tx(byte[] raw, TxBody body, byte[] bodyBytes, AuthInfo authInfo, byte[] authInfoBytes, byte[] signature,
                 byte[] signerKey) {

    /** CometBFT's tx hash: upper-case hex of SHA-256 over the raw bytes. */
    public String hash() {
        return hash(raw);
    }

    public static String hash(byte[] raw) {
        return TxEnvelope.hash(raw);
    }

    public String signerAddress() {
        return Addresses.of(signerKey);
    }

    /** The bytes the signer signed (SIGN_MODE_DIRECT). */
    public byte[] signBytes(String chainId, long accountNumber) {
        return SignDoc.newBuilder().setBodyBytes(com.google.protobuf.ByteString.copyFrom(bodyBytes))
                .setAuthInfoBytes(com.google.protobuf.ByteString.copyFrom(authInfoBytes)).setChainId(chainId)
                .setAccountNumber(accountNumber).build().toByteArray();
    }

    public java.util.List<Any> messages() {
        return body.getMessagesList();
    }
}
