package io.gonkanode.registry.manager;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upstream's rule for the vLLM arguments of inference/up (spec §4.5): the model's own (network-wide)
 * arguments come first and win; a node's arguments are appended only for flags not already present. A
 * token after a flag is that flag's value unless it is itself a flag.
 */
public final class ArgsMerge {

    private ArgsMerge() {
    }

    public static List<String> merge(List<String> modelArgs, List<String> nodeArgs) {
        List<String> merged = new ArrayList<>(modelArgs);
        Set<String> present = new HashSet<>();
        for (String token : modelArgs) {
            if (isFlag(token)) {
                present.add(flagName(token));
            }
        }
        for (int i = 0; i < nodeArgs.size(); i++) {
            String token = nodeArgs.get(i);
            if (!isFlag(token)) {
                merged.add(token); // a stray value without a flag: keep it, as upstream does not drop it either
                continue;
            }
            boolean hasValue = !token.contains("=") && i + 1 < nodeArgs.size() && !isFlag(nodeArgs.get(i + 1));
            if (!present.contains(flagName(token))) {
                present.add(flagName(token));
                merged.add(token);
                if (hasValue) {
                    merged.add(nodeArgs.get(i + 1));
                }
            }
            if (hasValue) {
                i++;
            }
        }
        return merged;
    }

    static boolean isFlag(String token) {
        return token.startsWith("--");
    }

    static String flagName(String token) {
        int eq = token.indexOf('=');
        return eq < 0 ? token : token.substring(0, eq);
    }
}
