package io.gonkanode.collector.proofs;

import io.gonkanode.collector.chain.BlockFollower;
import io.gonkanode.protocol.crypto.SigningKey;
import io.gonkanode.protocol.proofs.ProofService;
import io.gonkanode.protocol.proofs.RateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The proofs API other hosts validate this host through (writes spec §5), reached on the public port through
 * api-node: signed requests for SMST proofs of this host's committed artifacts, by dense index or by nonce, and the
 * store's state. Upstream's checks, texts and codes ({@link ProofService}); per client address (the one api-node
 * forwards) 5 requests a second with bursts of 30.
 */
@Path("/") // not "/v1": a class at /v1 would shadow the legacy callbacks under "/" (JAX-RS matches classes first)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "proofs")
public class ProofsResource {

    static final int MAX_BODY = 10 * 1024 * 1024;

    private final ProofService service;
    private final RateLimiter limiter = new RateLimiter();
    private final MeterRegistry metrics;
    private final Counter proofsServed;

    public ProofsResource(BlockFollower follower, StoredProofs store, ProofSigners signers, Optional<SigningKey> warm,
                          MeterRegistry metrics) {
        this.service = new ProofService(follower.enabled() ? store : null, signers, warm.orElse(null), ProofsResource::nowNanos);
        this.metrics = metrics;
        this.proofsServed = Counter.builder("gonka.poc.proofs.served").description("SMST proofs handed to validating hosts")
                .register(metrics);
        for (String outcome : List.of("served", "refused", "limited")) {
            Counter.builder("gonka.poc.proof.requests").tag("outcome", outcome)
                    .description("proof requests by outcome: served, refused (4xx), limited (429)").register(metrics);
        }
    }

    @POST
    @Path("v1/poc/proofs")
    @Operation(summary = "SMST proofs of committed artifacts by dense index (signed request, at most 500)")
    public Response proofs(byte[] body, @Context HttpServerRequest request) {
        return limited(request, body).orElseGet(() -> counted(service.proofs(body)));
    }

    @POST
    @Path("v1/poc/proofs/by-nonce")
    @Operation(summary = "SMST proofs of committed artifacts by nonce (signed request, at most 500; absent nonces left out)")
    public Response proofsByNonce(byte[] body, @Context HttpServerRequest request) {
        return limited(request, body).orElseGet(() -> counted(service.proofsByNonce(body)));
    }

    @GET
    @Path("v1/poc/artifacts/state")
    @Operation(summary = "The stored count and root of a model at the active stage")
    public Response state(@QueryParam("height") String height, @QueryParam("model_id") String modelId) {
        return answer(service.state(height, modelId));
    }

    private Optional<Response> limited(HttpServerRequest request, byte[] body) {
        if (!limiter.allow(clientAddress(request), System.nanoTime())) {
            metrics.counter("gonka.poc.proof.requests", "outcome", "limited").increment();
            return Optional.of(answer(ProofService.Answer.error(429, "rate limit exceeded")));
        }
        if (body != null && body.length > MAX_BODY) {
            return Optional.of(answer(ProofService.Answer.error(413, "Request Entity Too Large")));
        }
        return Optional.empty();
    }

    /** Echo's RealIP, as upstream: X-Real-IP, else the first X-Forwarded-For entry, else the peer. */
    static String clientAddress(HttpServerRequest request) {
        String real = request.getHeader("X-Real-IP");
        if (real != null && !real.isBlank()) {
            return real.trim();
        }
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            return forwarded.split(",")[0].trim();
        }
        return request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    }

    private Response counted(ProofService.Answer a) {
        boolean served = a.status() == 200;
        metrics.counter("gonka.poc.proof.requests", "outcome", served ? "served" : "refused").increment();
        if (served) {
            proofsServed.increment(a.proofs());
        }
        return answer(a);
    }

    /** The answer's JSON bytes as the service wrote them (500 proofs are about 600 KB, written once). */
    private static Response answer(ProofService.Answer a) {
        return Response.status(a.status()).type(MediaType.APPLICATION_JSON).entity(a.json()).build();
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
