package io.gonkanode.chainsim.state;

import java.util.List;
import java.util.Map;

/** The outcome of a transaction in a block (CometBFT's ExecTxResult). */
public record TxResult(int code, String codespace, String log, long gasWanted, long gasUsed, List<Event> events) {

    /** An ABCI event: a type and its attributes, in order. */
    public record Event(String type, List<Map.Entry<String, String>> attributes) {
    }

    public static TxResult failed(int code, String codespace, String log, long gasWanted) {
        return new TxResult(code, codespace, log, gasWanted, 0, List.of());
    }
}
