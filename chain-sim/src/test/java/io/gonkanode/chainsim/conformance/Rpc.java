package io.gonkanode.chainsim.conformance;

import io.restassured.path.json.JsonPath;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import static io.restassured.RestAssured.given;

/** The test's CometBFT JSON-RPC client (reads spec §1.3), over plain HTTP POST. */
final class Rpc {

    private Rpc() {
    }

    static JsonPath call(String method, Map<String, Object> params) {
        return given().contentType("application/json")
                .body(Map.of("jsonrpc", "2.0", "id", 7, "method", method, "params", params))
                .post("/").then().statusCode(200).extract().jsonPath();
    }

    static long height() {
        return Long.parseLong(call("status", Map.of()).getString("result.sync_info.latest_block_height"));
    }

    /** abci_query of a typed query; the response's value bytes (code must be 0). */
    static byte[] query(String path, byte[] request) {
        JsonPath r = call("abci_query", Map.of("path", path, "data", HexFormat.of().formatHex(request), "height", "0", "prove", false));
        if (r.getInt("result.response.code") != 0) {
            throw new AssertionError(path + ": " + r.getString("result.response.log"));
        }
        String value = r.getString("result.response.value");
        return value == null ? new byte[0] : Base64.getDecoder().decode(value);
    }

    /** broadcast_tx_sync: {code, log, hash}. */
    static JsonPath broadcast(byte[] tx) {
        return call("broadcast_tx_sync", Map.of("tx", Base64.getEncoder().encodeToString(tx)));
    }

    static void blocks(int n) {
        given().post("/sim/v1/blocks?n=" + n).then().statusCode(200);
    }
}
