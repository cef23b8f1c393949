package io.gonkanode.api.proxy;

import io.gonkanode.testing.Sims;
import io.gonkanode.api.FleetResource;
import io.gonkanode.testing.BadMlNode;
import io.gonkanode.testing.StubRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gonkanode.api.FleetResource.MODEL;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ML nodes that hang, answer bytes that are not HTTP, redirect, or break off a stream: the client of a
 * request that got no byte yet is served by another node, the bad node leaves rotation, its slot comes
 * back (in-flight 0) and its connections are closed; a redirect is never followed nor handed on.
 */
@QuarkusTest
@QuarkusTestResource(FleetResource.class)
class MisbehavingNodesTest {

    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TestHTTPResource("/")
    URI base;

    final List<BadMlNode> bad = new ArrayList<>();

    @AfterEach
    void close() {
        bad.forEach(BadMlNode::close);
    }

    BadMlNode bad(BadMlNode.Mode mode) {
        BadMlNode node = new BadMlNode(mode);
        bad.add(node);
        return node;
    }

    /** The view: the bad node, and sim-0 as the healthy alternative unless {@code alone}. */
    static void view(String id, BadMlNode node, boolean alone) {
        List<StubRegistry.Node> nodes = new ArrayList<>();
        nodes.add(new StubRegistry.Node(id, 7, "127.0.0.1", node.managementPort(), node.inferencePort(), MODEL, "INFERENCE", true, true, 4));
        if (!alone) {
            Sims.Sim sim = FleetResource.sims().get(0);
            nodes.add(new StubRegistry.Node(sim.id(), 1, "127.0.0.1", sim.managementPort(), sim.inferencePort(), MODEL, "INFERENCE", true, true, 4));
        }
        FleetResource.registry().nodes(nodes);
        await().atMost(Duration.ofSeconds(10)).until(() -> FleetResource.registry().servedSinceChange() >= 3);
    }

    static String chat(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":2"
                + (stream ? ",\"stream\":true" : "") + "}";
    }

    HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve("v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String name, String node) {
        String text = given().get("/q/metrics").then().extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*node=\"" + Pattern.quote(node) + "\"[^}]*} ([0-9.E+-]+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** Requests until the bad node has been tried once: every client still gets a 200 from the healthy node. */
    void everyClientIsServedAndTheNodeLeavesRotation(String id, BadMlNode node) throws Exception {
        double suspensionsBefore = metric("api_routing_suspensions_total", id);
        for (int i = 0; i < 6 && node.connections() == 0; i++) {
            HttpResponse<String> r = post(chat(false));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("location").isEmpty());
        }
        assertTrue(node.connections() > 0, "the bad node was tried");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(suspensionsBefore + 1, metric("api_routing_suspensions_total", id), "taken out of rotation once");
            assertEquals(0.0, metric("api_inference_inflight", id), "its slot is back");
        });
    }

    @Test
    void aNodeThatNeverAnswersTimesOutAndTheRequestIsServedElsewhere() throws Exception {
        BadMlNode silent = bad(BadMlNode.Mode.SILENT);
        view("bad-silent", silent, false);
        everyClientIsServedAndTheNodeLeavesRotation("bad-silent", silent);
        await().atMost(Duration.ofSeconds(10)).until(() -> silent.openConnections() == 0);
    }

    @Test
    void aNodeThatAnswersGarbageIsLeftForAnother() throws Exception {
        BadMlNode garbage = bad(BadMlNode.Mode.GARBAGE_BYTES);
        view("bad-bytes", garbage, false);
        everyClientIsServedAndTheNodeLeavesRotation("bad-bytes", garbage);
    }

    @Test
    void anAnswerBrokenOffBeforeItsDeclaredLengthIsRetriedElsewhere() throws Exception {
        // a whole (non-streamed) answer reaches the client only complete, so a node crashing inside it costs no client anything
        BadMlNode crasher = bad(BadMlNode.Mode.SHORT_BODY);
        view("crasher", crasher, false);
        everyClientIsServedAndTheNodeLeavesRotation("crasher", crasher);
    }

    @Test
    void aRedirectIsNeitherFollowedNorHandedToTheClient() throws Exception {
        BadMlNode trap = bad(BadMlNode.Mode.SILENT);
        BadMlNode redirect = bad(BadMlNode.Mode.REDIRECT).redirectTo(trap.url() + "/v1/chat/completions");
        view("bad-redirect", redirect, false);
        everyClientIsServedAndTheNodeLeavesRotation("bad-redirect", redirect);
        assertEquals(0, trap.connections(), "nobody went where the redirect pointed");
    }

    @Test
    void aStreamBrokenOffMidwayEndsTheClientsStreamAndFreesTheSlot() throws Exception {
        BadMlNode dropper = bad(BadMlNode.Mode.DROP_MID_STREAM);
        view("bad-drop", dropper, true);
        double suspensionsBefore = metric("api_routing_suspensions_total", "bad-drop");
        String received;
        try {
            HttpResponse<String> r = post(chat(true));
            assertEquals(200, r.statusCode(), "the status went out with the first bytes");
            received = r.body();
        } catch (IOException e) {
            received = "";
        }
        assertFalse(received.contains("[DONE]"), "the client can tell the stream did not finish: " + received);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertEquals(suspensionsBefore + 1, metric("api_routing_suspensions_total", "bad-drop"));
            assertEquals(0.0, metric("api_inference_inflight", "bad-drop"));
        });
        // the only node is out of rotation: the next client is told so at once instead of waiting on it
        given().contentType("application/json").body(chat(false)).post("/v1/chat/completions").then().statusCode(503);
    }

    @Test
    void clientsThatVanishMidStreamNeverCostTheNodeItsPlaceInRotation() throws Exception {
        BadMlNode fast = bad(BadMlNode.Mode.FLOOD);
        view("fast", fast, true);
        double before = metric("api_routing_suspensions_total", "fast");
        byte[] body = chat(true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] buf = new byte[16384];
        for (int round = 0; round < 10; round++) {
            // as many streams at once as the node's max_concurrent (4), so none waits in the queue
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(0.0, metric("api_inference_inflight", "fast")));
            List<java.net.Socket> clients = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                java.net.Socket s = new java.net.Socket(base.getHost(), base.getPort());
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().write(body);
                clients.add(s);
            }
            for (java.net.Socket s : clients) {
                int read = 0;
                StringBuilder head = new StringBuilder();
                while (read < 64 * 1024) { // the stream is flowing when the client vanishes
                    int n;
                    try {
                        n = s.getInputStream().read(buf);
                    } catch (java.net.SocketTimeoutException stalled) {
                        break;
                    }
                    if (n < 0) {
                        break;
                    }
                    if (head.length() < 64) {
                        head.append(new String(buf, 0, Math.min(n, 64), java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    read += n;
                }
                assertTrue(head.toString().startsWith("HTTP/1.1 200"), "round " + round + " answered: " + head);
                s.setSoLinger(true, 0); // gone with a reset, as a load generator at its deadline or a crashed client
                s.close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(0.0, metric("api_inference_inflight", "fast")));
        assertEquals(before, metric("api_routing_suspensions_total", "fast"), "never suspended for a client's leaving");
        await().atMost(Duration.ofSeconds(10)).until(() -> fast.openConnections() == 0);
    }
}
