package io.gonkanode.registry.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorCheckTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** k_dim float16 little-endian values as vector_b64. */
    static String vector(int... halves) {
        byte[] b = new byte[halves.length * 2];
        for (int i = 0; i < halves.length; i++) {
            b[2 * i] = (byte) halves[i];
            b[2 * i + 1] = (byte) (halves[i] >> 8);
        }
        return Base64.getEncoder().encodeToString(b);
    }

    static JsonNode artifacts(String... vectors) {
        ArrayNode out = JSON.createArrayNode();
        for (int i = 0; i < vectors.length; i++) {
            out.addObject().put("nonce", i).put("vector_b64", vectors[i]);
        }
        return out;
    }

    @Test
    void halfPrecisionAsIeee754() {
        assertEquals(1.0, VectorCheck.half(0x3c00));
        assertEquals(-2.0, VectorCheck.half(0xc000));
        assertEquals(0.5, VectorCheck.half(0x3800));
        assertEquals(65504.0, VectorCheck.half(0x7bff));
        assertEquals(Math.pow(2, -24), VectorCheck.half(0x0001), 1e-12);
    }

    @Test
    void saneVectorsPass() {
        VectorCheck c = VectorCheck.of(artifacts(vector(0x3c00, 0, 0, 0), vector(0, 0x3c00, 0, 0), vector(0, 0, 0xbc00, 0)));
        assertEquals("", c.problem());
        assertEquals(4, c.kDim());
        assertEquals(3, c.distinct());
        assertEquals(1.0, c.meanNorm(), 1e-9);
    }

    @Test
    void whatABrokenNodeSendsIsNamed() {
        assertEquals("NaN or infinite values", VectorCheck.of(artifacts(vector(0x3c00, 0x7e00), vector(0, 0x3c00))).problem());
        assertEquals("NaN or infinite values", VectorCheck.of(artifacts(vector(0x7c00, 0))).problem());
        assertEquals("every value is zero", VectorCheck.of(artifacts(vector(0, 0), vector(0, 0x8000))).problem());
        assertEquals("every artifact has the same vector", VectorCheck.of(artifacts(vector(0x3c00, 1), vector(0x3c00, 1))).problem());
        assertTrue(VectorCheck.of(artifacts(vector(0x3c00, 1), vector(0x3c00))).problem().contains("vectors of 2 and 1 values"));
        assertTrue(VectorCheck.of(artifacts("AA")).problem().contains("not a float16 vector"));
        assertTrue(VectorCheck.of(artifacts("%%%")).problem().contains("not base64"));
        assertEquals("no vectors", VectorCheck.of(JSON.createArrayNode()).problem());
    }
}
