package io.gonkanode.chainsim.node;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Message;
import io.gonkanode.protocol.proto.inference.MsgClaimRewards;
import io.gonkanode.protocol.proto.inference.MsgMLNodeWeightDistribution;
import io.gonkanode.protocol.proto.inference.MsgPoCV2StoreCommit;
import io.gonkanode.protocol.proto.inference.MsgSubmitHardwareDiff;
import io.gonkanode.protocol.proto.inference.MsgSubmitPocValidationsV2;
import io.gonkanode.protocol.proto.inference.MsgSubmitSeed;
import io.gonkanode.protocol.tx.TypeUrls;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** A decoded message as readable JSON text (field names as in the proto, byte strings as hex), for the tx log. */
final class MessageJson {

    private static final Map<String, com.google.protobuf.Parser<? extends Message>> PARSERS = Map.of(
            TypeUrls.SUBMIT_SEED, MsgSubmitSeed.parser(), TypeUrls.POC_V2_STORE_COMMIT, MsgPoCV2StoreCommit.parser(),
            TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION, MsgMLNodeWeightDistribution.parser(),
            TypeUrls.SUBMIT_POC_VALIDATIONS_V2, MsgSubmitPocValidationsV2.parser(), TypeUrls.CLAIM_REWARDS, MsgClaimRewards.parser(),
            TypeUrls.SUBMIT_HARDWARE_DIFF, MsgSubmitHardwareDiff.parser());

    private MessageJson() {
    }

    static String of(Any any) {
        var parser = PARSERS.get(any.getTypeUrl());
        if (parser == null) {
            return "{\"@type\":\"" + any.getTypeUrl() + "\",\"base64\":\"" + Base64.getEncoder().encodeToString(any.getValue().toByteArray()) + "\"}";
        }
        try {
            StringBuilder sb = new StringBuilder("{\"@type\":\"").append(any.getTypeUrl()).append('"');
            fields(parser.parseFrom(any.getValue()), sb, true);
            return sb.append('}').toString();
        } catch (Exception e) {
            return "{\"@type\":\"" + any.getTypeUrl() + "\",\"error\":\"undecodable\"}";
        }
    }

    private static void fields(Message m, StringBuilder sb, boolean comma) {
        boolean first = !comma;
        for (Map.Entry<Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
            sb.append(first ? "" : ",").append('"').append(f.getKey().getName()).append("\":");
            first = false;
            value(f.getValue(), sb);
        }
    }

    private static void value(Object v, StringBuilder sb) {
        if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                value(list.get(i), sb);
            }
            sb.append(']');
        } else if (v instanceof Message child) {
            sb.append('{');
            fields(child, sb, false);
            sb.append('}');
        } else if (v instanceof ByteString b) {
            sb.append('"').append(HexFormat.of().formatHex(b.toByteArray())).append('"');
        } else if (v instanceof String s) {
            sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        } else if (v instanceof Descriptors.EnumValueDescriptor e) {
            sb.append('"').append(e.getName()).append('"');
        } else {
            sb.append(v);
        }
    }
}
