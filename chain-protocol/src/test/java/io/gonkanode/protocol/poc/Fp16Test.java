package io.gonkanode.protocol.poc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Fp16Test {

    @Test
    void encodesLikeNumpyFloat16() {
        assertEquals((short) 0x3C00, Fp16.fromFloat(1.0f));
        assertEquals((short) 0xC000, Fp16.fromFloat(-2.0f));
        assertEquals((short) 0x2E66, Fp16.fromFloat(0.1f));
        assertEquals((short) 0x7BFF, Fp16.fromFloat(65504f));
        assertEquals((short) 0x7C00, Fp16.fromFloat(1e6f));
        assertEquals((short) 0x0001, Fp16.fromFloat(5.9604645e-8f));
        assertEquals((short) 0x0000, Fp16.fromFloat(1e-9f));
        assertEquals((short) 0x3555, Fp16.fromFloat(1f / 3));
    }

    @Test
    void decodesBack() {
        assertEquals(1.0f, Fp16.toFloat((short) 0x3C00));
        assertEquals(-2.0f, Fp16.toFloat((short) 0xC000));
        assertEquals(65504f, Fp16.toFloat((short) 0x7BFF));
        assertEquals(5.9604645e-8f, Fp16.toFloat((short) 0x0001));
        assertEquals(0.0999755859375f, Fp16.toFloat((short) 0x2E66));
    }
}
