package io.gonkanode.api;

import io.gonkanode.testing.Architecture;
import org.junit.jupiter.api.Test;

/** docs/architecture.md: every package arrow of this service runs one way. */
class ArchitectureTest {

    @Test
    void noPackageImportsAPackageThatImportsIt() {
        Architecture.assertNoPackageCycles("io.gonkanode.api");
    }
}
