package io.gonkanode.sim.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gonkanode.sim.config.SimConfig;
import io.gonkanode.sim.fault.Faults;
import io.gonkanode.sim.inference.InferenceStats;
import io.gonkanode.sim.poc.CallbackPoster;
import io.gonkanode.sim.poc.PocEngine;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Every ML node this process plays (SIM_NODES). Node 0 answers on the Quarkus HTTP port; each other node gets an
 * HTTP server of its own on the same router, so all routes, prefixes and errors are the same everywhere and a
 * request is served by the node whose port it arrived on. The nodes share their timers, callback workers and HTTP
 * client, so a thousand nodes cost a handful of threads, not thousands.
 */
@ApplicationScoped
public class SimNodes {

    private final SimConfig config;
    private final Vertx vertx;
    private final int httpPort;
    private final List<SimNode> nodes;
    private final Map<Integer, SimNode> byPort = new ConcurrentHashMap<>();
    private final List<HttpServer> servers = Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService timers;
    private final ExecutorService callbacks;

    public SimNodes(SimConfig config, Vertx vertx, ObjectMapper json,
                    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort) {
        if (config.nodes() < 1) {
            throw new IllegalArgumentException("sim.nodes (SIM_NODES) must be at least 1, was " + config.nodes());
        }
        this.config = config;
        this.vertx = vertx;
        this.httpPort = httpPort;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(config.nodes() > 1 ? 2 : 1, r -> daemon(r, "sim-timer"));
        t.setRemoveOnCancelPolicy(true);
        this.timers = t;
        this.callbacks = Executors.newFixedThreadPool(Math.min(64, 4 * config.nodes()), r -> daemon(r, "poc-callbacks"));
        CallbackPoster poster = new CallbackPoster(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), config);
        List<SimNode> all = new ArrayList<>(config.nodes());
        for (int i = 0; i < config.nodes(); i++) {
            Faults faults = new Faults(config);
            InferenceStats stats = new InferenceStats();
            PocEngine poc = new PocEngine(config, faults, json, poster, timers, callbacks);
            int inferencePort = config.inferencePort() == 0 ? 0 : config.inferencePort() + i;
            MlNode ml = new MlNode(config, faults, poc, stats, vertx, json, timers, inferencePort);
            all.add(new SimNode(i, faults, stats, poc, ml));
        }
        this.nodes = List.copyOf(all);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Nodes 1 ... n - 1 listen on ports of their own, served by the application's router like node 0. */
    void listen(@Observes Router router) {
        SimNode first = nodes.get(0);
        first.managementPort(httpPort);
        if (httpPort == 0 || LaunchMode.current() == LaunchMode.TEST) {
            // a free port (tests): node 0 learns it from the first request it serves
            first.managementPort(0);
            router.route().order(-2000).handler(ctx -> {
                SocketAddress local = ctx.request().localAddress();
                if (first.managementPort() == 0 && local != null && !byPort.containsKey(local.port())) {
                    first.managementPort(local.port());
                }
                ctx.next();
            });
        }
        int base = config.nodePortBase().orElse(httpPort + 1);
        for (int i = 1; i < nodes.size(); i++) {
            int port = base == 0 ? 0 : base + i - 1;
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("0.0.0.0").setIdleTimeout(0));
            try {
                server.requestHandler(router).listen(port).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("ML node " + i + " cannot listen on port " + port + ": " + e.getMessage(), e);
            }
            servers.add(server);
            nodes.get(i).managementPort(server.actualPort());
            byPort.put(server.actualPort(), nodes.get(i));
        }
        if (nodes.size() > 1) {
            Log.infof("playing %d ML nodes: node 1 on port %d ... node %d on port %d", nodes.size(),
                    nodes.get(1).managementPort(), nodes.size() - 1, nodes.get(nodes.size() - 1).managementPort());
        }
    }

    void onStart(@Observes StartupEvent event) {
        config.autoStartModel().filter(m -> !m.isBlank()).ifPresent(m -> {
            Log.infof("auto-starting inference with %s on %d node(s)", m, nodes.size());
            nodes.forEach(n -> n.ml().startInference(m));
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        nodes.forEach(n -> {
            n.ml().stopAll();
            n.poc().close();
        });
        synchronized (servers) {
            servers.forEach(HttpServer::close);
        }
        timers.shutdownNow();
        callbacks.shutdownNow();
    }

    /** The node a request is for: the one whose port it arrived on; node 0 for the Quarkus HTTP port. */
    public SimNode at(HttpServerRequest request) {
        SocketAddress local = request.localAddress();
        SimNode node = local == null ? null : byPort.get(local.port());
        return node == null ? nodes.get(0) : node;
    }

    public List<SimNode> all() {
        return nodes;
    }
}
