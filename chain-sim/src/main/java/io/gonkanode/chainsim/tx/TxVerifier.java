package io.gonkanode.chainsim.tx;

import io.gonkanode.protocol.tx.GasTable;
import io.gonkanode.protocol.tx.TypeUrls;
import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.gonkanode.protocol.crypto.Addresses;
import io.gonkanode.protocol.crypto.Secp256k1;
import io.gonkanode.protocol.proto.cosmos.Coin;
import io.gonkanode.protocol.proto.cosmos.Fee;
import io.gonkanode.protocol.proto.cosmos.MsgExec;
import io.gonkanode.protocol.proto.cosmos.SignerInfo;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The chain's ante checks on a host's transaction (writes spec §9, items 1-5), in the SDK's order: envelope,
 * unordered rules, gas and fee (with the cold key's fee grant), signature over SIGN_MODE_DIRECT, then the
 * authz wrapping. What each message means is checked by the module (item 6), not here.
 */
public final class TxVerifier {

    /** ADR-070: an unordered tx may not live longer than this. */
    public static final Duration MAX_UNORDERED_TTL = Duration.ofMinutes(10);

    /** The inner messages the chain knows (others cannot be unpacked). */
    static final Set<String> KNOWN = Set.of(TypeUrls.SUBMIT_SEED, TypeUrls.POC_V2_STORE_COMMIT, TypeUrls.ML_NODE_WEIGHT_DISTRIBUTION,
            TypeUrls.SUBMIT_POC_VALIDATIONS_V2, TypeUrls.CLAIM_REWARDS, TypeUrls.SUBMIT_HARDWARE_DIFF);

    /** A transaction the ante checks let through: who signed, whose account its messages act for, the messages. */
    public record Checked(Tx tx, String signer, String creator, List<Any> messages, long gasWanted, Instant unorderedTimeout) {
    }

    private TxVerifier() {
    }

    public static Checked check(Tx tx, Ledger ledger) throws TxRejected {
        var body = tx.body();
        if (body.getMessagesCount() == 0) {
            throw TxRejected.invalidRequest("must contain at least one message");
        }
        if (!body.getMemo().isEmpty() && body.getMemo().length() > 256) {
            throw TxRejected.sdk(12, "maximum number of characters is 256 but received " + body.getMemo().length() + " characters",
                    "memo too large");
        }
        if (body.getTimeoutHeight() > 0 && body.getTimeoutHeight() < ledger.height()) {
            throw TxRejected.sdk(30, "block height: " + ledger.height() + ", timeout height: " + body.getTimeoutHeight(), "tx timeout height");
        }
        String signer = tx.signerAddress();
        SignerInfo info = tx.authInfo().getSignerInfos(0);
        if (!info.getModeInfo().hasSingle() || info.getModeInfo().getSingle().getMode() != 1) {
            throw TxRejected.notSupported("only SIGN_MODE_DIRECT (1) is supported here");
        }
        Instant timeout = null;
        if (body.getUnordered()) {
            if (!body.hasTimeoutTimestamp()) {
                throw TxRejected.invalidRequest("unordered transaction must have timeout_timestamp set");
            }
            timeout = Instant.ofEpochSecond(body.getTimeoutTimestamp().getSeconds(), body.getTimeoutTimestamp().getNanos());
            if (info.getSequence() != 0) {
                throw TxRejected.invalidRequest("sequence is not allowed for unordered transactions");
            }
            if (!timeout.isAfter(ledger.blockTime())) {
                throw TxRejected.invalidRequest("unordered transaction has a timeout_timestamp that has already passed");
            }
            if (timeout.isAfter(ledger.blockTime().plus(MAX_UNORDERED_TTL))) {
                throw TxRejected.invalidRequest("unordered tx ttl exceeds " + MAX_UNORDERED_TTL.toMinutes() + "m0s");
            }
            if (ledger.unorderedSeen(signer, timeout)) {
                throw TxRejected.invalidRequest("tx is duplicated");
            }
        } else if (info.getSequence() != ledger.sequence(signer)) {
            throw TxRejected.sdk(32, "account sequence mismatch, expected " + ledger.sequence(signer) + ", got " + info.getSequence(),
                    "incorrect account sequence");
        }

        List<Any> inner = unwrap(tx, signer);
        String creator = creatorOf(inner.get(0));
        for (Any m : inner) {
            if (!creatorOf(m).equals(creator)) {
                throw TxRejected.unauthorized("every message must act for the same account");
            }
        }
        boolean viaAuthz = body.getMessages(0).getTypeUrl().equals(TypeUrls.MSG_EXEC);
        if (!viaAuthz && !creator.equals(signer)) {
            throw TxRejected.unauthorized("pubkey does not match signer address " + creator + " with signer index: 0");
        }

        Fee fee = tx.authInfo().getFee();
        long required = GasTable.required(inner);
        if (fee.getGasLimit() > 3 * GasTable.MAX_GAS) {
            throw TxRejected.sdk(41, "gas limit " + fee.getGasLimit(), "invalid gas limit");
        }
        if (fee.getGasLimit() < required) {
            throw TxRejected.outOfGas("out of gas in location: ReadFlat; gasWanted: " + fee.getGasLimit() + ", gasUsed: " + required);
        }
        boolean duty = inner.stream().allMatch(m -> GasTable.DUTIES.contains(m.getTypeUrl()));
        if (!duty && ledger.minGasPriceNgonka() > 0) {
            BigInteger paid = BigInteger.ZERO;
            for (Coin c : fee.getAmountList()) {
                if (c.getDenom().equals("ngonka")) {
                    paid = paid.add(new BigInteger(c.getAmount()));
                }
            }
            BigInteger due = BigInteger.valueOf(fee.getGasLimit()).multiply(BigInteger.valueOf(ledger.minGasPriceNgonka()));
            if (paid.compareTo(due) < 0) {
                throw TxRejected.insufficientFee("got: " + paid + "ngonka required: " + due + "ngonka");
            }
        }
        if (!fee.getGranter().isEmpty()) {
            if (!Addresses.isValid(fee.getGranter())) {
                throw TxRejected.invalidAddress("invalid fee granter " + fee.getGranter());
            }
            if (!ledger.feeAllowance(fee.getGranter(), signer)) {
                throw new TxRejected(5, "feegrant", fee.getGranter() + " does not allow to pay fees for " + signer
                        + ": fee-grant not found");
            }
        }

        OptionalLong accountNumber = ledger.accountNumber(signer);
        if (accountNumber.isEmpty()) {
            throw TxRejected.sdk(9, "account " + signer + " does not exist", "unknown address");
        }
        if (!Secp256k1.verify(tx.signerKey(), tx.signBytes(ledger.chainId(), accountNumber.getAsLong()), tx.signature())) {
            throw TxRejected.unauthorized("signature verification failed; please verify account number ("
                    + accountNumber.getAsLong() + ") and chain-id (" + ledger.chainId() + ")");
        }

        if (viaAuthz) {
            for (Any m : inner) {
                if (!ledger.granted(creator, signer, m.getTypeUrl())) {
                    throw new TxRejected(2, "authz", "failed to get grant with given granter: " + creator + ", grantee: " + signer
                            + " & msgType: " + m.getTypeUrl() + " : authorization not found");
                }
            }
        }
        return new Checked(tx, signer, creator, inner, fee.getGasLimit(), timeout);
    }

    /** The messages the tx carries: a host's one MsgExec (grantee = the signer) unwrapped one level, or the messages themselves. */
    static List<Any> unwrap(Tx tx, String signer) throws TxRejected {
        List<Any> outer = tx.messages();
        boolean anyExec = outer.stream().anyMatch(m -> m.getTypeUrl().equals(TypeUrls.MSG_EXEC));
        if (!anyExec) {
            for (Any m : outer) {
                requireKnown(m);
            }
            return outer;
        }
        if (outer.size() != 1) {
            throw TxRejected.invalidRequest("a MsgExec must be the only message of its tx");
        }
        MsgExec exec = TxDecoder.parse(outer.get(0).getValue().toByteArray(), MsgExec.parser(), "MsgExec");
        if (!Addresses.isValid(exec.getGrantee())) {
            throw TxRejected.invalidAddress("invalid grantee address: " + exec.getGrantee());
        }
        if (!exec.getGrantee().equals(signer)) {
            throw TxRejected.unauthorized("grantee " + exec.getGrantee() + " is not the signer " + signer);
        }
        if (exec.getMsgsCount() == 0) {
            throw TxRejected.invalidRequest("messages cannot be empty");
        }
        List<Any> inner = new ArrayList<>(exec.getMsgsList());
        for (Any m : inner) {
            if (m.getTypeUrl().equals(TypeUrls.MSG_EXEC)) {
                throw TxRejected.invalidRequest("nested MsgExec is not allowed");
            }
            requireKnown(m);
        }
        return inner;
    }

    private static void requireKnown(Any m) throws TxRejected {
        if (!KNOWN.contains(m.getTypeUrl())) {
            throw TxRejected.decode("unable to resolve type URL " + m.getTypeUrl());
        }
    }

    /** Field 1 ({@code creator}) of an inner message, which every message of the catalogue has. */
    static String creatorOf(Any m) throws TxRejected {
        try {
            CodedInputStream in = m.getValue().newCodedInput();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                if (WireFormat.getTagFieldNumber(tag) == 1 && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    String creator = in.readStringRequireUtf8();
                    if (!Addresses.isValid(creator)) {
                        throw TxRejected.invalidAddress("invalid creator address: " + creator);
                    }
                    return creator;
                }
                in.skipField(tag);
            }
        } catch (IOException e) {
            throw TxRejected.decode("malformed " + m.getTypeUrl() + ": " + e.getMessage());
        }
        throw TxRejected.invalidAddress("invalid creator address: empty address string is not allowed");
    }
}
