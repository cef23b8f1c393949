package io.gonkanode.collector.chain;

import io.gonkanode.common.rest.ApiException;

import java.io.IOException;

/**
 * The public read API's calls to the chain node: a node that does not answer is a 503 saying so, one that answers with
 * an error a 502 quoting it; never a 500.
 */
public final class ChainCalls {

    /** A read from the chain node. */
    @FunctionalInterface
    public interface Read<T> {
        T get() throws IOException, InterruptedException;
    }

    private ChainCalls() {
    }

    public static <T> T answer(Read<T> read) {
        try {
            return read.get();
        } catch (ChainRpc.ChainError e) {
            // the node answered, with an error of its own (a query it cannot serve at this height, ...)
            throw new ApiException(502, "the chain node refused the query: " + e.getMessage());
        } catch (IOException e) {
            throw new ApiException(503, "the chain node did not answer, try again shortly: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted while asking the chain node");
        }
    }
}
