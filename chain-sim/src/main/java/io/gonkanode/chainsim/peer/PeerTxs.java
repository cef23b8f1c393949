package io.gonkanode.chainsim.peer;

import com.google.protobuf.Message;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.tx.TxEnvelope;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A peer's transactions, built as a host's network node builds them ({@link TxEnvelope}): a timeout a minute
 * after the latest block, unique per tx through its nanoseconds, the first attempt's gas.
 */
final class PeerTxs {

    private final PeerKeys keys;
    private final SigningKey warm;
    private final AtomicLong nanos = new AtomicLong();

    PeerTxs(PeerKeys keys) {
        this.keys = keys;
        this.warm = SigningKey.of(keys.warmPrivate());
    }

    byte[] build(String typeUrl, Message inner, String chainId, long warmAccountNumber, Instant latestBlockTime, long minGasPrice) {
        Instant timeout = Instant.ofEpochSecond(latestBlockTime.getEpochSecond() + 60, nanos.incrementAndGet() % 1_000_000_000L);
        return TxEnvelope.sign(List.of(TxEnvelope.any(typeUrl, inner)),
                new TxEnvelope.Params(warm, keys.coldAddress(), chainId, warmAccountNumber, timeout, 0, minGasPrice));
    }
}
