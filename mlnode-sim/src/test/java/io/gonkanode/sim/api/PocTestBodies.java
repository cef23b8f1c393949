package io.gonkanode.sim.api;

/** Request bodies shared by the PoC tests. */
public final class PocTestBodies {

    public static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public static final String HASH = "8E5C2F0C9B3A4D1E7F6A5B4C3D2E1F0A9B8C7D6E5F4A3B2C1D0E9F8A7B6C5D4E";
    public static final String KEY = "02f4c3a1b2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0";

    private PocTestBodies() {
    }

    public static String init(String url) {
        return """
                {"block_hash":"%s","block_height":1234560,"public_key":"%s","node_id":1,"node_count":3,
                 "params":{"model":"%s","seq_len":1024}%s}""".formatted(HASH, KEY, MODEL,
                url == null ? "" : ",\"url\":\"" + url + "\"");
    }
}
