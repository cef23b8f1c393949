package io.gonkanode.chainsim;

import io.gonkanode.testing.Architecture;
import org.junit.jupiter.api.Test;

/** docs/architecture.md: every package arrow of chain-sim runs one way. */
class ArchitectureTest {

    @Test
    void noPackageImportsAPackageThatImportsIt() {
        Architecture.assertNoPackageCycles("io.gonkanode.chainsim");
    }
}
