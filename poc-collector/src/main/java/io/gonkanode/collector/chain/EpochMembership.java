package io.gonkanode.collector.chain;

import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataRequest;
import io.gonkanode.collector.proto.QueryGetEpochGroupDataResponse;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether this host is a member of an epoch's group (some {@code validation_weights[].member_address} of
 * {@code EpochGroupData(epoch, "")} is its address), which gates confirmation PoC as upstream's epoch group cache
 * does. A membership found is kept; an absence is asked again after a few seconds (the group may gain weight).
 */
@ApplicationScoped
public class EpochMembership {

    private static final long RECHECK_NANOS = 5_000_000_000L;

    private final BlockFollower chain;
    private final Optional<Account> account;
    private final Map<Long, Long> members = new ConcurrentHashMap<>();
    private final Map<Long, Long> absentSince = new ConcurrentHashMap<>();

    public EpochMembership(BlockFollower chain, Optional<Account> account) {
        this.chain = chain;
        this.account = account;
    }

    public boolean member(long epoch) {
        if (members.containsKey(epoch)) {
            return true;
        }
        Long checked = absentSince.get(epoch);
        if (checked != null && System.nanoTime() - checked < RECHECK_NANOS) {
            return false;
        }
        boolean member = account.isPresent() && chain.rpc().map(rpc -> ask(rpc, epoch, account.get().address())).orElse(false);
        if (member) {
            members.put(epoch, epoch);
            members.keySet().removeIf(e -> e < epoch - 2);
        } else {
            absentSince.put(epoch, System.nanoTime());
            absentSince.keySet().removeIf(e -> e < epoch - 2);
        }
        return member;
    }

    private static boolean ask(ChainRpc rpc, long epoch, String address) {
        try {
            var group = QueryGetEpochGroupDataResponse.parseFrom(rpc.query("/inference.inference.Query/EpochGroupData",
                    QueryGetEpochGroupDataRequest.newBuilder().setEpochIndex(epoch).build().toByteArray())).getEpochGroupData();
            return group.getValidationWeightsList().stream().anyMatch(w -> w.getMemberAddress().equals(address));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
