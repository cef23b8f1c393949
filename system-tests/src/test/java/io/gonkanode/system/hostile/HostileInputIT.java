package io.gonkanode.system.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import io.gonkanode.local.LocalStack;
import io.gonkanode.local.ServiceProcess;
import io.gonkanode.local.StackOptions;
import io.gonkanode.system.TestStacks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged network node under hostile input, with every protection switched on (admin token, API
 * keys, callback token): a fuzzer runs over every route the services declare, and checks that nothing
 * answers 5xx or hangs and that a rejected request changes nothing in the database; the admin token
 * guards every admin and internal route; no answer ever carries a secret; every route has a body limit.
 */
class HostileInputIT {

    static final String MODEL = LocalStack.MODEL;
    static final String ADMIN_TOKEN = "admin-" + random();
    static final String CALLBACK_TOKEN = "callback-" + random();
    static final String DB_PASSWORD = "dbpass-" + random();
    static final String API_KEY = "apikey-" + random();
    static final int TIMEOUT_MILLIS = 20_000;
    static final Path REPORT = Path.of("target", "hostile");

    static LocalStack stack;

    static String random() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }


    @BeforeAll
    static void up() throws Exception {
        StackOptions o = TestStacks.options("hostile");
        o.registerSims = false;
        o.mlnodes = 0;
        // chain-sim stays at the stack's five blocks: no PoC round starts and nothing follows blocks while the fuzzer runs
        o.produceBlocks = false;
        o.adminToken = ADMIN_TOKEN;
        o.dbPassword = DB_PASSWORD;
        // the fuzzer registers nodes with whatever host a mutation leaves valid: nothing may contact them
        o.env("registry", "GONKA_MANAGER_ENABLED", "false")
                .env("registry", "GONKA_CALLBACK_TOKEN", CALLBACK_TOKEN)
                .env("collector", "GONKA_CALLBACK_TOKEN", CALLBACK_TOKEN)
                // the nodes the fuzzer registers are no one's hardware: nothing goes on chain for them
                .env("collector", "GONKA_CHAIN_HARDWARE_INTERVAL", "1h")
                .env("api", "GONKA_API_KEYS", API_KEY);
        stack = new LocalStack(o).start();
        Files.createDirectories(REPORT);
    }

    /** A node on loopback: the collector then admits callbacks from this test by their source address. */
    static void registerSeed() {
        RawHttp.Response r = RawHttp.send(stack.registry().port(), "POST", "/admin/v1/nodes", registryAuth(),
                Fuzzer.bytes(nodeSeed("fuzz-seed", 1, 2)), TIMEOUT_MILLIS);
        assertEquals(200, r.status(), r.text());
    }

    @AfterAll
    static void down() {
        if (stack != null) {
            stack.close();
        }
    }

    static Map<String, String> registryAuth() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + ADMIN_TOKEN);
        h.put("Content-Type", "application/json");
        return h;
    }

    static String nodeSeed(String id, int inferencePort, int pocPort) {
        return """
                {"id":"%s","host":"127.0.0.1","inference_port":%d,"poc_port":%d,"max_concurrent":4,
                 "models":{"%s":{"args":["--max-model-len","4096"]}}}""".formatted(id, inferencePort, pocPort, MODEL);
    }

    /** A valid body for every route that takes one; a POST or PUT route with a request body but no seed fails the test. */
    static final Map<String, String> SEEDS = Map.ofEntries(
            Map.entry("registry POST /admin/v1/nodes", nodeSeed("fuzz-a", 3, 4)),
            Map.entry("registry POST /admin/v1/nodes/batch", "[" + nodeSeed("fuzz-b", 5, 6) + "]"),
            Map.entry("registry PUT /admin/v1/nodes/{id}", nodeSeed("fuzz-seed", 1, 2)),
            Map.entry("registry POST /admin/v1/nodes/version-status", "{\"version\":\"v3.0.9\"}"),
            Map.entry("registry POST /admin/v1/nodes/{id}/test", "{\"force\":true}"),
            Map.entry("collector POST /selftest/{id}/v2/poc-batches/{model}/generated", """
                    {"block_hash":"AB","block_height":1,"public_key":"02aa","node_id":1,"artifacts":[{"nonce":1,"vector_b64":"AAAA"}],
                     "encoding":{"dtype":"f16","k_dim":12,"endian":"le"}}"""),
            Map.entry("registry PUT /internal/v1/load", "{\"instance\":\"fuzz\",\"in_flight\":{\"fuzz-seed\":1}}"),
            Map.entry("registry PUT /internal/v1/round", """
                    {"epoch":1,"phase":"INFERENCE","poc_start_block_height":10,"block_hash":"AB","models":{"%s":{"seq_len":1024}},
                     "node_count":2}""".formatted(MODEL)),
            Map.entry("registry PUT /internal/v1/chain", """
                    {"epoch":1,"governance_models":{"%1$s":["--max-model-len","4096"]},
                     "epoch_models":{"fuzz-seed":{"%1$s":{"id":"%1$s"}}},"epoch_ml_nodes":{"fuzz-seed":{"%1$s":{"node_id":"fuzz-seed"}}},
                     "preserved_nodes":{}}""".formatted(MODEL)),
            Map.entry("collector POST /v2/poc-batches/{model}/generated", """
                    {"block_hash":"AB","block_height":10,"public_key":"02aa","node_id":1,"artifacts":[{"nonce":1,"vector_b64":"AAAA"}],
                     "encoding":{"dtype":"f16","k_dim":12,"endian":"le"}}"""),
            Map.entry("collector POST /v2/poc-batches/{model}/validated", """
                    {"request_id":"r-1","block_height":10,"node_id":1,"n_total":10,"n_mismatch":0,"p_value":1.0,"fraud_detected":false}"""),
            Map.entry("collector POST /{prefix}/poc-batches/generated", """
                    {"public_key":"02aa","block_hash":"AB","block_height":7,"nonces":[1,2],"dist":[0.5,0.6],"node_id":1}"""),
            Map.entry("collector POST /{prefix}/poc-batches/validated", """
                    {"public_key":"02aa","block_hash":"AB","block_height":7,"nonces":[1],"dist":[0.5],"received_dist":[0.5],"node_id":1}"""),
            Map.entry("collector POST /v1/poc/proofs", ProofsFuzz.PROOFS_SEED),
            Map.entry("collector POST /v1/poc/proofs/by-nonce", ProofsFuzz.PROOFS_SEED.replace("\"leaf_indices\"", "\"nonces\"")),
            Map.entry("api POST /v1/poc/proofs", ProofsFuzz.PROOFS_SEED),
            Map.entry("api POST /v1/poc/proofs/by-nonce", ProofsFuzz.PROOFS_SEED.replace("\"leaf_indices\"", "\"nonces\"")),
            Map.entry("api POST /v1/chat/completions", """
                    {"model":"%s","messages":[{"role":"user","content":"Hi"}],"max_tokens":2,"stream":false}""".formatted(MODEL)),
            Map.entry("api POST /v1/completions", """
                    {"model":"%s","prompt":"Hi","max_tokens":2}""".formatted(MODEL)));

    static final Map<String, String> SAMPLES = Map.of("id", "fuzz-seed", "epoch", "1", "prefix", "v1",
            "model", "Qwen%252FQwen3-235B-A22B-Instruct-2507-FP8");

    /** Every route of every service, from the OpenAPI document each serves. */
    static List<Fuzzer.Route> routes() throws Exception {
        List<Fuzzer.Route> out = new ArrayList<>();
        Map<String, Integer> ports = Map.of("registry", stack.registry().port(), "collector", stack.collector().port(),
                "api", stack.api().port());
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            Map<String, String> auth = switch (service.getKey()) {
                case "registry" -> Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
                case "api" -> Map.of("Authorization", "Bearer " + API_KEY);
                default -> Map.of();
            };
            RawHttp.Response doc = RawHttp.send(service.getValue(), "GET", "/q/openapi?format=json", auth, null, TIMEOUT_MILLIS);
            assertEquals(200, doc.status(), service.getKey() + " serves its OpenAPI document");
            JsonNode paths = Fuzzer.JSON.readTree(doc.body()).path("paths");
            Iterator<String> names = paths.fieldNames();
            while (names.hasNext()) {
                String template = names.next();
                Iterator<String> methods = paths.get(template).fieldNames();
                while (methods.hasNext()) {
                    String method = methods.next().toUpperCase();
                    if (!Fuzzer.METHODS.contains(method)) {
                        continue;
                    }
                    String key = service.getKey() + " " + method + " " + template;
                    String seed = SEEDS.get(key);
                    boolean takesBody = paths.get(template).path(method.toLowerCase()).has("requestBody");
                    if ((method.equals("POST") || method.equals("PUT")) && seed == null && takesBody) {
                        throw new AssertionError("no seed body for " + key + ": add one so the fuzzer covers it");
                    }
                    out.add(new Fuzzer.Route(service.getKey(), service.getValue(), method, template, seed, auth));
                }
            }
        }
        return out;
    }

    /** One fingerprint per table of the registry and collector schemas. */
    static Map<String, String> state() throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = stack.database().connect()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.createStatement().executeQuery("""
                    select table_schema || '.' || table_name from information_schema.tables
                    where table_schema in ('registry', 'poc') and table_type = 'BASE TABLE' and table_name not like 'flyway%'""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = c.createStatement().executeQuery(
                        "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from " + t + " t")) {
                    rs.next();
                    out.put(t, rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * The statuses a route may answer by design in the 5xx range: outside the PoC windows and no node up.
     */
    static boolean expected5xx(Fuzzer.Case c, RawHttp.Response r) {
        if (r.status() != 503) {
            return false;
        }
        return c.route().service().equals("collector") && r.text().contains("not in PoC")
                || c.route().service().equals("api") && r.text().contains("service_unavailable");
    }

    @Test
    void theFuzzerFindsNo5xxNoHangAndNoHalfWrittenState() throws Exception {
        registerSeed();
        List<Fuzzer.Route> routes = routes();
        List<Fuzzer.Case> cases = new ArrayList<>();
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        Map<String, Fuzzer.Route> firstOfPath = new LinkedHashMap<>();
        for (Fuzzer.Route r : routes) {
            cases.addAll(Fuzzer.cases(r, SAMPLES, Set.of()));
            String path = r.service() + " " + r.template();
            declared.computeIfAbsent(path, k -> new LinkedHashSet<>()).add(r.method());
            firstOfPath.putIfAbsent(path, r);
        }
        for (Map.Entry<String, Fuzzer.Route> p : firstOfPath.entrySet()) {
            cases.addAll(Fuzzer.wrongMethods(p.getValue(), SAMPLES, declared.get(p.getKey())));
        }

        Map<String, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int rejected = 0;
        long slowest = 0;
        Map<String, String> baseline = state();
        for (Fuzzer.Case c : cases) {
            RawHttp.Response r = RawHttp.send(c.route().port(), c.method(), c.target(), c.headers(), c.body(), TIMEOUT_MILLIS);
            statuses.merge(c.route().service() + " " + r.status(), 1, Integer::sum);
            slowest = Math.max(slowest, r.millis());
            String label = c.route().service() + " " + c.method() + " " + Fuzzer.abbreviate(c.target()) + " [" + c.what() + "]";
            if (r.hung()) {
                failures.add("HANG " + label);
                continue;
            }
            if (r.status() < 0) {
                failures.add("NO ANSWER " + label + ": " + Fuzzer.abbreviate(r.text()));
                continue;
            }
            if (r.status() >= 500 && !expected5xx(c, r)) {
                failures.add(r.status() + " " + label + ": " + Fuzzer.abbreviate(r.text()));
            }
            if (r.status() >= 400 && !transportRefusal(c, r) && !jsonError(r)) {
                failures.add("NOT A JSON ERROR " + r.status() + " " + label + ": " + Fuzzer.abbreviate(r.text()));
            }
            Map<String, String> now = state();
            if (r.status() >= 200 && r.status() < 300) {
                baseline = now;
            } else {
                rejected++;
                if (!now.equals(baseline)) {
                    Map<String, String> before = baseline;
                    Map<String, String> changed = new TreeMap<>(now);
                    changed.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
                    failures.add("STATE CHANGED by rejected " + r.status() + " " + label + ": " + changed.keySet());
                    baseline = now;
                }
            }
        }
        StringBuilder report = new StringBuilder("cases: " + cases.size() + "\nrejected: " + rejected + "\nslowest ms: " + slowest
                + "\nfailures: " + failures.size() + "\nstatuses: " + statuses + "\n");
        failures.forEach(f -> report.append(f).append('\n'));
        Files.writeString(REPORT.resolve("fuzz-report.txt"), report.toString());
        System.out.println(report.length() > 20_000 ? report.substring(0, 20_000) : report);
        assertTrue(failures.isEmpty(), failures.size() + " failures, first: " + failures.subList(0, Math.min(30, failures.size())));
    }

    /**
     * Refusals of the HTTP layer itself, before any route or filter runs, carry a status and no body:
     * a request line over 4 KiB (414), headers over 20 KiB (431), and a target that is not a valid URI
     * (Quarkus answers a bare 400 to a malformed percent-escape).
     */
    static boolean transportRefusal(Fuzzer.Case c, RawHttp.Response r) {
        return r.status() == 414 || r.status() == 431
                || r.status() == 400 && r.body().length == 0 && c.target().matches(".*%(?![0-9A-Fa-f]{2}).*");
    }

    static boolean jsonError(RawHttp.Response r) {
        try {
            JsonNode body = Fuzzer.JSON.readTree(r.body());
            return body != null && body.has("error");
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void theAdminTokenGuardsEveryAdminAndInternalRoute() throws Exception {
        Map<String, String> samples = new LinkedHashMap<>(SAMPLES);
        samples.put("id", "no-such-node");
        int checked = 0;
        for (Fuzzer.Route r : routes()) {
            if (!r.service().equals("registry") || !(r.template().startsWith("/admin/") || r.template().startsWith("/internal/"))) {
                continue;
            }
            String target = Fuzzer.fill(r.template(), samples, null, null);
            byte[] body = r.seed() == null ? null : Fuzzer.bytes(r.seed());
            for (Map<String, String> h : List.of(Map.of("Content-Type", "application/json"),
                    Map.of("Content-Type", "application/json", "Authorization", "Bearer " + ADMIN_TOKEN + "x"),
                    Map.of("Content-Type", "application/json", "Authorization", "Basic " + ADMIN_TOKEN))) {
                RawHttp.Response answer = RawHttp.send(r.port(), r.method(), target, h, body, TIMEOUT_MILLIS);
                assertEquals(401, answer.status(), r.method() + " " + target + " with " + h.keySet() + ": " + answer.text());
                assertTrue(jsonError(answer), answer.text());
            }
            RawHttp.Response allowed = RawHttp.send(r.port(), r.method(), target, registryAuth(), body, TIMEOUT_MILLIS);
            assertTrue(allowed.status() != 401 && allowed.status() < 500, r.method() + " " + target + " with the token: " + allowed.status());
            checked++;
        }
        Files.writeString(REPORT.resolve("admin-token-report.txt"), "routes checked: " + checked + "\n");
        assertTrue(checked >= 11, "every admin and internal route was checked: " + checked);
    }

    @Test
    void noAnswerEverCarriesASecret() throws Exception {
        List<String> secrets = List.of(ADMIN_TOKEN, CALLBACK_TOKEN, DB_PASSWORD, API_KEY);
        List<String> extra = List.of("/", "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live", "/q/openapi",
                "/q/openapi?format=json", "/q/info", "/q/dev-ui", "/q/arc", "/admin/v1/config", "/v1/config", "/admin/v1/nodes/fuzz-seed");
        int answers = 0;
        Map<String, Integer> ports = Map.of("registry", stack.registry().port(), "collector", stack.collector().port(),
                "api", stack.api().port());
        List<Fuzzer.Route> routes = routes();
        for (Map.Entry<String, Integer> service : ports.entrySet()) {
            List<String> targets = new ArrayList<>(extra);
            for (Fuzzer.Route r : routes) {
                if (r.service().equals(service.getKey()) && r.method().equals("GET")) {
                    targets.add(Fuzzer.fill(r.template(), SAMPLES, null, null));
                }
            }
            for (String target : targets) {
                // with every credential the caller could hold, and with wrong ones (error answers echo nothing)
                for (Map<String, String> h : List.of(Map.of("Authorization", "Bearer " + (service.getKey().equals("api") ? API_KEY : ADMIN_TOKEN)),
                        Map.of("Authorization", "Bearer wrong"), Map.<String, String>of())) {
                    RawHttp.Response answer = RawHttp.send(service.getValue(), "GET", target, h, null, TIMEOUT_MILLIS);
                    String all = answer.headers() + "\n" + answer.text();
                    for (String secret : secrets) {
                        assertTrue(!all.contains(secret), service.getKey() + " GET " + target + " answered a secret");
                    }
                    answers++;
                }
            }
        }
        Files.writeString(REPORT.resolve("secrets-report.txt"), "answers searched: " + answers + "\n");
        assertTrue(answers > 100, "answers searched: " + answers);
    }

    @Test
    void everyRouteThatTakesABodyRefusesAnOversizeOneAtOnce() throws Exception {
        registerSeed(); // the collector reads bodies only from admitted senders; strangers get a 403 before that
        byte[] oversize = new byte[80 * 1024 * 1024]; // over every service's limit (api 10 MiB, registry 16 MiB, collector 64 MiB)
        java.util.Arrays.fill(oversize, (byte) ' ');
        int checked = 0;
        for (Fuzzer.Route r : routes()) {
            if (!r.method().equals("POST") && !r.method().equals("PUT")) {
                continue;
            }
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.put("Content-Type", "application/json");
            String target = Fuzzer.fill(r.template(), SAMPLES, null, null);
            String what = r.service() + " " + r.method() + " " + target;
            // declared up front: refused from the Content-Length alone, by the HTTP layer when over its cap (a bare
            // 413 that closes the connection) and by the route as JSON when only over the route's own limit
            RawHttp.Response declared = RawHttp.send(r.port(), r.method(), target, h, oversize, TIMEOUT_MILLIS);
            assertEquals(413, declared.status(), what + ": " + declared.text());
            assertTrue(jsonError(declared) || declared.body().length == 0, what + ": " + declared.text());
            if (r.seed() != null) {
                // streamed without a length: cut off once the limit is passed, never buffered whole (routes
                // without a body never read one)
                RawHttp.Response streamed = RawHttp.sendChunked(r.port(), r.method(), target, h, oversize.length, TIMEOUT_MILLIS);
                assertEquals(413, streamed.status(), what + " (chunked): " + streamed.text());
            }
            checked++;
        }
        for (ServiceProcess service : List.of(stack.registry(), stack.collector(), stack.api())) {
            assertEquals(200, RawHttp.send(service.port(), "GET", "/q/health/live", Map.of(), null, TIMEOUT_MILLIS).status());
        }
        Files.writeString(REPORT.resolve("body-limits-report.txt"), "routes checked: " + checked + "\n");
        assertTrue(checked >= 10, "routes checked: " + checked);
    }
}
