package io.gonkanode.system;

import io.gonkanode.local.StackOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Options for a local stack of the packaged services, on free ports, in a fresh temporary folder. */
public final class TestStacks {

    private TestStacks() {
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every port free, output to log files only, built jars from the repository root, chain-sim making fast epochs'
     * blocks with its two peers. Simulated nodes need
     * consecutive ports from their bases; with one or two nodes the chance that one is taken is small.
     */
    public static StackOptions options(String name) {
        StackOptions o = new StackOptions();
        o.root = Path.of("..");
        try {
            o.dataDir = Files.createTempDirectory("gonka-" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        o.console = null;
        o.dbPort = freePort();
        o.apiPort = freePort();
        o.registryPort = freePort();
        o.collectorPort = freePort();
        o.simPortBase = freePort();
        o.simInferencePortBase = freePort();
        o.chainPort = freePort();
        return o;
    }
}
