package io.gonkanode.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code deploy/observability} holds, read as a test needs it: the Grafana dashboards' Prometheus queries, the
 * metric names a query or an alert refers to, and the Prometheus binary where the machine has one ({@code .ci/run}
 * installs Debian's {@code prometheus} and sets GONKA_REQUIRE_PROMETHEUS=1; without it a check that needs it is
 * skipped, unless that variable asks for it).
 */
public final class Observability {

    public static final Path DIR = Path.of("..", "deploy", "observability");
    public static final Path DASHBOARDS = DIR.resolve(Path.of("grafana", "dashboards"));
    /** A metric of ours or of the frameworks we run on: these prefixes, nothing else (PromQL functions are lower case too). */
    static final Pattern METRIC = Pattern.compile("\\b((?:gonka|registry|collector|api|http_server|jvm|process)_[a-z0-9_]*[a-z0-9]|up)\\b(?![\\s]*\\()");
    /** Label names inside braces and after by/without, and strings, are not metric names: they are cut out first. */
    static final Pattern NOT_METRICS = Pattern.compile("\\{[^}]*}|\"[^\"]*\"|(?:by|without|on|ignoring)\\s*\\([^)]*\\)");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Observability() {
    }

    /** One dashboard panel query: where it is and its expression. */
    public record Query(String dashboard, String panel, String datasource, String expr) {
    }

    public static List<Path> dashboards() {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode dashboard(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every panel's every query, rows' nested panels included. */
    public static List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Path file : dashboards()) {
            JsonNode d = dashboard(file);
            collect(file.getFileName().toString(), d.path("panels"), out);
        }
        return out;
    }

    private static void collect(String dashboard, JsonNode panels, List<Query> out) {
        for (JsonNode p : panels) {
            collect(dashboard, p.path("panels"), out);
            for (JsonNode t : p.path("targets")) {
                String ds = t.path("datasource").path("uid").asText(p.path("datasource").path("uid").asText());
                out.add(new Query(dashboard, p.path("title").asText(), ds, t.path("expr").asText()));
            }
        }
    }

    /** The metric names a PromQL expression reads. */
    public static Set<String> metrics(String expr) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = METRIC.matcher(NOT_METRICS.matcher(expr).replaceAll(" "));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The expressions of the alert rules file (each {@code expr:}, one line or a {@code |} block). */
    public static List<String> alertExpressions() {
        List<String> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(DIR.resolve("alerts.yml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0) {
                continue;
            }
            String rest = line.substring(at + 5).trim();
            if (!rest.equals("|")) {
                out.add(rest);
                continue;
            }
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || indent(lines.get(i + 1)) > at)) {
                block.append(lines.get(++i).trim()).append('\n');
            }
            out.add(block.toString().trim());
        }
        return out;
    }

    private static int indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    /** Debian's Prometheus, where the machine has it. */
    public static boolean prometheusReady() {
        return Files.isExecutable(Path.of("/usr/bin/prometheus"));
    }

    public static boolean prometheusRequired() {
        return "1".equals(System.getenv("GONKA_REQUIRE_PROMETHEUS"));
    }
}
