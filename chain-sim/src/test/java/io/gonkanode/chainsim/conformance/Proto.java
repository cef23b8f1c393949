package io.gonkanode.chainsim.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written protobuf wire encoder and reader for the conformance test: it knows field numbers and wire types
 * only, so the test checks chain-sim against the specs rather than against its own generated classes.
 */
final class Proto {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Proto message() {
        return new Proto();
    }

    Proto varint(int field, long value) {
        if (value != 0) {
            tag(field, 0);
            raw(value);
        }
        return this;
    }

    Proto bytes(int field, byte[] value) {
        if (value.length > 0) {
            tag(field, 2);
            raw(value.length);
            out.writeBytes(value);
        }
        return this;
    }

    Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Proto message(int field, Proto child) {
        byte[] b = child.build();
        tag(field, 2);
        raw(b.length);
        out.writeBytes(b);
        return this;
    }

    Proto any(int field, String typeUrl, byte[] value) {
        return message(field, message().string(1, typeUrl).bytes(2, value));
    }

    byte[] build() {
        return out.toByteArray();
    }

    private void tag(int field, int wireType) {
        raw(((long) field << 3) | wireType);
    }

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** One field as read back: number, wire type, varint value or bytes. */
    record Field(int number, int wireType, long varint, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    static List<Field> read(byte[] b) {
        List<Field> fields = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < b.length) {
            long key = readVarint(b, pos);
            int number = (int) (key >>> 3);
            int type = (int) (key & 7);
            switch (type) {
                case 0 -> fields.add(new Field(number, 0, readVarint(b, pos), null));
                case 2 -> {
                    int len = (int) readVarint(b, pos);
                    byte[] v = java.util.Arrays.copyOfRange(b, pos[0], pos[0] + len);
                    pos[0] += len;
                    fields.add(new Field(number, 2, 0, v));
                }
                default -> throw new IllegalArgumentException("wire type " + type + " not expected here");
            }
        }
        return fields;
    }

    static Field first(byte[] b, int number) {
        return read(b).stream().filter(f -> f.number() == number).findFirst().orElse(null);
    }

    private static long readVarint(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
