package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.gonkanode.collector.proto.PageRequest;
import io.gonkanode.collector.proto.PartialUpgrade;
import io.gonkanode.collector.proto.QueryAllPartialUpgradeRequest;
import io.gonkanode.collector.proto.QueryAllPartialUpgradeResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MLNode version upgrade the chain has scheduled, as upstream's api takes it from {@code PartialUpgradeAll} (chain
 * reads §3.3): entries in the chain's order, each one with API binaries in {@code api_binaries_json} (and that JSON's
 * {@code node_version}) or else a non-empty {@code node_version} replacing the plan before it. A plan without a node
 * version is no MLNode upgrade.
 */
public final class UpgradePlans {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An MLNode upgrade: at {@code height} the ML nodes' API version becomes {@code nodeVersion}. */
    public record Plan(String name, long height, String nodeVersion) {
    }

    private UpgradePlans() {
    }

    /** Every partial upgrade on chain, page by page (1,000 at a time, as upstream). */
    static List<PartialUpgrade> all(ChainRpc rpc) throws IOException, InterruptedException {
        List<PartialUpgrade> out = new ArrayList<>();
        ByteString key = ByteString.EMPTY;
        for (int page = 0; page < 1000; page++) {
            QueryAllPartialUpgradeResponse r = QueryAllPartialUpgradeResponse.parseFrom(rpc.query("/inference.inference.Query/PartialUpgradeAll",
                    QueryAllPartialUpgradeRequest.newBuilder().setPagination(PageRequest.newBuilder().setKey(key).setLimit(1000)).build()
                            .toByteArray()));
            out.addAll(r.getPartialUpgradeList());
            key = r.getPagination().getNextKey();
            if (key.isEmpty()) {
                break;
            }
        }
        return out;
    }

    /** The plan these entries leave, as upstream's sequence of SetUpgradePlan calls would. */
    static Optional<Plan> of(List<PartialUpgrade> upgrades) {
        Plan plan = null;
        for (PartialUpgrade u : upgrades) {
            if (!u.getApiBinariesJson().isEmpty()) {
                JsonNode info;
                try {
                    info = JSON.readTree(u.getApiBinariesJson());
                } catch (IOException e) {
                    continue; // upstream logs it and goes on
                }
                JsonNode binaries = info == null ? null : info.path("api_binaries");
                if (binaries == null || !binaries.isObject() || binaries.isEmpty()) {
                    continue;
                }
                plan = new Plan(u.getName(), u.getHeight(), info.path("node_version").asText(""));
            } else if (!u.getNodeVersion().isEmpty()) {
                plan = new Plan(u.getName(), u.getHeight(), u.getNodeVersion());
            }
        }
        return Optional.ofNullable(plan).filter(p -> !p.nodeVersion().isEmpty());
    }
}
