package io.gonkanode.collector.proofs;

import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.collector.chain.ChainRpc;
import io.gonkanode.collector.proto.QueryAccountByAddressRequest;
import io.gonkanode.collector.proto.QueryAccountByAddressResponse;
import io.gonkanode.collector.proto.QueryGranteesByMessageTypeRequest;
import io.gonkanode.collector.proto.QueryGranteesByMessageTypeResponse;
import io.gonkanode.protocol.proofs.ProofService;
import io.gonkanode.protocol.tx.TypeUrls;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may sign proof requests for a validator (writes spec §5.2 step 5): the account itself and every grantee of
 * {@code MsgSubmitPocValidationsV2}, with their keys as the chain holds them; kept two minutes, as upstream's cache.
 * An account the chain does not know (or whose key it has not seen yet) has no signers.
 */
@ApplicationScoped
public class ProofSigners implements ProofService.Signers {

    static final Duration TTL = Duration.ofMinutes(2);
    static final int MAX_KEPT = 10_000;

    private record Entry(Map<String, byte[]> signers, long at) {
    }

    private final BlockFollower follower;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();

    public ProofSigners(BlockFollower follower) {
        this.follower = follower;
    }

    @Override
    public Optional<Map<String, byte[]>> of(String validator) {
        long now = System.nanoTime();
        Entry e = cache.get(validator);
        if (e != null && now - e.at() < TTL.toNanos()) {
            return Optional.of(e.signers());
        }
        Optional<Map<String, byte[]>> fresh = read(validator);
        fresh.ifPresent(s -> {
            if (cache.size() >= MAX_KEPT) {
                cache.clear();
            }
            cache.put(validator, new Entry(s, now));
        });
        return fresh;
    }

    private Optional<Map<String, byte[]>> read(String validator) {
        Optional<ChainRpc> rpc = follower.rpc();
        if (rpc.isEmpty()) {
            return Optional.empty();
        }
        try {
            String pubkey = QueryAccountByAddressResponse.parseFrom(rpc.get().query("/inference.inference.Query/AccountByAddress",
                    QueryAccountByAddressRequest.newBuilder().setAddress(validator).build().toByteArray())).getPubkey();
            if (pubkey.isEmpty()) {
                return Optional.empty();
            }
            Map<String, byte[]> out = new HashMap<>();
            out.put(validator, Base64.getDecoder().decode(pubkey));
            QueryGranteesByMessageTypeResponse grantees = QueryGranteesByMessageTypeResponse.parseFrom(rpc.get().query(
                    "/inference.inference.Query/GranteesByMessageType", QueryGranteesByMessageTypeRequest.newBuilder()
                            .setGranterAddress(validator).setMessageTypeUrl(TypeUrls.SUBMIT_POC_VALIDATIONS_V2).build().toByteArray()));
            grantees.getGranteesList().forEach(g -> {
                if (!g.getPubKey().isEmpty()) {
                    out.put(g.getAddress(), Base64.getDecoder().decode(g.getPubKey()));
                }
            });
            return Optional.of(out);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
