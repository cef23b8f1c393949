package io.gonkanode.collector.selftest;

import io.gonkanode.collector.artifact.GeneratedBatch;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The self-test sink's routes: node-registry opens and reads runs on the internal API, the ML node under test posts
 * its artifacts to the run's one-off callback URL. A run id is 32 hex characters from SecureRandom: knowing it is the
 * permission to post, so these callbacks need neither the callback token nor a registered address, and nothing posted
 * here goes near the artifact store.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "self-test")
public class SelfTestResource {

    static final Pattern ID = Pattern.compile("[0-9a-f]{32}");
    /** A test posts a few batches of at most a few thousand artifacts. */
    static final int MAX_ARTIFACTS_PER_BATCH = 50_000;

    private final SelfTestSink sink;
    private final Optional<byte[]> adminToken;

    public SelfTestResource(SelfTestSink sink, CollectorConfig config) {
        this.sink = sink;
        this.adminToken = config.registry().adminToken().map(String::strip).filter(t -> !t.isEmpty())
                .map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    /** The internal routes take this host's admin token when one is set (GONKA_ADMIN_TOKEN), as node-registry's do. */
    private void authorized(String authorization) {
        if (adminToken.isEmpty()) {
            return;
        }
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).strip() : "";
        if (!MessageDigest.isEqual(adminToken.get(), presented.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "this route needs the admin token: Authorization: Bearer <GONKA_ADMIN_TOKEN>");
        }
    }

    @POST
    @Path("internal/v1/selftests")
    @Operation(summary = "Opens a self-test run: its id, for the callback path /selftest/<id>/v2/poc-batches/<model>")
    public Map<String, String> open(@HeaderParam("Authorization") String authorization) {
        authorized(authorization);
        String id = sink.open();
        return Map.of("id", id, "callback_path", "/selftest/" + id);
    }

    @GET
    @Path("internal/v1/selftests/{id}")
    @Operation(summary = "What the ML node under test posted to the run: counts, arrival times, up to `limit` artifacts (default 1000)")
    public SelfTestSink.Received read(@PathParam("id") String id, @QueryParam("limit") String limit,
                                      @HeaderParam("Authorization") String authorization) {
        authorized(authorization);
        int n = 1000;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit must be a whole number from 0 to " + SelfTestSink.MAX_ARTIFACTS);
            }
            if (n < 0 || n > SelfTestSink.MAX_ARTIFACTS) {
                throw ApiException.badRequest("limit must be a whole number from 0 to " + SelfTestSink.MAX_ARTIFACTS);
            }
        }
        return run(id).received(n);
    }

    @DELETE
    @Path("internal/v1/selftests/{id}")
    @Operation(summary = "Closes a self-test run and forgets what it received")
    public boolean close(@PathParam("id") String id, @HeaderParam("Authorization") String authorization) {
        authorized(authorization);
        return ID.matcher(id).matches() && sink.close(id);
    }

    @POST
    @Path("selftest/{id}/v2/poc-batches/{model}/generated")
    @Operation(summary = "PoC v2 artifacts of an ML node under self-test (the run's one-off callback)")
    public Response generated(@PathParam("id") String id, byte[] body) {
        SelfTestSink.Run run = run(id);
        run.add(GeneratedBatch.parse(body, MAX_ARTIFACTS_PER_BATCH)); // a malformed batch: its 400 naming the field
        return Response.ok().build();
    }

    private SelfTestSink.Run run(String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiException.notFound("no such self-test run");
        }
        return sink.run(id).orElseThrow(() -> ApiException.notFound("no such self-test run (closed, or older than 15 minutes)"));
    }
}
