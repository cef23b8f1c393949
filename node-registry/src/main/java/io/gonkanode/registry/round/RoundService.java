package io.gonkanode.registry.round;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The current PoC round as poc-collector announces it; the node manager drives the nodes by it. */
@ApplicationScoped
public class RoundService {

    /** The three things a round asks of the nodes. */
    public enum Phase { GENERATE, VALIDATE, INFERENCE }

    /**
     * A round as announced: epoch index, phase, the PoC stage (height and block hash), per model its params; from a
     * chain also the stronger-RNG flag and the MLNode version.
     */
    public record Announcement(long epoch, Phase phase, long pocStartBlockHeight, String blockHash,
                               Map<String, Round.PocModel> models, boolean pocStrongerRng, String mlnodeVersion) {
    }

    /** Fired after a round change is committed. */
    public record Changed(Phase phase, long epoch) {
    }

    private final EntityManager em;
    private final Event<Changed> changed;
    /** The MLNode version of the last round read or stored, for the URLs of every poll without a query each. */
    private volatile String mlnodeVersion = "";

    public RoundService(EntityManager em, Event<Changed> changed) {
        this.em = em;
        this.changed = changed;
    }

    @Transactional
    public Optional<Round> current() {
        Round round = em.find(Round.class, Round.SINGLETON);
        if (round != null) {
            mlnodeVersion = round.mlnodeVersion == null ? "" : round.mlnodeVersion;
        }
        return Optional.ofNullable(round);
    }

    /** The chain's MLNode version as the last round carried it ('' when none: the configured one applies). */
    public String mlnodeVersion() {
        return mlnodeVersion;
    }

    /** The latest epoch index the registry knows (0 before any round): what admin_state.epoch records. */
    @Transactional
    public long currentEpoch() {
        return current().map(r -> r.epoch).orElse(0L);
    }

    /**
     * Stores the announced round. Idempotent: announcing the same round again changes nothing. The
     * node_count sent to ML nodes is fixed when a new stage's generation starts, so that nonce ranges stay
     * disjoint even if nodes are registered during the round.
     */
    @Transactional
    public Round announce(Announcement a) {
        Round round = em.find(Round.class, Round.SINGLETON, LockModeType.PESSIMISTIC_WRITE);
        boolean created = round == null;
        if (created) {
            round = new Round();
        }
        boolean newStage = created || round.pocStartBlockHeight != a.pocStartBlockHeight() || round.epoch != a.epoch();
        boolean same = !created && !newStage && round.phase == a.phase()
                && Objects.equals(round.blockHash, a.blockHash()) && Objects.equals(round.models, a.models())
                && round.pocStrongerRng == a.pocStrongerRng() && Objects.equals(round.mlnodeVersion, a.mlnodeVersion());
        if (same) {
            return round;
        }
        if (newStage || round.nodeCount == 0) {
            Number max = (Number) em.createNativeQuery("select coalesce(max(node_num), 0) from registry.node").getSingleResult();
            round.nodeCount = max.intValue() + 1;
        }
        round.epoch = a.epoch();
        round.phase = a.phase();
        round.pocStartBlockHeight = a.pocStartBlockHeight();
        round.blockHash = a.blockHash();
        round.models = a.models();
        round.pocStrongerRng = a.pocStrongerRng();
        round.mlnodeVersion = a.mlnodeVersion() == null ? "" : a.mlnodeVersion();
        mlnodeVersion = round.mlnodeVersion;
        round.updatedAt = Instant.now();
        if (created) {
            em.persist(round);
        }
        Log.infof("round: epoch %d, phase %s, stage %d, models %s, node_count %d", round.epoch, round.phase,
                round.pocStartBlockHeight, round.models.keySet(), round.nodeCount);
        changed.fire(new Changed(a.phase(), a.epoch()));
        return round;
    }
}
