package io.gonkanode.sim.fastapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Request bodies as FastAPI reads them: JSON whatever the Content-Type (the network node sends none),
 * 422 for undecodable JSON or a missing body, then the pydantic model's own checks.
 */
public final class Bodies {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Bodies() {
    }

    public static ObjectNode parse(byte[] body, Pydantic.Model model) {
        if (body == null || body.length == 0) {
            ArrayNode detail = F.arrayNode();
            detail.add(Pydantic.error("missing", List.of("body"), "Field required", F.nullNode()));
            throw new HttpError(422, detail);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (Exception e) {
            ArrayNode detail = F.arrayNode();
            ObjectNode error = Pydantic.error("json_invalid", List.of("body", 0), "JSON decode error", F.objectNode());
            error.putObject("ctx").put("error", e.getMessage() == null ? "invalid JSON" : e.getMessage().split("\n")[0]);
            detail.add(error);
            throw new HttpError(422, detail);
        }
        Pydantic.Result result = Pydantic.validate(model, json);
        if (!result.ok()) {
            throw new HttpError(422, result.errors());
        }
        return result.value();
    }
}
