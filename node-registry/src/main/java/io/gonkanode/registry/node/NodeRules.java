package io.gonkanode.registry.node;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Upstream's node validation (v0.2.14 {@code ValidateInferenceNodeBasic} and the duplicate host+port
 * checks, same messages) plus what keeps a registered node from pointing anywhere but its own host and
 * ports: a well-formed host, path-only segments and ids that are safe in a URL path.
 */
public final class NodeRules {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}");
    private static final Pattern SEGMENT = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*");

    private NodeRules() {
    }

    /** An existing node's endpoints, for the duplicate checks. */
    public record Endpoints(String id, String host, int inferencePort, int pocPort) {
    }

    /** The spec without the models that are not governance models (upstream drops them when a node is created). */
    public static NodeSpec governanceOnly(NodeSpec spec, Set<String> governanceModels) {
        Map<String, ModelArgs> kept = new java.util.LinkedHashMap<>(spec.models());
        kept.keySet().retainAll(governanceModels);
        return new NodeSpec(spec.id(), spec.host(), spec.inferenceSegment(), spec.inferencePort(), spec.pocSegment(),
                spec.pocPort(), spec.maxConcurrent(), kept, spec.hardware());
    }

    /** The spec with its host normalized (scheme and trailing slash removed). */
    public static NodeSpec normalize(NodeSpec spec) {
        return new NodeSpec(spec.id().trim(), HostNames.normalize(spec.host()), spec.inferenceSegment(),
                spec.inferencePort(), spec.pocSegment(), spec.pocPort(), spec.maxConcurrent(), spec.models(),
                spec.hardware());
    }

    /**
     * Every problem of a normalized spec, in upstream's order and words, checked against the other
     * registered nodes (the node's own earlier version excluded) and the supported models.
     */
    public static List<String> problems(NodeSpec spec, Collection<Endpoints> others, Set<String> supportedModels) {
        return problems(spec, others, supportedModels, false);
    }

    /**
     * As {@link #problems(NodeSpec, Collection, Set)}, with upstream's governance rule: a node being created may name
     * models that are not governance models (they are dropped, see {@link #governanceOnly}) as long as one remains;
     * an update must name governance models only.
     */
    public static List<String> problems(NodeSpec spec, Collection<Endpoints> others, Set<String> governanceModels, boolean creating) {
        List<String> problems = new ArrayList<>();
        if (spec.id().isBlank()) {
            problems.add("node id is required and cannot be empty");
        } else if (!ID.matcher(spec.id()).matches()) {
            problems.add("node id must be 1 to 128 letters, digits or . _ : @ + - (starting with a letter or digit), got '"
                    + shorten(spec.id()) + "'");
        }
        if (spec.host().isBlank()) {
            problems.add("host is required and cannot be empty");
        } else if (!HostNames.isValid(spec.host())) {
            problems.add("host must be a hostname or an IP address (optionally with http://), got '"
                    + shorten(spec.host()) + "'");
        }
        if (spec.inferencePort() < 1 || spec.inferencePort() > 65535) {
            problems.add("inference_port must be between 1 and 65535, got " + spec.inferencePort());
        }
        if (spec.pocPort() < 1 || spec.pocPort() > 65535) {
            problems.add("poc_port must be between 1 and 65535, got " + spec.pocPort());
        }
        if (spec.maxConcurrent() <= 0 || spec.maxConcurrent() > Integer.MAX_VALUE) {
            problems.add(spec.maxConcurrent() <= 0
                    ? "max_concurrent must be greater than 0, got " + spec.maxConcurrent()
                    : "max_concurrent must be at most " + Integer.MAX_VALUE + ", got " + spec.maxConcurrent());
        }
        if (spec.models().isEmpty()) {
            problems.add("at least one model must be specified");
        }
        spec.models().forEach((model, margs) -> {
            if (!printable(model, 255)) {
                problems.add("model ids must be at most 255 characters without control characters, got '" + shorten(model) + "'");
            }
            List<String> args = margs.args();
            if (args.size() > 256) {
                problems.add("models." + shorten(model) + ".args may hold at most 256 arguments, got " + args.size());
            }
            for (int i = 0; i < args.size(); i++) {
                if (!printable(args.get(i), 4096)) {
                    problems.add("models." + shorten(model) + ".args[" + i + "] must be at most 4096 characters without control characters");
                    break;
                }
            }
        });
        if (spec.hardware() != null) {
            if (spec.hardware().size() > 64) {
                problems.add("hardware may list at most 64 entries, got " + spec.hardware().size());
            }
            for (int i = 0; i < spec.hardware().size(); i++) {
                if (!printable(spec.hardware().get(i).type(), 255)) {
                    problems.add("hardware[" + i + "].type must be at most 255 characters without control characters");
                    break;
                }
            }
        }
        checkSegment("inference_segment", spec.inferenceSegment(), problems);
        checkSegment("poc_segment", spec.pocSegment(), problems);
        List<String> invalid = spec.models().keySet().stream().filter(m -> !governanceModels.contains(m)).toList();
        String named = (invalid.size() == 1 ? "model " : "models ") + String.join(", ", invalid)
                + (invalid.size() == 1 ? " is" : " are") + " not a valid governance model; governance models: "
                + String.join(", ", new java.util.TreeSet<>(governanceModels));
        if (!invalid.isEmpty() && !creating) {
            problems.add(named);
        } else if (!invalid.isEmpty() && invalid.size() == spec.models().size()) {
            problems.add("node " + spec.id() + " has no governance-valid models (" + named + ")");
        }
        String hostKey = HostNames.key(spec.host());
        for (Endpoints other : others) {
            if (!other.id().equals(spec.id()) && HostNames.key(other.host()).equals(hostKey)
                    && other.inferencePort() == spec.inferencePort()) {
                problems.add("duplicate inference host+port combination: " + spec.host() + ":" + spec.inferencePort()
                        + " (already used by node '" + other.id() + "')");
                break;
            }
        }
        for (Endpoints other : others) {
            if (!other.id().equals(spec.id()) && HostNames.key(other.host()).equals(hostKey)
                    && other.pocPort() == spec.pocPort()) {
                problems.add("duplicate PoC host+port combination: " + spec.host() + ":" + spec.pocPort()
                        + " (already used by node '" + other.id() + "')");
                break;
            }
        }
        return problems;
    }

    private static void checkSegment(String field, String segment, List<String> problems) {
        if (segment.length() > 255 || !SEGMENT.matcher(segment).matches()) {
            problems.add(field + " must be empty or a URL path starting with '/', got '" + shorten(segment) + "'");
        }
    }

    /** An id the API could ever have stored: anything else is simply not there (no lookup needed). */
    public static boolean plausibleId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static boolean printable(String s, int max) {
        if (s == null) {
            return true;
        }
        if (s.length() > max) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
