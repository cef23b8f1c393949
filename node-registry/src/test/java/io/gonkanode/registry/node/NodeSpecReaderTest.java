package io.gonkanode.registry.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeSpecReaderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static NodeSpecReader.Result read(String json) throws Exception {
        return NodeSpecReader.read(JSON.readTree(json));
    }

    @Test
    void readsTheUpstreamExample() throws Exception {
        NodeSpecReader.Result r = read("""
                {"id":"node1","host":"inference","inference_port":5000,"poc_port":8080,"max_concurrent":500,
                 "models":{"Qwen/Qwen2.5-7B-Instruct":{"args":["--quantization","fp8"]}},"unknown_key":1}""");
        assertTrue(r.ok());
        assertEquals("inference", r.spec().host());
        assertEquals("", r.spec().inferenceSegment());
        assertEquals(List.of("--quantization", "fp8"), r.spec().models().get("Qwen/Qwen2.5-7B-Instruct").args());
        assertNull(r.spec().hardware());
    }

    @Test
    void wrongTypesAreNamedNotCoerced() throws Exception {
        NodeSpecReader.Result r = read("""
                {"id":7,"host":"h","inference_port":"5000","poc_port":80.5,"max_concurrent":true,
                 "models":{"m":{"args":"--x"}},"hardware":{"type":"H100"}}""");
        assertEquals(List.of(
                "id must be a string, got the number 7",
                "inference_port must be an integer, got the string \"5000\"",
                "poc_port must be an integer, got the number 80.5",
                "max_concurrent must be an integer, got true",
                "models.m.args must be an array of strings, got the string \"--x\"",
                "hardware must be an array of {\"type\", \"count\"}, got an object"), r.problems());
    }

    @Test
    void missingModelArgsAndNullModelsAreEmpty() throws Exception {
        NodeSpecReader.Result r = read("{\"id\":\"n\",\"models\":{\"a\":null,\"b\":{}}}");
        assertTrue(r.ok());
        assertEquals(List.of(), r.spec().models().get("a").args());
        assertEquals(List.of(), r.spec().models().get("b").args());
    }

    @Test
    void aNonObjectIsRejected() throws Exception {
        assertEquals(List.of("a node must be a JSON object"), read("[1]").problems());
    }

    @Test
    void hardwareCountsMustFitUint32() throws Exception {
        NodeSpecReader.Result r = read("{\"hardware\":[{\"type\":\"H100\",\"count\":8},{\"type\":\"x\",\"count\":-1}]}");
        assertEquals(List.of("hardware[1].count must be an integer between 0 and 4294967295, got the number -1"), r.problems());
    }
}
