package io.gonkanode.collector.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * The CometBFT {@code /websocket} subscription to {@code tm.event='NewBlock'} (reads spec §2.1), as upstream
 * subscribes: every frame's height goes to the listener; a closed or failed connection is opened again after a
 * pause. Frames only say that a height exists: the follower fetches each block itself, so a dropped frame or a
 * dropped connection loses nothing.
 */
final class NewBlocks {

    private static final String SUBSCRIBE =
            "{\"jsonrpc\":\"2.0\",\"method\":\"subscribe\",\"id\":\"1\",\"params\":[\"tm.event='NewBlock'\"]}";
    static final Duration RECONNECT = Duration.ofSeconds(1);

    private final URI uri;
    private final HttpClient http;
    private final LongConsumer heights;
    private final ObjectMapper json = new ObjectMapper();
    private volatile WebSocket socket;
    private volatile boolean closed;
    private volatile boolean connected;

    NewBlocks(URI uri, HttpClient http, LongConsumer heights) {
        this.uri = uri;
        this.http = http;
        this.heights = heights;
    }

    boolean connected() {
        return connected;
    }

    void open() {
        if (closed) {
            return;
        }
        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, new Listener())
                .whenComplete((ws, e) -> {
                    if (e != null) {
                        again("cannot open " + uri + ": " + e.getMessage());
                    } else {
                        socket = ws;
                        connected = true;
                        ws.sendText(SUBSCRIBE, true);
                    }
                });
    }

    void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    private void again(String why) {
        connected = false;
        if (!closed) {
            Log.debugf("NewBlock subscription lost (%s); reconnecting", why);
            java.util.concurrent.CompletableFuture.delayedExecutor(RECONNECT.toMillis(), TimeUnit.MILLISECONDS).execute(this::open);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String frame = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode f = json.readTree(frame);
                    JsonNode header = f.path("result").path("data").path("value").path("block").path("header");
                    if (header.has("height")) {
                        heights.accept(Long.parseLong(header.path("height").asText()));
                    }
                } catch (Exception e) {
                    Log.debugf("unreadable NewBlock frame: %s", e.getMessage());
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            again("closed " + status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            again(String.valueOf(error.getMessage()));
        }
    }
}
