package io.gonkanode.registry.manager;

import org.junit.jupiter.api.Test;

import static io.gonkanode.registry.round.RoundService.Phase.GENERATE;
import static io.gonkanode.registry.round.RoundService.Phase.INFERENCE;
import static io.gonkanode.registry.round.RoundService.Phase.VALIDATE;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationalTest {

    @Test
    void upstreamsTable() {
        // enabled, latest > admin epoch: yes in every phase
        assertTrue(Operational.operational(true, 4, 5, GENERATE));
        // enabled in this epoch: only in the inference phase (a node registered during PoC sits it out)
        assertTrue(Operational.operational(true, 5, 5, INFERENCE));
        assertFalse(Operational.operational(true, 5, 5, GENERATE));
        assertFalse(Operational.operational(true, 5, 5, VALIDATE));
        // disabled in this epoch: keeps serving until the next PoC
        assertTrue(Operational.operational(false, 5, 5, GENERATE));
        // disabled in an earlier epoch: no
        assertFalse(Operational.operational(false, 4, 5, INFERENCE));
        // before any round everything enabled is operational
        assertTrue(Operational.operational(true, 0, 0, null));
    }
}
