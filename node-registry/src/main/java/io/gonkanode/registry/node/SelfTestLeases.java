package io.gonkanode.registry.node;

import jakarta.persistence.EntityManager;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes an ML node self-test holds now ({@code node_test.lease_until}, see {@code selftest.SelfTests}): the node
 * manager sends them no command and api-node does not route to them.
 */
public final class SelfTestLeases {

    private SelfTestLeases() {
    }

    /** Read in the caller's transaction. */
    public static Set<String> underTest(EntityManager em) {
        List<?> rows = em.createNativeQuery("select node_id from registry.node_test where lease_until > now()").getResultList();
        Set<String> out = new HashSet<>();
        rows.forEach(r -> out.add(String.valueOf(r)));
        return out;
    }
}
