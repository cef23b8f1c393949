package io.gonkanode.chainsim.tx;

import java.time.Instant;
import java.util.OptionalLong;

/** What the transaction checks read of the chain's state. */
public interface Ledger {

    String chainId();

    /** The height the next block will have (the one CheckTx runs against). */
    long height();

    /** The time of the latest block. */
    Instant blockTime();

    OptionalLong accountNumber(String address);

    /** The sequence of an account (for ordered transactions). */
    long sequence(String address);

    /** A non-expired GenericAuthorization from granter to grantee for the message type. */
    boolean granted(String granter, String grantee, String msgTypeUrl);

    /** A non-expired fee allowance from granter to grantee. */
    boolean feeAllowance(String granter, String grantee);

    /** Whether an unordered tx of this signer with this timeout is already known (ADR-070 replay protection). */
    boolean unorderedSeen(String signer, Instant timeout);

    /** The inference module's {@code fee_params.min_gas_price_ngonka}. */
    long minGasPriceNgonka();
}
