package io.gonkanode.registry.node;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeRulesTest {

    private static final String MODEL = "Qwen/Qwen3-235B-A22B-Instruct-2507-FP8";
    private static final Set<String> SUPPORTED = Set.of(MODEL);

    private static NodeSpec spec(String id, String host, long inf, long poc, long max, Map<String, ModelArgs> models) {
        return NodeRules.normalize(new NodeSpec(id, host, "", inf, "", poc, max, models, null));
    }

    private static Map<String, ModelArgs> model() {
        return Map.of(MODEL, new ModelArgs(List.of()));
    }

    @Test
    void aValidNodeHasNoProblems() {
        assertEquals(List.of(), NodeRules.problems(spec("node1", "10.0.0.21", 5050, 8080, 500, model()), List.of(), SUPPORTED));
    }

    @Test
    void everyBasicProblemIsReportedInUpstreamWords() {
        List<String> problems = NodeRules.problems(spec(" ", "", 0, 70000, 0, Map.of()), List.of(), SUPPORTED);
        assertEquals(List.of(
                "node id is required and cannot be empty",
                "host is required and cannot be empty",
                "inference_port must be between 1 and 65535, got 0",
                "poc_port must be between 1 and 65535, got 70000",
                "max_concurrent must be greater than 0, got 0",
                "at least one model must be specified"), problems);
    }

    @Test
    void modelsThatAreNotGovernanceModelsAreNamedWithTheGovernanceOnes() {
        List<String> problems = NodeRules.problems(
                spec("n", "h", 1, 2, 3, Map.of("Qwen/Qwen3-32B-FP8", new ModelArgs(List.of()))), List.of(), SUPPORTED);
        assertEquals(List.of("model Qwen/Qwen3-32B-FP8 is not a valid governance model; governance models: " + MODEL), problems);
        assertEquals(List.of("node n has no governance-valid models (model Qwen/Qwen3-32B-FP8 is not a valid governance model; "
                + "governance models: " + MODEL + ")"), NodeRules.problems(
                spec("n", "h", 1, 2, 3, Map.of("Qwen/Qwen3-32B-FP8", new ModelArgs(List.of()))), List.of(), SUPPORTED, true));
        assertEquals(List.of(), NodeRules.problems(spec("n", "h", 1, 2, 3, Map.of("Qwen/Qwen3-32B-FP8", new ModelArgs(List.of()),
                MODEL, new ModelArgs(List.of()))), List.of(), SUPPORTED, true), "creating: one governance model is enough");
        assertEquals(Set.of(MODEL), NodeRules.governanceOnly(spec("n", "h", 1, 2, 3, Map.of("Qwen/Qwen3-32B-FP8",
                new ModelArgs(List.of()), MODEL, new ModelArgs(List.of()))), SUPPORTED).models().keySet());
    }

    @Test
    void duplicateEndpointsNameTheOtherNodeButNotTheNodeItself() {
        List<NodeRules.Endpoints> others = List.of(new NodeRules.Endpoints("a", "Gpu-1", 5050, 8080));
        assertEquals(List.of(
                        "duplicate inference host+port combination: gpu-1:5050 (already used by node 'a')",
                        "duplicate PoC host+port combination: gpu-1:8080 (already used by node 'a')"),
                NodeRules.problems(spec("b", "gpu-1", 5050, 8080, 1, model()), others, SUPPORTED));
        assertEquals(List.of(), NodeRules.problems(spec("a", "gpu-1", 5050, 8080, 1, model()), others, SUPPORTED));
        assertEquals(List.of(), NodeRules.problems(spec("b", "gpu-2", 5050, 8080, 1, model()), others, SUPPORTED));
    }

    @Test
    void hostsWithASchemeAreStoredBare() {
        assertEquals("10.0.0.21", NodeRules.normalize(new NodeSpec("n", "http://10.0.0.21", "", 1, "", 2, 3, model(), null)).host());
        assertEquals("gpu.example.com", HostNames.normalize("https://gpu.example.com/"));
        assertEquals("fd00::1", HostNames.normalize("[fd00::1]"));
    }

    @Test
    void onlyHostnamesAndAddressesAreHosts() {
        for (String ok : List.of("inference", "10.0.0.21", "gpu-01.dc.example.com", "fd00::1", "mlnode_308")) {
            assertTrue(HostNames.isValid(ok), ok);
        }
        for (String bad : List.of("a b", "10.0.0.256", ":::", "fd00::1::2", "host:8080", "evil.com/path", "user@host", "-x", "a..b", "x".repeat(254))) {
            assertFalse(HostNames.isValid(HostNames.normalize(bad)), bad);
        }
    }

    @Test
    void segmentsArePathsOnlySoTheyCannotRedirectToAnotherHost() {
        NodeSpec atSign = new NodeSpec("n", "h", "@evil.com", 1, "/v3.0.8", 2, 3, model(), null);
        assertEquals(List.of("inference_segment must be empty or a URL path starting with '/', got '@evil.com'"),
                NodeRules.problems(atSign, List.of(), SUPPORTED));
    }

    @Test
    void idsMustBeSafeInAUrlPath() {
        for (String bad : List.of("../etc", "a/b", "ü", "x".repeat(129), "a b")) {
            List<String> problems = NodeRules.problems(spec(bad, "h", 1, 2, 3, model()), List.of(), SUPPORTED);
            assertEquals(1, problems.size(), bad);
            assertTrue(problems.get(0).startsWith("node id must be 1 to 128"), problems.get(0));
        }
    }
}
