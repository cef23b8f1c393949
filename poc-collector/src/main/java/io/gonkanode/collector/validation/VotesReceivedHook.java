package io.gonkanode.collector.validation;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.gonkanode.collector.account.Account;
import io.gonkanode.collector.chain.BlockHook;
import io.gonkanode.protocol.proto.cosmos.MsgExec;
import io.gonkanode.protocol.proto.cosmos.TxBody;
import io.gonkanode.protocol.proto.cosmos.TxRaw;
import io.gonkanode.protocol.proto.inference.MsgSubmitPocValidationsV2;
import io.gonkanode.protocol.proto.inference.PoCValidationEntryV2;
import io.gonkanode.protocol.tx.TypeUrls;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The votes this host's commitments received, as the blocks carry them: every {@code MsgSubmitPocValidationsV2} (bare
 * or inside a {@code MsgExec}) with an entry for this host's account is kept, the first vote of each validator per
 * stage and model, as the chain counts them. The chain has no query for them; operators want to know who voted −1.
 * Which txs failed is not known here (their results are in {@code block_results}), so a vote is recorded as sent.
 */
@ApplicationScoped
public class VotesReceivedHook implements BlockHook {

    private final Optional<Account> account;

    public VotesReceivedHook(Optional<Account> account) {
        this.account = account;
    }

    @Override
    public void onBlock(Connection c, Block b) throws SQLException {
        if (account.isEmpty() || b.txs().isEmpty()) {
            return;
        }
        for (byte[] raw : b.txs()) {
            for (MsgSubmitPocValidationsV2 m : votes(raw)) {
                for (PoCValidationEntryV2 e : m.getValidationsList()) {
                    if (!e.getParticipantAddress().equals(account.get().address())) {
                        continue;
                    }
                    try (PreparedStatement ps = c.prepareStatement("insert into poc.vote_received (stage_height, validator, model_id, weight, "
                            + "height) values (?, ?, ?, ?, ?) on conflict do nothing")) {
                        ps.setLong(1, m.getPocStageStartBlockHeight());
                        ps.setString(2, m.getCreator());
                        ps.setString(3, e.getModelId());
                        ps.setLong(4, e.getValidatedWeight());
                        ps.setLong(5, b.height());
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    /** The validation messages of a tx; none when it is something else or not a tx at all. */
    static List<MsgSubmitPocValidationsV2> votes(byte[] raw) {
        List<MsgSubmitPocValidationsV2> out = new ArrayList<>();
        try {
            TxBody body = TxBody.parseFrom(TxRaw.parseFrom(raw).getBodyBytes());
            for (Any m : body.getMessagesList()) {
                List<Any> inner = m.getTypeUrl().equals(TypeUrls.MSG_EXEC) ? MsgExec.parseFrom(m.getValue()).getMsgsList() : List.of(m);
                for (Any i : inner) {
                    if (i.getTypeUrl().equals(TypeUrls.SUBMIT_POC_VALIDATIONS_V2)) {
                        out.add(MsgSubmitPocValidationsV2.parseFrom(i.getValue()));
                    }
                }
            }
        } catch (InvalidProtocolBufferException e) {
            return List.of();
        }
        return out;
    }
}
