package io.gonkanode.collector.artifact;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A PoC v2 generated batch, read with a streaming parser (batches carry thousands of artifacts):
 * {@code {"block_hash","block_height","public_key","node_id","artifacts":[{"nonce","vector_b64"}],"encoding",
 * "request_id"}}. Malformed input is a 400 naming the problem, with upstream's texts where it has them.
 */
public record GeneratedBatch(String blockHash, long blockHeight, String publicKey, int nodeId, long[] nonces,
                             byte[][] vectors) {

    private static final JsonFactory JSON = new JsonFactory();

    public static GeneratedBatch parse(byte[] body, int maxArtifacts) {
        if (body == null || body.length == 0) {
            throw BatchRejected.malformed("invalid request body: the body is empty");
        }
        String blockHash = null;
        String publicKey = null;
        Long height = null;
        Long nodeId = null;
        long[] nonces = new long[64];
        byte[][] vectors = new byte[64][];
        int count = 0;
        boolean sawArtifacts = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw BatchRejected.malformed("invalid request body: expected a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "block_hash" -> blockHash = text(p, t, field);
                    case "public_key" -> publicKey = text(p, t, field);
                    case "block_height" -> height = integer(p, t, field);
                    case "node_id" -> nodeId = integer(p, t, field);
                    case "artifacts" -> {
                        sawArtifacts = true;
                        if (t == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (t != JsonToken.START_ARRAY) {
                            throw BatchRejected.malformed("invalid request body: artifacts must be an array");
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Long nonce = null;
                            String b64 = null;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                JsonToken v = p.nextToken();
                                if (f.equals("nonce")) {
                                    nonce = integer(p, v, "artifacts[].nonce");
                                } else if (f.equals("vector_b64")) {
                                    b64 = text(p, v, "artifacts[].vector_b64");
                                } else {
                                    p.skipChildren();
                                }
                            }
                            if (nonce == null) {
                                throw BatchRejected.malformed("invalid request body: artifacts[" + count + "].nonce is required");
                            }
                            if (nonce != nonce.intValue()) { // the SMST leaf holds an int32 (upstream truncates it silently)
                                throw BatchRejected.malformed("invalid request body: artifacts[" + count + "].nonce is out of range "
                                        + "(a 32-bit integer)");
                            }
                            if (count == maxArtifacts) {
                                throw BatchRejected.malformed("too many artifacts in one batch: at most " + maxArtifacts);
                            }
                            if (count == nonces.length) {
                                nonces = Arrays.copyOf(nonces, count * 2);
                                vectors = Arrays.copyOf(vectors, count * 2);
                            }
                            nonces[count] = nonce;
                            vectors[count] = decode(b64);
                            count++;
                        }
                        if (p.currentToken() != JsonToken.END_ARRAY) {
                            throw BatchRejected.malformed("invalid request body: artifacts must hold objects {\"nonce\", \"vector_b64\"}");
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw BatchRejected.malformed("invalid request body: trailing content after the JSON object");
            }
        } catch (IOException e) {
            throw BatchRejected.malformed("invalid request body: malformed JSON: " + e.getMessage().split("\n")[0]);
        }
        if (height == null || nodeId == null || blockHash == null || publicKey == null || !sawArtifacts) {
            throw BatchRejected.malformed("invalid request body: block_hash, block_height, public_key, node_id and artifacts are required");
        }
        if (nodeId < 0 || nodeId > Integer.MAX_VALUE) {
            throw new BatchRejected(BatchRejected.Reason.NODE, 400, "unknown node_num");
        }
        return new GeneratedBatch(blockHash, height, publicKey, nodeId.intValue(), Arrays.copyOf(nonces, count),
                Arrays.copyOf(vectors, count));
    }

    private static byte[] decode(String b64) {
        if (b64 == null) {
            throw BatchRejected.vector("empty artifact vector");
        }
        byte[] v;
        try {
            v = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw BatchRejected.vector("invalid base64 in artifact vector");
        }
        if (v.length == 0) {
            throw BatchRejected.vector("empty artifact vector");
        }
        return v;
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            p.skipChildren();
            throw BatchRejected.malformed("invalid request body: " + field + " must be a string");
        }
        return p.getText();
    }

    private static Long integer(JsonParser p, JsonToken t, String field) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            throw BatchRejected.malformed("invalid request body: " + field + " must be an integer");
        }
        try {
            return p.getLongValue();
        } catch (IOException e) {
            throw BatchRejected.malformed("invalid request body: " + field + " is out of range");
        }
    }
}
