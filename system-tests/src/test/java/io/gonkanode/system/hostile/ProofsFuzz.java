package io.gonkanode.system.hostile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fuzzer over the proofs API of a host with committed stages (ChainStackIT's, where requests get past the stage
 * checks that HostileInputIT's chain, still before its first PoC, stops them at): every mutation of a well-formed request to {@code /v1/poc/proofs} and {@code /by-nonce}, each from
 * its own client address so the rate limit does not hide the parser behind 429s. Nothing may answer 5xx, hang, or
 * answer anything but a JSON error (the HTTP layer's own refusals aside: a bad escape, huge headers, a body over 10 MiB).
 */
public final class ProofsFuzz {

    /** A well-formed proofs request (its signature is no one's: past the parser it is refused with a 4xx). */
    public static final String PROOFS_SEED = """
            {"poc_stage_start_block_height":20,"model_id":"Qwen/Qwen3-235B-A22B-Instruct-2507-FP8",
             "root_hash":"2g9uY/L6bVfmTq2Ec1qh2m6raiLxagCPaCfeGH+kC84=","count":2,"leaf_indices":[0,1],
             "validator_address":"gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw",
             "validator_signer_address":"gonka1gyz2agg5yx49gy2z4qpsz9826t6s9xev6tkehw","timestamp":1760000000000000000,
             "signature":"b61haFCEHxeBUEXjtxtrHhD7QoKpW8m9p/sLgU5z4B8YYnGcVxRqa4N613AJDnDY7wEVScuQGPmETKFD5rM9Rg=="}""";

    private ProofsFuzz() {
    }

    /** The failures found on the service at {@code port}, given a well-formed request body for each route. */
    public static List<String> failures(int port, String proofsSeed, String byNonceSeed) throws Exception {
        List<String> failures = new ArrayList<>();
        int client = 0;
        for (Map.Entry<String, String> route : Map.of("/v1/poc/proofs", proofsSeed, "/v1/poc/proofs/by-nonce", byNonceSeed).entrySet()) {
            Fuzzer.Route r = new Fuzzer.Route("api", port, "POST", route.getKey(), route.getValue(), Map.of());
            for (Fuzzer.Case c : Fuzzer.cases(r, Map.of(), Set.of())) {
                Map<String, String> headers = new LinkedHashMap<>(c.headers());
                client++;
                headers.put("X-Forwarded-For", "10.77." + (client / 250) + "." + (client % 250));
                RawHttp.Response resp = RawHttp.send(port, c.method(), c.target(), headers, c.body(), 10_000);
                String label = c.method() + " " + Fuzzer.abbreviate(c.target()) + " [" + c.what() + "]";
                if (resp.hung() || resp.status() < 0) {
                    failures.add("NO ANSWER " + label);
                } else if (resp.status() >= 500) {
                    failures.add(resp.status() + " " + label + ": " + Fuzzer.abbreviate(resp.text()));
                } else if (resp.status() >= 400 && resp.status() != 413 && !HostileInputIT.transportRefusal(c, resp)
                        && !HostileInputIT.jsonError(resp)) {
                    failures.add("NOT A JSON ERROR " + resp.status() + " " + label + ": " + Fuzzer.abbreviate(resp.text()));
                }
            }
        }
        return failures;
    }
}
