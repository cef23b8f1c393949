package io.gonkanode.collector.chain;

import com.google.protobuf.Descriptors;
import io.gonkanode.collector.proto.ActiveParticipants;
import io.gonkanode.collector.proto.Epoch;
import io.gonkanode.collector.proto.Grantee;
import io.gonkanode.collector.proto.KeyringRecord;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtoReflectionTest {

    @Test
    void everyGeneratedMessageAndBuilderIsRegisteredForTheNativeImage() throws Exception {
        Set<Class<?>> registered = new HashSet<>(List.of(ProtoReflection.class.getAnnotation(RegisterForReflection.class).targets()));
        List<String> missing = new ArrayList<>();
        for (Descriptors.FileDescriptor file : List.of(io.gonkanode.protocol.proto.cosmos.Tx.getDescriptor(),
                io.gonkanode.protocol.proto.cosmos.Keys.getDescriptor(), io.gonkanode.protocol.proto.cosmos.Authz.getDescriptor(),
                io.gonkanode.protocol.proto.cosmos.Auth.getDescriptor(), io.gonkanode.protocol.proto.inference.Tx.getDescriptor(),
                Epoch.getDescriptor().getFile(), ActiveParticipants.getDescriptor().getFile(), Grantee.getDescriptor().getFile(),
                KeyringRecord.getDescriptor().getFile())) {
            String pkg = file.getOptions().getJavaPackage();
            for (Descriptors.Descriptor message : file.getMessageTypes()) {
                check(pkg + "." + message.getName(), message, registered, missing);
            }
        }
        assertTrue(missing.isEmpty(), "not in ProtoReflection: " + missing);
    }

    private static void check(String className, Descriptors.Descriptor message, Set<Class<?>> registered, List<String> missing)
            throws ClassNotFoundException {
        for (String name : List.of(className, className + "$Builder")) {
            Class<?> c = Class.forName(name);
            if (!registered.contains(c)) {
                missing.add(c.getName());
            }
        }
        for (Descriptors.Descriptor nested : message.getNestedTypes()) {
            check(className + "$" + nested.getName(), nested, registered, missing);
        }
    }
}
