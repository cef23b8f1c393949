package io.gonkanode.sim.inference;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What a simulated completion will say: deterministic token ids for a given (seed, prompt), honouring
 * max_tokens and Gonka's {@code enforced_tokens}, with logprobs whose tokens are decimal token ids as the
 * Gonka vLLM fork returns them.
 */
final class CompletionPlan {

    private static final String[] WORDS = ("the a network node proof of compute host epoch model token weight "
            + "validator artifact nonce block hash stage inference gpu cluster batch stream answer question "
            + "simple fast honest random vector sample round phase window").split(" ");

    final List<Integer> tokens;
    final List<Double> logprobs;
    final String finishReason;
    final int promptTokens;
    private final long seed;

    private CompletionPlan(List<Integer> tokens, List<Double> logprobs, String finishReason, int promptTokens, long seed) {
        this.tokens = tokens;
        this.logprobs = logprobs;
        this.finishReason = finishReason;
        this.promptTokens = promptTokens;
        this.seed = seed;
    }

    static CompletionPlan of(JsonNode request, String promptText, int naturalLength) {
        long seed = request.hasNonNull("seed") && request.get("seed").canConvertToLong()
                ? request.get("seed").longValue() : fnv(promptText);
        SplittableRandom random = new SplittableRandom(seed ^ fnv(promptText));
        int promptTokens = Math.max(1, promptText.getBytes(StandardCharsets.UTF_8).length / 4);
        List<Integer> tokens = new ArrayList<>();
        String finish;
        JsonNode enforced = request.path("enforced_tokens").path("tokens");
        if (enforced.isArray() && !enforced.isEmpty()) {
            for (JsonNode t : enforced) {
                tokens.add(Integer.parseInt(t.path("token").asText("0")));
            }
            finish = "stop";
        } else {
            int limit = maxTokens(request);
            int n = Math.min(naturalLength, limit);
            for (int i = 0; i < n; i++) {
                tokens.add(100 + random.nextInt(150_000));
            }
            finish = limit < naturalLength ? "length" : "stop";
        }
        List<Double> logprobs = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            logprobs.add(-(0.001 + random.nextDouble() * 1.5));
        }
        return new CompletionPlan(tokens, logprobs, finish, promptTokens, seed);
    }

    private static int maxTokens(JsonNode request) {
        for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
            JsonNode v = request.get(field);
            if (v != null && v.canConvertToInt() && v.isNumber()) {
                return Math.max(0, v.intValue());
            }
        }
        return Integer.MAX_VALUE;
    }

    static String text(int token) {
        return " " + WORDS[Math.floorMod(token, WORDS.length)];
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        tokens.forEach(t -> sb.append(text(t)));
        return sb.toString();
    }

    /** The ids of the top alternatives at one position, the chosen token first. */
    List<Integer> alternatives(int position, int count) {
        List<Integer> alts = new ArrayList<>();
        alts.add(tokens.get(position));
        SplittableRandom r = new SplittableRandom(seed * 31 + position);
        while (alts.size() < count) {
            int candidate = 100 + r.nextInt(150_000);
            if (!alts.contains(candidate)) {
                alts.add(candidate);
            }
        }
        return alts;
    }

    String idSuffix() {
        return Long.toHexString(seed ^ 0x5DEECE66DL) + Integer.toHexString(tokens.size());
    }

    static long fnv(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
