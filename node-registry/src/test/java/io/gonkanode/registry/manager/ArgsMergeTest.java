package io.gonkanode.registry.manager;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArgsMergeTest {

    @Test
    void modelArgsComeFirstAndWin() {
        assertEquals(List.of("--tensor-parallel-size", "4", "--max-model-len", "4096"),
                ArgsMerge.merge(List.of("--tensor-parallel-size", "4"),
                        List.of("--tensor-parallel-size", "8", "--max-model-len", "4096")));
    }

    @Test
    void flagsWithoutValuesAndEqualsFormsAreRecognised() {
        assertEquals(List.of("--enable-prefix-caching", "--quantization=fp8", "--kv-cache-dtype", "fp8"),
                ArgsMerge.merge(List.of("--enable-prefix-caching", "--quantization=fp8"),
                        List.of("--quantization", "awq", "--enable-prefix-caching", "--kv-cache-dtype", "fp8")));
    }

    @Test
    void aTokenAfterAFlagIsItsValueUnlessItIsAFlag() {
        assertEquals(List.of("--a", "--b", "x"), ArgsMerge.merge(List.of(), List.of("--a", "--b", "x")));
        assertEquals(List.of("--a", "1"), ArgsMerge.merge(List.of("--a", "1"), List.of("--a")));
    }

    @Test
    void emptyListsMergeToTheOther() {
        assertEquals(List.of("--x", "1"), ArgsMerge.merge(List.of(), List.of("--x", "1")));
        assertEquals(List.of("--x", "1"), ArgsMerge.merge(List.of("--x", "1"), List.of()));
    }
}
