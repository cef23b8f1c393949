package io.gonkanode.chainsim.node;

import com.google.protobuf.Any;
import io.gonkanode.chainsim.module.Messages;
import io.gonkanode.chainsim.state.ChainState;
import io.gonkanode.chainsim.state.TxResult;
import io.gonkanode.chainsim.tx.Tx;
import io.gonkanode.chainsim.tx.TxRejected;
import io.gonkanode.chainsim.tx.TxVerifier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** DeliverTx: the ante checks again (the state may have moved since CheckTx), then every message, all or nothing. */
final class Delivery {

    private Delivery() {
    }

    static TxResult deliver(ChainState s, Tx tx, long height) {
        long gasWanted = tx.authInfo().getFee().getGasLimit();
        try {
            TxVerifier.Checked checked = TxVerifier.check(tx, s);
            Messages messages = new Messages(s.inference(), height);
            List<Messages.Effect> effects = new ArrayList<>();
            for (Any m : checked.messages()) {
                effects.add(messages.check(m));
            }
            List<TxResult.Event> events = new ArrayList<>();
            events.add(new TxResult.Event("tx", List.of(Map.entry("acc_seq", checked.signer() + "/" + s.sequence(checked.signer())),
                    Map.entry("fee_payer", tx.authInfo().getFee().getGranter().isEmpty() ? checked.signer()
                            : tx.authInfo().getFee().getGranter()))));
            for (Any m : checked.messages()) {
                events.add(new TxResult.Event("message", List.of(Map.entry("action", m.getTypeUrl()),
                        Map.entry("sender", checked.creator()), Map.entry("module", "inference"))));
            }
            for (Messages.Effect e : effects) {
                events.add(e.apply());
            }
            if (checked.unorderedTimeout() != null) {
                s.accounts().rememberUnordered(checked.signer(), checked.unorderedTimeout());
            } else {
                s.accounts().get(checked.signer()).ifPresent(a -> a.sequence++);
            }
            s.accounts().get(checked.signer()).filter(a -> a.publicKey == null).ifPresent(a -> a.publicKey = tx.signerKey());
            return new TxResult(0, "", "", gasWanted, Math.min(gasWanted, checked.gasWanted()), events);
        } catch (TxRejected e) {
            return TxResult.failed(e.code(), e.codespace(), e.log(), gasWanted);
        }
    }
}
