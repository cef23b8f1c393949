package io.gonkanode.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceProcessTest {

    /** A service in miniature: answers its readiness path with the directory it runs in, or exits at once when asked. */
    private static final String SERVICE = """
            import com.sun.net.httpserver.HttpServer;
            import java.net.InetSocketAddress;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Path;

            public class Service {
                public static void main(String[] args) throws Exception {
                    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv().getOrDefault("QUARKUS_HTTP_PORT", "0"))), 0);
                    server.createContext("/q/health/ready", exchange -> {
                        byte[] body = Path.of("").toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    if (args.length == 0) {
                        server.start();
                    }
                }
            }
            """;

    @Test
    void aJarWithAClassDataArchiveRunsFromItsDirectoryWithTheArchiveMapped(@TempDir Path dir) throws Exception {
        Path app = Files.createDirectories(dir.resolve("quarkus-app"));
        Path jar = packageService(dir, app);
        // as the Quarkus build records it: run from the jar's directory, the jar named relative to it
        Process dump = new ProcessBuilder(java(), "-XX:ArchiveClassesAtExit=app-cds.jsa", "-jar", "quarkus-run.jar", "exit")
                .directory(app.toFile()).redirectErrorStream(true).start();
        assertEquals(0, dump.waitFor(), new String(dump.getInputStream().readAllBytes()));
        assertTrue(Files.isRegularFile(app.resolve("app-cds.jsa")));

        // -Xshare:on: a JVM that cannot map the archive stops instead of starting without it
        try (ServiceProcess p = ServiceProcess.builder("archived", jar).jvmOptions("-Xshare:on", "-Xlog:cds=off")
                .logFile(dir.resolve("archived.log")).build().start(Duration.ofSeconds(30))) {
            assertEquals(app.toRealPath().toString(), get(p.url() + "/q/health/ready"), "it runs from the jar's directory");
        }
    }

    @Test
    void aJarWithoutAnArchiveRunsWhereItIsStarted(@TempDir Path dir) throws Exception {
        Path jar = packageService(dir, Files.createDirectories(dir.resolve("quarkus-app")));
        try (ServiceProcess p = ServiceProcess.builder("plain", jar).logFile(dir.resolve("plain.log")).build().start(Duration.ofSeconds(30))) {
            assertEquals(Path.of("").toAbsolutePath().toString(), get(p.url() + "/q/health/ready"));
        }
    }

    @Test
    void theNativeHeapIsTrimmedOnlyWhereTheJvmHasTheOption() {
        assertFalse(ServiceProcess.serviceJvmOptions(Runtime.Version.parse("17.0.8+7")).contains("-XX:TrimNativeHeapInterval=2000"));
        assertTrue(ServiceProcess.serviceJvmOptions(Runtime.Version.parse("17.0.9+9")).contains("-XX:TrimNativeHeapInterval=2000"));
        assertTrue(ServiceProcess.serviceJvmOptions(Runtime.Version.parse("21.0.5+11")).contains("-XX:TrimNativeHeapInterval=2000"));
        assertEquals(List.of("-Xms32m", "-Xmx384m", "-XX:+UseSerialGC"),
                ServiceProcess.serviceJvmOptions(Runtime.Version.parse("17.0.2+8")));
    }

    /** Compiles the service into {@code app/quarkus-run.jar}. */
    private static Path packageService(Path dir, Path app) throws Exception {
        Path src = Files.writeString(dir.resolve("Service.java"), SERVICE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), src.toString()));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Service");
        Path jar = app.resolve("quarkus-run.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("Service.class"));
            Files.copy(classes.resolve("Service.class"), out);
            out.closeEntry();
        }
        return jar;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
