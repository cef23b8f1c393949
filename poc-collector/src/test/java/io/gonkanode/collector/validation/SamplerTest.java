package io.gonkanode.collector.validation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    static final long[] NONCES = LongStream.range(0, 5000).map(i -> 1 + i * 3).toArray();

    @Test
    void theSampleIsDeterministicDistinctAndDrawnFromTheNonces() {
        long seed = Sampler.seed("02ab", "HASH", 100, "m", 1);
        long[] a = Sampler.sample(NONCES, 200, seed);
        assertArrayEquals(a, Sampler.sample(NONCES, 200, seed));
        assertEquals(200, a.length);
        assertEquals(200, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(n -> Arrays.binarySearch(NONCES, n) >= 0));
    }

    @Test
    void anotherNodeOrStageGetsAnotherSample() {
        long[] a = Sampler.sample(NONCES, 200, Sampler.seed("02ab", "HASH", 100, "m", 1));
        assertFalse(Arrays.equals(a, Sampler.sample(NONCES, 200, Sampler.seed("02ab", "HASH", 100, "m", 2))));
        assertFalse(Arrays.equals(a, Sampler.sample(NONCES, 200, Sampler.seed("02ab", "HASH2", 100, "m", 1))));
    }

    @Test
    void fewerNoncesThanTheSampleSizeAreAllTaken() {
        long[] few = {5, 9, 12};
        assertArrayEquals(few, Sampler.sample(few, 200, 42));
    }
}
