package io.gonkanode.protocol.poc;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArtifactVectorsTest {

    static final String HASH = "8E5C2F0C9B3A4D1E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E";
    static final String KEY = "02f4c3a1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0";
    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";

    @Test
    void theVectorOfAKnownNonceIsPinned() {
        // pinned: a change of the derivation would make old artifacts fail validation between versions
        String b64 = ArtifactVectors.toBase64(ArtifactVectors.honest(HASH, KEY, 17, MODEL, 1024));
        assertEquals(32, b64.length());
        assertEquals(24, Base64.getDecoder().decode(b64).length);
        assertEquals(GOLDEN_17, b64);
    }

    static final String GOLDEN_17 = "2LHLt562PjfwqC0sVq4YremrBaVYMzK4";

    @Test
    void vectorsAreDeterministicUnitVectors() {
        float[] a = ArtifactVectors.honest(HASH, KEY, 42, MODEL, 1024);
        float[] b = ArtifactVectors.honest(HASH, KEY, 42, MODEL, 1024);
        assertArrayEquals(a, b);
        assertEquals(12, a.length);
        double norm = 0;
        for (float x : ArtifactVectors.decode(ArtifactVectors.encode(a))) {
            norm += x * x;
        }
        assertEquals(1.0, Math.sqrt(norm), 2e-3);
    }

    @Test
    void everyInputChangesTheVector() {
        float[] base = ArtifactVectors.honest(HASH, KEY, 42, MODEL, 1024);
        assertTrue(ArtifactVectors.distance(base, ArtifactVectors.honest(HASH, KEY, 43, MODEL, 1024)) > 0.1);
        assertTrue(ArtifactVectors.distance(base, ArtifactVectors.honest(HASH.replace('8', '9'), KEY, 42, MODEL, 1024)) > 0.1);
        assertTrue(ArtifactVectors.distance(base, ArtifactVectors.honest(HASH, KEY.replace('a', 'b'), 42, MODEL, 1024)) > 0.1);
        assertTrue(ArtifactVectors.distance(base, ArtifactVectors.honest(HASH, KEY, 42, "other/model", 1024)) > 0.1);
        assertTrue(ArtifactVectors.distance(base, ArtifactVectors.honest(HASH, KEY, 42, MODEL, 256)) > 0.1);
    }

    @Test
    void theFp16RoundTripStaysFarBelowTheDistanceThreshold() {
        float[] v = ArtifactVectors.honest(HASH, KEY, 7, MODEL, 1024);
        assertTrue(ArtifactVectors.distance(v, ArtifactVectors.decode(ArtifactVectors.encode(v))) < 0.01);
    }

    @Test
    void forgedVectorsAreFarFromHonestOnes() {
        SplittableRandom random = new SplittableRandom(1);
        int far = 0;
        for (long nonce = 0; nonce < 200; nonce++) {
            if (ArtifactVectors.distance(ArtifactVectors.honest(HASH, KEY, nonce, MODEL, 1024), ArtifactVectors.forged(random)) > 0.4) {
                far++;
            }
        }
        assertTrue(far > 190, far + " of 200 forged vectors beyond 0.4");
    }

    @Test
    void malformedVectorsDoNotDecode() {
        assertNull(ArtifactVectors.decode(new byte[23]));
        assertNull(ArtifactVectors.decode(null));
        assertEquals(Double.POSITIVE_INFINITY, ArtifactVectors.distance(new float[12], null));
    }
}
