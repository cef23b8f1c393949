package io.gonkanode.collector.validation;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.gonkanode.collector.config.CollectorConfig;
import io.gonkanode.collector.registry.NodeInfo;
import io.gonkanode.collector.registry.NodeStatus;
import io.gonkanode.testing.BadMlNode;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector contacts a validator only at its registered address: a redirect fails the call, it is never followed. */
class ValidatorClientTest {

    @SuppressWarnings("unchecked")
    static <T> T config(Class<T> type, Map<String, Object> values) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (values.containsKey(method.getName())) {
                return values.get(method.getName());
            }
            return method.getReturnType() == Optional.class ? Optional.empty() : null;
        });
    }

    static ValidatorClient client() {
        return client(Optional.empty(), Optional.empty());
    }

    static ValidatorClient client(Optional<String> configured, Optional<String> chain) {
        CollectorConfig.Network network = config(CollectorConfig.Network.class, Map.of("mlnodeVersion", configured));
        return new ValidatorClient(config(CollectorConfig.class, Map.of("network", network)), () -> chain);
    }

    @Test
    void theChainsMlNodeVersionPrefixesTheUrlAsTheRegistryDoesElseTheSetting() {
        assertEquals("/v3.0.12", client(Optional.of("v3.0.8"), Optional.of("v3.0.12")).versionPrefix(), "the chain's version wins");
        assertEquals("/v3.0.8", client(Optional.of("v3.0.8"), Optional.of("")).versionPrefix(), "none on chain: the setting");
        assertEquals("", client(Optional.empty(), Optional.empty()).versionPrefix(), "neither: no prefix");
    }

    static NodeInfo node(BadMlNode ml) {
        return new NodeInfo("v", 1, "127.0.0.1", ml.managementPort(), "", true, "m", NodeStatus.INFERENCE, true, java.util.List.of("m"),
                java.util.List.of(), "3.0.14");
    }

    @Test
    void aRedirectFailsTheCallAndIsNotFollowed() {
        try (BadMlNode trap = new BadMlNode(BadMlNode.Mode.SILENT);
             BadMlNode redirect = new BadMlNode(BadMlNode.Mode.REDIRECT).redirectTo(trap.url() + "/api/v1/inference/pow/generate")) {
            Exception e = assertThrows(IllegalStateException.class,
                    () -> client().generate(node(redirect), JsonNodeFactory.instance.objectNode()));
            assertTrue(e.getMessage().contains("answered 307"), e.getMessage());
            assertEquals(0, trap.connections());
        }
    }

    @Test
    void anAnswerThatIsNotJsonFailsTheCall() {
        try (BadMlNode garbage = new BadMlNode(BadMlNode.Mode.GARBAGE_JSON)) {
            assertThrows(Exception.class, () -> client().generate(node(garbage), JsonNodeFactory.instance.objectNode()));
        }
    }
}
