package io.gonkanode.registry.dashboard;

import io.gonkanode.registry.config.RegistryConfig;
import io.gonkanode.common.rest.ApiException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * poc-collector's epoch clock and weights on the admin port, behind the admin token, for the dashboard
 * (the browser then talks to one origin only) and for operators who only reach 9200.
 */
@Path("/admin/v1/epochs")
@Tag(name = "Epochs (from poc-collector)")
@Produces(MediaType.APPLICATION_JSON)
public class EpochProxyResource {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String collector;

    public EpochProxyResource(RegistryConfig config) {
        String url = config.collectorUrl();
        this.collector = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @GET
    @Path("latest")
    @Operation(summary = "poc-collector's /v1/epochs/latest: height, epoch, phase, stage heights")
    public Response latest() {
        return forward("/v1/epochs/latest");
    }

    @GET
    @Path("{epoch}/weights")
    @Operation(summary = "poc-collector's /v1/epochs/{epoch}/weights: per node artifacts, weight, status")
    public Response weights(@PathParam("epoch") String epoch) {
        if (!epoch.equals("current") && !epoch.matches("[0-9]{1,18}")) {
            throw new ApiException(400, "epoch must be a number or 'current', got '"
                    + (epoch.length() > 32 ? epoch.substring(0, 32) + "..." : epoch) + "'");
        }
        return forward("/v1/epochs/" + epoch + "/weights");
    }

    private Response forward(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(collector + path)).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            int status = r.statusCode() >= 500 ? 502 : r.statusCode();
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(r.body()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        } catch (Exception e) {
            throw new ApiException(502, "poc-collector did not answer at " + collector);
        }
    }
}
