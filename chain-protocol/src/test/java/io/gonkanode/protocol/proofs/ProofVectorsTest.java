package io.gonkanode.protocol.proofs;

import io.gonkanode.protocol.crypto.Hashes;
import io.gonkanode.protocol.crypto.Secp256k1;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writes spec §10.3 (sampling, proof request payload) and §10.4 (its signature), and Go's math/rand itself. */
class ProofVectorsTest {

    static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    static final byte[] ROOT_01 = HexFormat.of().parseHex("da0f6e63f2fa6d57e64ead84735aa1da6eab6a22f16a008f6827de187fa40bce");
    static final String VALIDATOR = "gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw";

    @Test
    void theCookedRegisterIsGosTable() {
        long[] cooked = GoRand.cooked();
        // the first and last entries of rngCooked in Go's math/rand/rng.go
        assertEquals(-4181792142133755926L, cooked[0]);
        assertEquals(-4576982950128230565L, cooked[1]);
        assertEquals(1395769623340756751L, cooked[2]);
        assertEquals(5333664234075297259L, cooked[3]);
        assertEquals(4152330101494654406L, cooked[606]);
    }

    @Test
    void seededLikeGo() {
        // rand.New(rand.NewSource(1)).Int63(), three times (Go's default source before Go 1.20)
        GoRand r = new GoRand(1);
        assertEquals(5577006791947779410L, r.int63());
        assertEquals(8674665223082153551L, r.int63());
        assertEquals(6129484611666145821L, r.int63());
    }

    @Test
    void samplesAsUpstreamValidatorsDo() {
        assertArrayEquals(new long[] {153, 940, 419, 163, 79, 109, 263, 851, 846, 480},
                Sampling.leafIndices("pk", "hash", 100, "model-a", 1000, 10));
        long[] big = Sampling.leafIndices("02a1633cafcc01ebfb6d78e39f687a1f0995c62fc95f51ead10a02ee0be551b5dc",
                "4F1E8B7A9C3D2E1F00112233445566778899AABBCCDDEEFF0011223344556677", 1234560, MODEL, 1_000_000, 200);
        assertEquals(200, big.length);
        assertArrayEquals(new long[] {137781, 741803, 128602, 670916, 662758, 593758, 214158, 40203, 636577, 887944},
                java.util.Arrays.copyOf(big, 10));
        assertEquals(200, java.util.Arrays.stream(big).distinct().count(), "a sample never repeats an index");
        assertTrue(java.util.Arrays.stream(big).allMatch(i -> i >= 0 && i < 1_000_000));
    }

    @Test
    void aSampleCoveringTheSetIsTheWholeSet() {
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, Sampling.leafIndices("pk", "hash", 1, MODEL, 5, 200));
    }

    @Test
    void theProofRequestPayloadAndItsSignature() {
        byte[] payload = ProofPayloads.leafIndexRequest(1234560, MODEL, ROOT_01, 2, new long[] {0, 1}, 1760000000000000000L,
                VALIDATOR, VALIDATOR);
        assertEquals("edf21e4e41c33a307a06a5432e87cad2e679679b61452b58deeda9e6d54e0cd7", new String(payload, StandardCharsets.US_ASCII));
        byte[] warm = Hashes.sha256("gonka-java-test-warm-key".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = Secp256k1.sign(warm, payload);
        assertEquals("b61haFCEHxeBUEXjtxtrHhD7QoKpW8m9p/sLgU5z4B8YYnGcVxRqa4N613AJDnDY7wEVScuQGPmETKFD5rM9Rg==",
                Base64.getEncoder().encodeToString(signature));
        assertTrue(Secp256k1.verify(Secp256k1.publicKey(warm), payload, signature));
    }

    @Test
    void everyFieldIsCovered() {
        byte[] base = ProofPayloads.leafIndexRequest(1234560, MODEL, ROOT_01, 2, new long[] {0, 1}, 1L, VALIDATOR, VALIDATOR);
        assertNotEquals(str(base), str(ProofPayloads.leafIndexRequest(1234561, MODEL, ROOT_01, 2, new long[] {0, 1}, 1L, VALIDATOR, VALIDATOR)));
        assertNotEquals(str(base), str(ProofPayloads.leafIndexRequest(1234560, MODEL, ROOT_01, 3, new long[] {0, 1}, 1L, VALIDATOR, VALIDATOR)));
        assertNotEquals(str(base), str(ProofPayloads.leafIndexRequest(1234560, MODEL, ROOT_01, 2, new long[] {1, 0}, 1L, VALIDATOR, VALIDATOR)));
        assertNotEquals(str(base), str(ProofPayloads.leafIndexRequest(1234560, MODEL, ROOT_01, 2, new long[] {0, 1}, 2L, VALIDATOR, VALIDATOR)));
        // the by-nonce layout is domain-separated from the leaf-index one even for the same numbers
        assertNotEquals(str(base), str(ProofPayloads.byNonceRequest(1234560, MODEL, ROOT_01, 2, new int[] {0, 1}, 1L, VALIDATOR, VALIDATOR)));
        List<ProofPayloads.Item> items = List.of(new ProofPayloads.Item(0, 0, "AAAA", List.of("BBBB")));
        assertNotEquals(str(ProofPayloads.response(1, MODEL, ROOT_01, 2, items, 1, VALIDATOR)),
                str(ProofPayloads.response(1, MODEL, ROOT_01, 2, List.of(new ProofPayloads.Item(0, 0, "AAAA", List.of("BBBC"))), 1, VALIDATOR)));
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
