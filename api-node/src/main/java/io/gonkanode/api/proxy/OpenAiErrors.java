package io.gonkanode.api.proxy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServerResponse;

/** Errors in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}}. */
public final class OpenAiErrors {

    private OpenAiErrors() {
    }

    public static void send(HttpServerResponse response, int status, String type, String code, String param, String message) {
        if (response.ended() || response.closed()) {
            return;
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        if (param == null) {
            error.putNull("param");
        } else {
            error.put("param", param);
        }
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        if (response.headWritten()) {
            response.end();
            return;
        }
        response.setStatusCode(status).putHeader("content-type", "application/json").end(body.toString());
    }
}
