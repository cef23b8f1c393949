package io.gonkanode.chainsim.tx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.gonkanode.protocol.proto.cosmos.AuthInfo;
import io.gonkanode.protocol.proto.cosmos.PubKey;
import io.gonkanode.protocol.proto.cosmos.SignerInfo;
import io.gonkanode.protocol.proto.cosmos.TxBody;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a TxRaw as the SDK's decoder does: fields in ascending order (ADR-027), no field it does not know
 * (every unknown field of a tx counts as critical here), then body and auth info; one signer with a
 * secp256k1 public key and one 64-byte signature.
 */
public final class TxDecoder {

    /** CometBFT's default max_tx_bytes. */
    public static final int MAX_TX_BYTES = 1024 * 1024;
    static final String SECP256K1_PUBKEY = "/cosmos.crypto.secp256k1.PubKey";

    private TxDecoder() {
    }

    public static Tx decode(byte[] raw) throws TxRejected {
        if (raw == null || raw.length == 0) {
            throw TxRejected.decode("empty tx");
        }
        if (raw.length > MAX_TX_BYTES) {
            throw TxRejected.tooLarge("tx size " + raw.length + " exceeds max " + MAX_TX_BYTES);
        }
        byte[] bodyBytes = null;
        byte[] authBytes = null;
        List<byte[]> signatures = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(raw);
            int last = 0;
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                int field = WireFormat.getTagFieldNumber(tag);
                if (field < last || (field == last && field != 3)) {
                    throw TxRejected.decode("tx raw fields are not in ascending order (ADR-027)");
                }
                last = field;
                if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    throw TxRejected.decode("tx raw field " + field + " has the wrong wire type");
                }
                switch (field) {
                    case 1 -> bodyBytes = in.readByteArray();
                    case 2 -> authBytes = in.readByteArray();
                    case 3 -> signatures.add(in.readByteArray());
                    default -> throw TxRejected.decode("unknown field " + field + " in TxRaw");
                }
            }
        } catch (IOException e) {
            throw TxRejected.decode("malformed TxRaw: " + e.getMessage());
        }
        if (bodyBytes == null || authBytes == null) {
            throw TxRejected.decode("TxRaw without body or auth info");
        }
        TxBody body = parse(bodyBytes, TxBody.parser(), "body");
        AuthInfo auth = parse(authBytes, AuthInfo.parser(), "auth info");
        if (signatures.isEmpty()) {
            throw TxRejected.sdk(15, "", "no signatures supplied");
        }
        if (auth.getSignerInfosCount() != 1 || signatures.size() != 1) {
            throw TxRejected.unauthorized("wrong number of signers; expected 1, got " + auth.getSignerInfosCount()
                    + " signer infos and " + signatures.size() + " signatures");
        }
        SignerInfo signer = auth.getSignerInfos(0);
        if (!signer.hasPublicKey() || !SECP256K1_PUBKEY.equals(signer.getPublicKey().getTypeUrl())) {
            throw TxRejected.sdk(8, "signer public key " + signer.getPublicKey().getTypeUrl(), "invalid pubkey");
        }
        PubKey key = parse(signer.getPublicKey().getValue().toByteArray(), PubKey.parser(), "public key");
        if (key.getKey().size() != 33) {
            throw TxRejected.sdk(8, "secp256k1 keys are 33 bytes, got " + key.getKey().size(), "invalid pubkey");
        }
        return new Tx(raw, body, bodyBytes, auth, authBytes, signatures.get(0), key.getKey().toByteArray());
    }

    static <T extends Message> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser, String what) throws TxRejected {
        try {
            T message = parser.parseFrom(bytes);
            if (hasUnknownFields(message)) {
                throw TxRejected.decode("unknown field in " + what);
            }
            return message;
        } catch (InvalidProtocolBufferException e) {
            throw TxRejected.decode("malformed " + what + ": " + e.getMessage());
        }
    }

    private static boolean hasUnknownFields(Message m) {
        if (!m.getUnknownFields().asMap().isEmpty()) {
            return true;
        }
        for (Object value : m.getAllFields().values()) {
            if (value instanceof Message child && hasUnknownFields(child)) {
                return true;
            }
            if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof Message child && hasUnknownFields(child)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
