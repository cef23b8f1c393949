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

    /** The node and state rows last read, and the signature of the tables they were read at. */
    private record Rows(String signature, List<Node> nodes, java.util.Map<String, NodeState> states) {
    }

    private volatile Rows rows;

    /**
     * Every node and state row, read again only when the tables changed. The Admin API listing, the dashboard and the
     * internal view (polled every few seconds by api-node and poc-collector) all ask for it; on a host of 1,000 nodes
     * reading and mapping 2,000 rows each time cost 20 ms and more, while polls rarely change a row (a state is written
     * only when something in it changed). The signature, the row count and newest {@code xmin} of both tables, is
     * one cheap query and sees every committed insert, update and delete, by any registry replica. It is read before
     * the rows, so rows read later can only be newer than their signature (then read once more), never older.
     * The rows are shared between callers: read-only.
     */
    @Transactional
    public View view() {
        String signature = (String) em.createNativeQuery("select (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) "
                + "from registry.node) || '/' || (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from registry.node_state)")
                .getSingleResult();
        Rows read = rows;
        if (read == null || !read.signature().equals(signature)) {
            List<Node> nodes = Node.allByNodeNum();
            java.util.Map<String, NodeState> states = new java.util.HashMap<>();
            NodeState.<NodeState>listAll().forEach(st -> states.put(st.nodeId, st));
            read = new Rows(signature, List.copyOf(nodes), java.util.Collections.unmodifiableMap(states));
            rows = read;
        }
        return new View(read.nodes(), read.states(), rounds.current().orElse(null), SelfTestLeases.underTest(em));
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
