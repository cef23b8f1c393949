package io.gonkanode.registry.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * poc-collector's epoch read API and chain status, which the dashboard shows through the admin port. The answers are passed
 * through as they are (status and JSON), so they are read as a Response, not modelled.
 */
@RegisterRestClient(configKey = "poc-collector")
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface CollectorEpochsApi {

    @GET
    @Path("epochs/latest")
    Response latest();

    @GET
    @Path("epochs/{epoch}/participants")
    Response participants(@PathParam("epoch") String epoch);

    @GET
    @Path("chain/status")
    Response chainStatus();

    @GET
    @Path("chain/host")
    Response host();

    @GET
    @Path("chain/txs")
    Response txs(@jakarta.ws.rs.QueryParam("limit") String limit);

    @GET
    @Path("chain/validations")
    Response validations();

    @GET
    @Path("chain/upgrade-plan")
    Response upgradePlan();
}
