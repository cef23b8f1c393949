package io.gonkanode.chainsim.state;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The auth, authz and feegrant stores: accounts with their numbers, keys and sequences; cold→warm grants per
 * message type with their expiry; fee allowances; and the unordered transactions seen while they may not be
 * replayed (ADR-070). Not thread-safe: {@link ChainState} guards it.
 */
public final class Accounts {

    /** An account: its number, its public key once known, its sequence (ordered transactions only). */
    public static final class Account {
        public final String address;
        public final long number;
        public byte[] publicKey;
        public long sequence;

        Account(String address, long number, byte[] publicKey) {
            this.address = address;
            this.number = number;
            this.publicKey = publicKey;
        }
    }

    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Map<String, Instant>> grants = new HashMap<>();
    private final Map<String, Instant> allowances = new HashMap<>();
    private final TreeMap<Instant, Set<String>> unordered = new TreeMap<>();
    private final Set<String> unorderedKeys = new HashSet<>();
    private long nextNumber = 1;

    public Account create(String address, byte[] publicKey) {
        return accounts.computeIfAbsent(address, a -> new Account(a, nextNumber++, publicKey));
    }

    public Optional<Account> get(String address) {
        return Optional.ofNullable(accounts.get(address));
    }

    public OptionalLong number(String address) {
        Account a = accounts.get(address);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a.number);
    }

    public void grant(String granter, String grantee, String msgTypeUrl, Instant expiration) {
        grants.computeIfAbsent(granter + ">" + grantee, k -> new HashMap<>()).put(msgTypeUrl, expiration);
    }

    public void revokeAll(String granter, String grantee) {
        grants.remove(granter + ">" + grantee);
    }

    public boolean granted(String granter, String grantee, String msgTypeUrl, Instant at) {
        Instant until = grants.getOrDefault(granter + ">" + grantee, Map.of()).get(msgTypeUrl);
        return until != null && until.isAfter(at);
    }

    /** Everyone the granter has granted this message type to (for GranteesByMessageType). */
    public Map<String, Account> grantees(String granter, String msgTypeUrl, Instant at) {
        Map<String, Account> out = new TreeMap<>();
        grants.forEach((pair, types) -> {
            String[] ga = pair.split(">", 2);
            Instant until = types.get(msgTypeUrl);
            if (ga[0].equals(granter) && until != null && until.isAfter(at) && accounts.containsKey(ga[1])) {
                out.put(ga[1], accounts.get(ga[1]));
            }
        });
        return out;
    }

    public void allow(String granter, String grantee, Instant expiration) {
        allowances.put(granter + ">" + grantee, expiration);
    }

    public boolean allowance(String granter, String grantee, Instant at) {
        Instant until = allowances.get(granter + ">" + grantee);
        return until != null && until.isAfter(at);
    }

    public boolean unorderedSeen(String signer, Instant timeout) {
        return unorderedKeys.contains(signer + "@" + timeout);
    }

    public void rememberUnordered(String signer, Instant timeout) {
        String key = signer + "@" + timeout;
        if (unorderedKeys.add(key)) {
            unordered.computeIfAbsent(timeout, t -> new HashSet<>()).add(key);
        }
    }

    /** Forgets unordered txs whose timeout has passed: they can no longer be included anyway. */
    public void pruneUnordered(Instant blockTime) {
        var expired = unordered.headMap(blockTime, true);
        expired.values().forEach(unorderedKeys::removeAll);
        expired.clear();
    }
}
