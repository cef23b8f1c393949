package io.gonkanode.registry.node;

import io.gonkanode.registry.node.SupportedModels;
import io.gonkanode.registry.round.RoundService;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Every change to the registered nodes. Writes run one at a time (a transaction-scoped PostgreSQL
 * advisory lock), so the duplicate host+port checks hold across requests and registry replicas, and
 * each change is committed before the caller answers.
 */
@ApplicationScoped
public class NodeService {

    /** Key of the advisory lock that serialises admin writes. */
    private static final long ADMIN_WRITE_LOCK = 0x6e6f64655f726567L;

    private final EntityManager em;
    private final SupportedModels supportedModels;
    private final RoundService rounds;

    public NodeService(EntityManager em, SupportedModels supportedModels, RoundService rounds) {
        this.em = em;
        this.supportedModels = supportedModels;
        this.rounds = rounds;
    }

    /** The stored node and whether this call created it. */
    public record Saved(Node node, boolean created) {
    }

    /** Creates the node, or updates it when the id exists (node_num and admin state are kept). */
    @Transactional
    public Saved upsert(NodeSpec spec) {
        lockAdminWrites();
        return save(spec);
    }

    /** One element of a batch: a node spec, or the type problems found reading it. */
    public record BatchItem(NodeSpec spec, List<String> readProblems) {
    }

    /** The nodes saved and the upstream-style error lines of the ones that were not. */
    public record BatchResult(List<Node> saved, List<String> errors) {
    }

    /** Applies a batch in one transaction; each element is validated against the ones before it. */
    @Transactional
    public BatchResult batch(List<BatchItem> items) {
        lockAdminWrites();
        List<Node> saved = new java.util.ArrayList<>();
        List<String> errors = new java.util.ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BatchItem item = items.get(i);
            String id = item.spec() == null ? "" : item.spec().id();
            if (!item.readProblems().isEmpty()) {
                errors.add("node[" + i + "] (id: " + id + "): invalid request body: "
                        + String.join("; ", item.readProblems()));
                continue;
            }
            try {
                saved.add(save(item.spec()).node());
            } catch (NodeRejected e) {
                errors.add("node[" + i + "] (id: " + id + "): " + e.describe());
            }
        }
        return new BatchResult(saved, errors);
    }

    private Saved save(NodeSpec raw) {
        NodeSpec spec = NodeRules.normalize(raw);
        Optional<Node> existing = spec.id().isBlank() ? Optional.empty() : Node.byId(spec.id());
        java.util.Set<String> governance = supportedModels.governanceIds();
        List<String> problems = NodeRules.problems(spec, endpoints(), governance, existing.isEmpty());
        if (!problems.isEmpty()) {
            throw new NodeRejected(existing.isPresent(), problems);
        }
        if (existing.isEmpty() && !governance.containsAll(spec.models().keySet())) {
            NodeSpec kept = NodeRules.governanceOnly(spec, governance);
            Log.warnf("node %s: dropped models that are not governance models: %s", spec.id(),
                    spec.models().keySet().stream().filter(m -> !kept.models().containsKey(m)).toList());
            spec = kept;
        }
        Instant now = Instant.now();
        if (existing.isPresent()) {
            Node node = existing.get();
            node.apply(spec, now);
            Log.infof("node %s updated (node_num %d)", node.id, node.nodeNum);
            return new Saved(node, false);
        }
        Node node = new Node();
        node.id = spec.id();
        node.nodeNum = nextNodeNum();
        node.enabled = true;
        node.adminEpoch = rounds.currentEpoch();
        node.createdAt = now;
        node.apply(spec, now);
        node.persist();
        NodeState.initial(node.id, now).persist();
        Log.infof("node %s registered as node_num %d at %s:%d/%d", node.id, node.nodeNum, node.host,
                node.inferencePort, node.pocPort);
        return new Saved(node, true);
    }

    /** Removes a node; false when there was none with that id. */
    @Transactional
    public boolean delete(String id) {
        if (!NodeRules.plausibleId(id)) {
            return false;
        }
        lockAdminWrites();
        boolean deleted = Node.deleteById(id);
        if (deleted) {
            Log.infof("node %s deleted", id);
        }
        return deleted;
    }

    /** Sets the persisted admin state at the current epoch (upstream AdminState); empty when the node does not exist. */
    @Transactional
    public Optional<Node> setEnabled(String id, boolean enabled) {
        if (!NodeRules.plausibleId(id)) {
            return Optional.empty();
        }
        lockAdminWrites();
        long epoch = rounds.currentEpoch();
        Optional<Node> node = Node.byId(id);
        node.ifPresent(n -> {
            n.enabled = enabled;
            n.adminEpoch = epoch;
            n.updatedAt = Instant.now();
            Log.infof("node %s %s at epoch %d", id, enabled ? "enabled" : "disabled", epoch);
        });
        return node;
    }

    @Transactional
    public List<Node> list() {
        return Node.allByNodeNum();
    }

    @Transactional
    public Optional<Node> find(String id) {
        return NodeRules.plausibleId(id) ? Node.byId(id) : Optional.empty();
    }

    /** Every node with its observed state, the current round and the nodes a self-test holds, read in one transaction. */
    public record View(List<Node> nodes, java.util.Map<String, NodeState> states, io.gonkanode.registry.round.Round round,
                       java.util.Set<String> underTest) {
    }

    @Transactional
    public View view() {
        List<Node> nodes = Node.allByNodeNum();
        return new View(nodes, NodeState.byNodeId(nodes.stream().map(n -> n.id).toList()), rounds.current().orElse(null),
                SelfTestLeases.underTest(em));
    }

    @Transactional
    public Optional<View> view(String id) {
        if (!NodeRules.plausibleId(id)) {
            return Optional.empty();
        }
        return Node.byId(id).map(n -> new View(List.of(n), NodeState.byNodeId(List.of(n.id)), rounds.current().orElse(null),
                SelfTestLeases.underTest(em)));
    }

    private List<NodeRules.Endpoints> endpoints() {
        return em.createQuery("select n.id, n.host, n.inferencePort, n.pocPort from Node n", Object[].class)
                .getResultList().stream()
                .map(r -> new NodeRules.Endpoints((String) r[0], (String) r[1], (Integer) r[2], (Integer) r[3]))
                .toList();
    }

    private int nextNodeNum() {
        Number next = (Number) em.createNativeQuery("select nextval('registry.node_num_seq')").getSingleResult();
        return Math.toIntExact(next.longValue());
    }

    private void lockAdminWrites() {
        em.createNativeQuery("select cast(pg_advisory_xact_lock(?1) as text)")
                .setParameter(1, ADMIN_WRITE_LOCK)
                .getSingleResult();
    }
}
