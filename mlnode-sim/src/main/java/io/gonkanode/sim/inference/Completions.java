package io.gonkanode.sim.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.fault.Faults;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /v1/chat/completions} and {@code /v1/completions} as vLLM's OpenAI server answers them: JSON or
 * SSE ({@code data: {...}} chunks, a usage chunk on {@code stream_options.include_usage}, {@code data: [DONE]}),
 * paced by the configured time to first token and token rate, and with the injected faults.
 *
 * <p>Why one class of this size: both routes share the same request checks, pacing and fault handling,
 * and vLLM's JSON and SSE shapes sit next to each other so that they can be compared with its source.
 */
final class Completions {

    private final Vertx vertx;
    private final ObjectMapper json;
    private final SimConfig config;
    private final Faults faults;
    private final InferenceStats stats;
    private final Supplier<String> loadedModel;
    private final Supplier<Boolean> pocBlocksInference;

    Completions(Vertx vertx, ObjectMapper json, SimConfig config, Faults faults, InferenceStats stats,
                Supplier<String> loadedModel, Supplier<Boolean> pocBlocksInference) {
        this.vertx = vertx;
        this.json = json;
        this.config = config;
        this.faults = faults;
        this.stats = stats;
        this.loadedModel = loadedModel;
        this.pocBlocksInference = pocBlocksInference;
    }

    void chat(RoutingContext ctx) {
        handle(ctx, true);
    }

    void completion(RoutingContext ctx) {
        handle(ctx, false);
    }

    private void handle(RoutingContext ctx, boolean chat) {
        HttpServerResponse response = ctx.response();
        JsonNode request;
        try {
            request = json.readTree(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (Exception e) {
            error(response, 400, "BadRequestError", "Invalid JSON body: " + e.getMessage());
            return;
        }
        if (request == null || !request.isObject()) {
            error(response, 400, "BadRequestError", "The request body must be a JSON object");
            return;
        }
        if (pocBlocksInference.get()) {
            error(response, 503, "service_unavailable",
                    "PoC generation is active. Inference requests are temporarily unavailable.");
            return;
        }
        String model = request.path("model").asText("");
        if (!model.equals(loadedModel.get())) {
            error(response, 404, "NotFoundError", "The model `" + model + "` does not exist.");
            return;
        }
        if (chat && !request.path("messages").isArray()) {
            error(response, 400, "BadRequestError", "messages: Field required");
            return;
        }
        if (!chat && !request.has("prompt")) {
            error(response, 400, "BadRequestError", "prompt: Field required");
            return;
        }
        Faults.Settings fault = faults.get();
        String requestId = ctx.request().getHeader("X-Request-Id");
        stats.begin();
        boolean[] ended = {false};
        Runnable end = () -> {
            if (!ended[0]) {
                ended[0] = true;
                stats.end();
            }
        };
        response.closeHandler(v -> end.run());
        response.endHandler(v -> end.run());
        if (fault.inferenceHangs()) {
            return; // never answers; the close handler frees the slot when the client gives up
        }
        if (fault.inferenceErrors()) {
            error(response, 500, "InternalServerError", "Internal server error");
            return;
        }
        CompletionPlan plan = CompletionPlan.of(request, promptText(request, chat), config.completionTokens());
        boolean stream = request.path("stream").asBoolean(false);
        long created = System.currentTimeMillis() / 1000;
        String id = (chat ? "chatcmpl-" : "cmpl-") + plan.idSuffix();
        if (stream) {
            stream(ctx, request, plan, chat, id, created, model, requestId, fault.inferenceDrops());
        } else {
            long delay = config.timeToFirstToken().toMillis() + tokenDelay() * Math.max(0, plan.tokens.size() - 1);
            after(delay, () -> {
                byte[] body = bytes(whole(request, plan, chat, id, created, model));
                stats.record(requestId, body);
                if (!response.closed()) {
                    response.putHeader("content-type", "application/json").end(Buffer.buffer(body));
                }
            });
        }
    }

    private void stream(RoutingContext ctx, JsonNode request, CompletionPlan plan, boolean chat, String id,
                        long created, String model, String requestId, boolean dropMidStream) {
        HttpServerResponse response = ctx.response();
        response.setChunked(true);
        response.putHeader("content-type", "text/event-stream; charset=utf-8");
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
        int[] position = {-1};
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (response.closed()) {
                return;
            }
            if (dropMidStream && position[0] >= 1) {
                ctx.request().connection().close();
                return;
            }
            StringBuilder events = new StringBuilder();
            if (position[0] < 0) {
                if (chat) {
                    events.append(event(chunk(id, created, model, chat, -1, plan, request, true)));
                }
                position[0] = 0;
            }
            if (position[0] < plan.tokens.size()) {
                events.append(event(chunk(id, created, model, chat, position[0], plan, request, false)));
                position[0]++;
            }
            boolean done = position[0] >= plan.tokens.size();
            if (done) {
                if (plan.tokens.isEmpty()) {
                    events.append(event(finalChunk(id, created, model, chat, plan)));
                }
                if (includeUsage) {
                    ObjectNode usage = base(id, created, model, chat, true);
                    usage.putArray("choices");
                    usage.set("usage", usage(plan));
                    events.append(event(usage));
                }
                events.append("data: [DONE]\n\n");
            }
            byte[] bytes = events.toString().getBytes(StandardCharsets.UTF_8);
            sent.writeBytes(bytes);
            response.write(Buffer.buffer(bytes));
            if (done) {
                stats.record(requestId, sent.toByteArray());
                response.end();
            } else {
                after(tokenDelay(), next[0]);
            }
        };
        after(config.timeToFirstToken().toMillis(), next[0]);
    }

    private long tokenDelay() {
        double tps = config.tokensPerSecond();
        return tps <= 0 ? 0 : (long) (1000.0 / tps);
    }

    private void after(long millis, Runnable action) {
        if (millis <= 0) {
            vertx.runOnContext(v -> action.run());
        } else {
            vertx.setTimer(millis, t -> action.run());
        }
    }

    private ObjectNode base(String id, long created, String model, boolean chat, boolean chunk) {
        ObjectNode o = json.createObjectNode();
        o.put("id", id);
        o.put("object", chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion");
        o.put("created", created);
        o.put("model", model);
        return o;
    }

    private ObjectNode chunk(String id, long created, String model, boolean chat, int position, CompletionPlan plan,
                             JsonNode request, boolean roleOnly) {
        ObjectNode o = base(id, created, model, chat, true);
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        boolean last = !roleOnly && position == plan.tokens.size() - 1;
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (roleOnly) {
                delta.put("role", "assistant");
                delta.put("content", "");
                choice.putNull("logprobs");
            } else {
                delta.put("content", CompletionPlan.text(plan.tokens.get(position)));
                setLogprobs(choice, request, plan, position, position + 1, true);
            }
        } else {
            choice.put("text", CompletionPlan.text(plan.tokens.get(position)));
            setLogprobs(choice, request, plan, position, position + 1, false);
        }
        if (last) {
            choice.put("finish_reason", plan.finishReason);
            choice.putNull("stop_reason");
        } else {
            choice.putNull("finish_reason");
        }
        return o;
    }

    private ObjectNode finalChunk(String id, long created, String model, boolean chat, CompletionPlan plan) {
        ObjectNode o = base(id, created, model, chat, true);
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            choice.putObject("delta").put("content", "");
        } else {
            choice.put("text", "");
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", plan.finishReason);
        choice.putNull("stop_reason");
        return o;
    }

    private ObjectNode whole(JsonNode request, CompletionPlan plan, boolean chat, String id, long created, String model) {
        ObjectNode o = base(id, created, model, chat, false);
        ObjectNode choice = o.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", plan.text());
            message.putArray("tool_calls");
        } else {
            choice.put("text", plan.text());
        }
        setLogprobs(choice, request, plan, 0, plan.tokens.size(), chat);
        choice.put("finish_reason", plan.finishReason);
        choice.putNull("stop_reason");
        o.set("usage", usage(plan));
        if (chat) {
            o.putNull("prompt_logprobs");
        }
        return o;
    }

    /** Chat: {@code logprobs.content[]} with {@code top_logprobs}; completions: tokens/token_logprobs/top_logprobs. */
    private void setLogprobs(ObjectNode choice, JsonNode request, CompletionPlan plan, int from, int to, boolean chat) {
        int top;
        if (chat) {
            if (!request.path("logprobs").asBoolean(false)) {
                choice.putNull("logprobs");
                return;
            }
            top = Math.max(5, Math.min(20, request.path("top_logprobs").asInt(0)));
            ArrayNode content = choice.putObject("logprobs").putArray("content");
            for (int i = from; i < to; i++) {
                ObjectNode entry = content.addObject();
                tokenEntry(entry, plan.tokens.get(i), plan.logprobs.get(i));
                ArrayNode tops = entry.putArray("top_logprobs");
                List<Integer> alts = plan.alternatives(i, top);
                for (int j = 0; j < alts.size(); j++) {
                    tokenEntry(tops.addObject(), alts.get(j), plan.logprobs.get(i) - j * 0.75);
                }
            }
        } else {
            JsonNode lp = request.get("logprobs");
            if (lp == null || lp.isNull() || !lp.canConvertToInt()) {
                choice.putNull("logprobs");
                return;
            }
            top = Math.max(5, Math.min(20, lp.asInt()));
            ObjectNode logprobs = choice.putObject("logprobs");
            ArrayNode tokens = logprobs.putArray("tokens");
            ArrayNode tokenLogprobs = logprobs.putArray("token_logprobs");
            ArrayNode tops = logprobs.putArray("top_logprobs");
            ArrayNode offsets = logprobs.putArray("text_offset");
            int offset = 0;
            for (int i = from; i < to; i++) {
                tokens.add(Integer.toString(plan.tokens.get(i)));
                tokenLogprobs.add(plan.logprobs.get(i));
                ObjectNode alternatives = tops.addObject();
                List<Integer> alts = plan.alternatives(i, top);
                for (int j = 0; j < alts.size(); j++) {
                    alternatives.put(Integer.toString(alts.get(j)), plan.logprobs.get(i) - j * 0.75);
                }
                offsets.add(offset);
                offset += CompletionPlan.text(plan.tokens.get(i)).length();
            }
        }
    }

    private static void tokenEntry(ObjectNode entry, int token, double logprob) {
        String text = Integer.toString(token);
        entry.put("token", text);
        entry.put("logprob", logprob);
        ArrayNode bytes = entry.putArray("bytes");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    private ObjectNode usage(CompletionPlan plan) {
        ObjectNode u = json.createObjectNode();
        u.put("prompt_tokens", plan.promptTokens);
        u.put("total_tokens", plan.promptTokens + plan.tokens.size());
        u.put("completion_tokens", plan.tokens.size());
        return u;
    }

    private static String promptText(JsonNode request, boolean chat) {
        if (chat) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode m : request.path("messages")) {
                JsonNode content = m.get("content");
                if (content != null) {
                    sb.append(content.isTextual() ? content.textValue() : content.toString()).append('\n');
                }
            }
            return sb.toString();
        }
        JsonNode prompt = request.get("prompt");
        return prompt.isTextual() ? prompt.textValue() : prompt.toString();
    }

    private String event(ObjectNode chunk) {
        return "data: " + new String(bytes(chunk), StandardCharsets.UTF_8) + "\n\n";
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void error(HttpServerResponse response, int status, String type, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", status);
        response.setStatusCode(status).putHeader("content-type", "application/json").end(Buffer.buffer(bytes(body)));
    }
}
