package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboards and alert rules of {@code deploy/observability} refer only to metrics the services declare (a Micrometer
 * name in their sources, as Prometheus spells it) or that Quarkus and Prometheus themselves export; the dashboards are
 * well formed for Grafana's file provisioning; every alert has a unit test in {@code alerts.test.yml}. ChainStackIT
 * runs them against a real Prometheus scraping a live stack.
 */
class DashboardLintTest {

    static final List<String> SERVICES = List.of("node-registry", "poc-collector", "api-node");
    static final Pattern DECLARED = Pattern.compile("\"((?:gonka|registry|collector|api)(?:\\.[a-z0-9]+)+)\"");
    /** What Prometheus' Micrometer registry adds to a name: counters' _total, timers' unit and parts. */
    static final List<String> SUFFIXES = List.of("", "_total", "_seconds", "_seconds_count", "_seconds_sum", "_seconds_max", "_count",
            "_sum", "_max", "_bucket");
    /** Exported by Quarkus (HTTP server, JVM, process) and by Prometheus itself. */
    static final Pattern FRAMEWORK = Pattern.compile("up|http_server_requests_seconds(_count|_sum|_max)?|jvm_[a-z0-9_]+|process_[a-z0-9_]+");

    @Test
    void everyMetricADashboardOrAlertReadsIsOneTheServicesExport() throws IOException {
        Set<String> declared = declared();
        assertTrue(declared.contains("gonka_poc_artifacts") && declared.contains("registry_node_status"), declared.toString());
        List<String> unknown = new ArrayList<>();
        for (Observability.Query q : Observability.queries()) {
            if (q.datasource().equals("prometheus")) {
                for (String m : Observability.metrics(q.expr())) {
                    if (!known(m, declared)) {
                        unknown.add(q.dashboard() + " / " + q.panel() + ": " + m);
                    }
                }
            }
        }
        List<String> alerts = Observability.alertExpressions();
        assertEquals(7, alerts.size(), alerts.toString());
        for (String expr : alerts) {
            assertFalse(Observability.metrics(expr).isEmpty(), expr);
            for (String m : Observability.metrics(expr)) {
                if (!known(m, declared)) {
                    unknown.add("alerts.yml: " + m);
                }
            }
        }
        assertTrue(unknown.isEmpty(), "metrics no service exports: " + unknown);
    }

    @Test
    void theLintWouldCatchAMisspelledMetric() throws IOException {
        Set<String> declared = declared();
        assertTrue(known("gonka_chain_txs_total", declared));
        assertTrue(known("collector_batch_seconds", declared));
        assertFalse(known("gonka_chain_tx_total", declared));
        assertFalse(known("registry_nodes_status", declared));
        assertEquals(Set.of("gonka_poc_artifacts", "gonka_poc_committed_artifacts"),
                Observability.metrics("sum by (model) (gonka_poc_artifacts{node=\"gonka_x\"}) - on (model) gonka_poc_committed_artifacts"));
    }

    @Test
    void theDashboardsAreWellFormedForProvisioning() {
        Set<String> uids = new HashSet<>();
        List<Path> files = Observability.dashboards();
        assertEquals(3, files.size(), files.toString());
        for (Path file : files) {
            JsonNode d = Observability.dashboard(file);
            String name = file.getFileName().toString();
            assertTrue(uids.add(d.path("uid").asText()), "uid unique: " + name);
            assertFalse(d.path("title").asText().isBlank(), name);
            assertFalse(d.has("id") && !d.path("id").isNull(), "no database id in a provisioned dashboard: " + name);
            Set<Integer> ids = new HashSet<>();
            for (JsonNode p : d.path("panels")) {
                assertTrue(ids.add(p.path("id").asInt()), name + ": panel id " + p.path("id") + " twice");
                JsonNode pos = p.path("gridPos");
                assertTrue(pos.path("x").asInt() + pos.path("w").asInt() <= 24 && pos.path("h").asInt() > 0, name + ": " + p.path("title"));
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                assertFalse(p.path("title").asText().isBlank(), name + ": a panel without a title");
                assertFalse(p.path("description").asText().isBlank(), name + ": " + p.path("title") + " says what it shows");
                assertTrue(Set.of("prometheus", "loki").contains(p.path("datasource").path("uid").asText()),
                        name + ": " + p.path("title") + " uses a provisioned datasource");
                assertFalse(p.path("targets").isEmpty(), name + ": " + p.path("title"));
                for (JsonNode t : p.path("targets")) {
                    assertFalse(t.path("expr").asText().isBlank(), name + ": " + p.path("title"));
                }
            }
        }
    }

    @Test
    void everyAlertHasAUnitTest() throws IOException {
        String rules = Files.readString(Observability.DIR.resolve("alerts.yml"));
        String tests = Files.readString(Observability.DIR.resolve("alerts.test.yml"));
        Matcher m = Pattern.compile("- alert: (\\w+)").matcher(rules);
        int n = 0;
        while (m.find()) {
            n++;
            assertTrue(tests.contains("alertname: " + m.group(1)), m.group(1) + " has no test in alerts.test.yml");
        }
        assertEquals(7, n);
    }

    static boolean known(String metric, Set<String> declared) {
        if (FRAMEWORK.matcher(metric).matches()) {
            return true;
        }
        for (String suffix : SUFFIXES) {
            if (metric.endsWith(suffix) && declared.contains(metric.substring(0, metric.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }

    /** Every Micrometer name in the services' sources, as Prometheus spells it. */
    static Set<String> declared() throws IOException {
        Set<String> out = new HashSet<>();
        for (String service : SERVICES) {
            try (Stream<Path> files = Files.walk(Path.of("..", service, "src", "main", "java"))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = DECLARED.matcher(Files.readString(f));
                    while (m.find()) {
                        out.add(m.group(1).replace('.', '_'));
                    }
                }
            }
        }
        return out;
    }
}
