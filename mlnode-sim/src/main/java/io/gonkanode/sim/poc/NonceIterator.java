package io.gonkanode.sim.poc;

/**
 * The ML node's nonce enumeration ({@code pow/compute/utils.py NonceIterator}): backend {@code groupId}
 * of {@code nGroups} on node {@code nodeId} of {@code nodeCount} computes
 * {@code nodeId + groupId*nodeCount + k*nGroups*nodeCount} for k = 0, 1, 2, ... — disjoint across nodes and
 * backends as long as node ids are distinct and below node_count.
 */
public record NonceIterator(long nodeId, long nodeCount, long groupId, long nGroups) {

    public long nonce(long k) {
        return nodeId + groupId * nodeCount + k * nGroups * nodeCount;
    }
}
