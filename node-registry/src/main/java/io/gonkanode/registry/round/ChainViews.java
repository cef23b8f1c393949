package io.gonkanode.registry.round;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Optional;

/**
 * The chain's view of this host's nodes ({@link ChainView}), stored when poc-collector sends it and kept in memory
 * for the node manager's every pass. Empty until a collector that follows a chain has sent one: the configured
 * supported models then stand in for the governance models.
 */
@ApplicationScoped
public class ChainViews {

    private final EntityManager em;
    private final Event<RoundService.Changed> changed;
    private volatile Optional<ChainView> cached;

    public ChainViews(EntityManager em, Event<RoundService.Changed> changed) {
        this.em = em;
        this.changed = changed;
    }

    public Optional<ChainView> current() {
        Optional<ChainView> c = cached;
        if (c == null) {
            c = QuarkusTransaction.joiningExisting().call(() -> Optional.ofNullable(em.find(ChainViewRow.class, ChainViewRow.SINGLETON))
                    .map(ChainViewRow::view));
            cached = c;
        }
        return c;
    }

    /** Read again after a committed change (a reader meanwhile may have cached the old one). */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RoundService.Changed change) {
        cached = null;
    }

    /** Forgets the view (the collector no longer follows a chain): the configured models apply again. */
    @Transactional
    public boolean clear() {
        ChainViewRow row = em.find(ChainViewRow.class, ChainViewRow.SINGLETON, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            return false;
        }
        em.remove(row);
        Log.info("chain view cleared: the configured supported models apply");
        changed.fire(new RoundService.Changed(null, row.epoch));
        return true;
    }

    /** Stores the view; the node manager reconsiders every node when it changed. */
    @Transactional
    public ChainView update(ChainView view) {
        ChainViewRow row = em.find(ChainViewRow.class, ChainViewRow.SINGLETON, LockModeType.PESSIMISTIC_WRITE);
        if (row != null && row.view().sameAs(view)) {
            return row.view();
        }
        boolean created = row == null;
        if (created) {
            row = new ChainViewRow();
        }
        row.epoch = view.epoch();
        row.governanceModels = view.governanceModels();
        row.epochModels = view.epochModels();
        row.epochMlNodes = view.epochMlNodes();
        row.preservedNodes = view.preservedNodes();
        row.updatedAt = Instant.now();
        if (created) {
            em.persist(row);
        }
        ChainView stored = row.view();
        Log.infof("chain view: epoch %d, governance models %s, %d nodes assigned, %d preserved", stored.epoch(),
                stored.governanceModels().keySet(), stored.epochModels().size(), stored.preservedNodes().size());
        changed.fire(new RoundService.Changed(null, stored.epoch()));
        return stored;
    }
}
