package io.gonkanode.registry.manager;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** The node manager on, with short intervals and a known account key, for the tests about it. */
public class ManagerProfile implements QuarkusTestProfile {

    /** A compressed secp256k1 public key (33 bytes) in the two spellings the network node uses. */
    public static final String PUBKEY_HEX = "02" + "a1".repeat(32);
    public static final String PUBKEY_B64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(PUBKEY_HEX));
    public static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    public static final String SMALL_MODEL = "Qwen/Qwen2.5-7B-Instruct";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gonka.manager.enabled", "true",
                "gonka.manager.poll-interval", "300ms",
                "gonka.manager.poll-timeout", "1s",
                "gonka.manager.retry-backoff", "300ms",
                "gonka.manager.retry-backoff-max", "1s",
                "gonka.manager.instance-id", "test-registry",
                "gonka.network.account-pubkey", PUBKEY_B64,
                "gonka.network.poc-callback-url", "http://127.0.0.1:9100/",
                "gonka.supported-models", "{\"" + MODEL + "\":{\"args\":[\"--tensor-parallel-size\",\"4\"]},\""
                        + SMALL_MODEL + "\":{\"args\":[]}}");
    }
}
