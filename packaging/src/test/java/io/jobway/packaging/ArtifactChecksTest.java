package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each artifact check fails on a small zip built to break it, from classes compiled here. */
class ArtifactChecksTest {
    @TempDir
    Path dir;
    private Map<String, byte[]> classes;

    @BeforeEach
    void compile() throws IOException {
        Path src = dir.resolve("src");
        write(src, "h/Handler.java", """
                package h;
                public class Handler {
                    public Object handleRequest(Object event, Object context) { return new dep.Dep(); }
                }""");
        write(src, "h/Other.java", "package h; public class Other { public Object handleRequest(Object e, Object c) { return null; } }");
        write(src, "dep/Dep.java", "package dep; public class Dep { }");
        write(src, "spare/Spare.java", "package spare; public class Spare { }");
        write(src, "org/joda/time/DateTime.java", "package org.joda.time; public class DateTime { }");
        write(src, "com/amazonaws/services/lambda/runtime/RequestHandler.java", """
                package com.amazonaws.services.lambda.runtime;
                public interface RequestHandler<I, O> { O handleRequest(I input, Object context); }""");
        write(src, "h/Typed.java", """
                package h;
                public class Typed implements com.amazonaws.services.lambda.runtime.RequestHandler<Object, Object> {
                    public Object handleRequest(Object event, Object context) { return null; }
                }""");
        write(src, "io/jobway/worker/Runner.java", """
                package io.jobway.worker;
                public class Runner { public Object handleRequest(Object e, Object c) { return new spare.Spare(); } }""");
        Path out = dir.resolve("classes");
        var sources = Files.walk(src).filter(f -> f.toString().endsWith(".java")).map(Path::toString).toList();
        var args = new java.util.ArrayList<>(List.of("-d", out.toString(), "--release", "21"));
        args.addAll(sources);
        assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new))).isZero();
        classes = new LinkedHashMap<>();
        for (Path file : Files.walk(out).filter(f -> f.toString().endsWith(".class")).toList()) {
            classes.put(out.relativize(file).toString(), Files.readAllBytes(file));
        }
    }

    @Test
    void a_complete_zip_passes() throws IOException {
        var artifact = zip("ok.zip", Map.of("h/Handler.class", cls("h/Handler.class"), "lib/dep.jar", jar("dep/Dep.class")));

        assertThat(ArtifactChecks.handlers(artifact, List.of(function("h.Handler::handleRequest")))).isEmpty();
        assertThat(ArtifactChecks.missingClasses(artifact, List.of("h.Handler"))).isEmpty();
        assertThat(ArtifactChecks.unusedLibraries(artifact, List.of("h.Handler"))).isEmpty();
        assertThat(ArtifactChecks.size(artifact)).isEmpty();
    }

    @Test
    void joda_time_in_a_zip_whose_handlers_take_no_typed_event_is_an_unused_library() throws IOException {
        var artifact = zip("stream.zip", Map.of("h/Handler.class", cls("h/Handler.class"), "lib/dep.jar", jar("dep/Dep.class"),
                "lib/joda.jar", joda()));

        assertThat(ArtifactChecks.unusedLibraries(artifact, List.of("h.Handler")))
                .singleElement().asString().startsWith("lib/joda.jar in ");
    }

    @Test
    void a_class_the_handler_needs_that_is_not_in_the_zip_is_reported() throws IOException {
        var artifact = zip("trimmed.zip", Map.of("h/Handler.class", cls("h/Handler.class"), "lib/joda.jar", joda()));

        assertThat(ArtifactChecks.missingClasses(artifact, List.of("h.Handler")))
                .singleElement().asString().startsWith("dep.Dep (needed by h.Handler) is not in trimmed.zip");
    }

    @Test
    void a_typed_handlers_zip_without_joda_time_is_reported_since_lambdas_serializer_loads_it() throws IOException {
        var artifact = zip("nojoda.zip", Map.of("h/Typed.class", cls("h/Typed.class"), "lib/core.jar",
                jar("com/amazonaws/services/lambda/runtime/RequestHandler.class")));

        assertThat(ArtifactChecks.missingClasses(artifact, List.of("h.Typed")))
                .singleElement().asString().startsWith("org.joda.time.DateTime (needed by (entry point))");
    }

    @Test
    void a_handler_class_or_method_that_is_not_in_the_zip_is_reported() throws IOException {
        var artifact = zip("handlers.zip", Map.of("h/Handler.class", cls("h/Handler.class")));

        assertThat(ArtifactChecks.handlers(artifact, List.of(function("h.Handler::run"), function("h.Gone::handleRequest"))))
                .containsExactly("Fn: h.Handler has no method run",
                        "Fn: handler class h.Gone is not in " + artifact.file());
    }

    @Test
    void a_library_no_handler_reaches_is_reported() throws IOException {
        var artifact = zip("heavy.zip", Map.of("h/Handler.class", cls("h/Handler.class"), "lib/dep.jar", jar("dep/Dep.class"),
                "lib/spare.jar", jar("spare/Spare.class")));

        assertThat(ArtifactChecks.unusedLibraries(artifact, List.of("h.Handler")))
                .singleElement().asString().startsWith("lib/spare.jar in ");
    }

    @Test
    void the_workers_classes_registrations_and_libraries_in_another_zip_are_reported() throws IOException {
        var worker = zip("worker.zip", Map.of("io/jobway/worker/Runner.class", cls("io/jobway/worker/Runner.class"),
                "lib/spare.jar", jar("spare/Spare.class"),
                ArtifactChecks.JOB_HANDLER_REGISTRATION, "io.jobway.worker.Runner\n".getBytes()));
        var notifier = zip("notifier.zip", Map.of("h/Other.class", cls("h/Other.class"),
                "io/jobway/worker/Runner.class", cls("io/jobway/worker/Runner.class"),
                "lib/spare.jar", jar("spare/Spare.class"),
                ArtifactChecks.JOB_HANDLER_REGISTRATION, "io.jobway.worker.Runner\n".getBytes()));

        assertThat(ArtifactChecks.workerOnlyContent(notifier, List.of("h.Other"), worker, List.of("io.jobway.worker.Runner")))
                .containsExactly(notifier.file() + " carries the worker's class io.jobway.worker.Runner",
                        notifier.file() + " carries the worker's job handler registrations "
                                + ArtifactChecks.JOB_HANDLER_REGISTRATION,
                        notifier.file() + " carries lib/spare.jar, which only the worker uses");
        assertThat(ArtifactChecks.workerOnlyContent(zip("clean.zip", Map.of("h/Other.class", cls("h/Other.class"))),
                List.of("h.Other"), worker, List.of("io.jobway.worker.Runner"))).isEmpty();
    }

    @Test
    void a_class_in_two_places_of_a_zip_is_reported() throws IOException {
        var artifact = zip("twice.zip", Map.of("h/Handler.class", cls("h/Handler.class"), "dep/Dep.class", cls("dep/Dep.class"),
                "lib/dep.jar", jar("dep/Dep.class")));

        assertThat(ArtifactChecks.duplicateClasses(artifact)).singleElement().asString()
                .isEqualTo("dep.Dep is in " + artifact.file() + " 2 times: (root), lib/dep.jar");
        assertThat(ArtifactChecks.duplicateClasses(zip("once.zip", Map.of("lib/dep.jar", jar("dep/Dep.class")))))
                .isEmpty();
    }

    @Test
    void a_library_that_is_not_the_published_jar_is_reported() throws IOException {
        byte[] depJar = jar("dep/Dep.class");
        Path published = Files.write(Files.createDirectories(dir.resolve("repository")).resolve("dep.jar"), depJar);
        var asPublished = zip("published.zip", Map.of("lib/dep.jar", depJar));
        var stripped = zip("stripped.zip", Map.of("lib/dep.jar", jar("spare/Spare.class")));
        var unknown = zip("unknown.zip", Map.of("lib/other.jar", jar("dep/Dep.class")));

        assertThat(ArtifactChecks.unpublishedLibraries(asPublished.file(), Map.of("dep.jar", published))).isEmpty();
        assertThat(ArtifactChecks.unpublishedLibraries(stripped.file(), Map.of("dep.jar", published)))
                .singleElement().asString().isEqualTo("lib/dep.jar in " + stripped.file() + " differs from " + published);
        assertThat(ArtifactChecks.unpublishedLibraries(unknown.file(), Map.of("dep.jar", published)))
                .singleElement().asString().isEqualTo("lib/other.jar in " + unknown.file() + " is no jar that Maven resolved");
    }

    @Test
    void a_zip_over_20_MB_is_reported() throws IOException {
        byte[] noise = new byte[(int) ArtifactChecks.MAX_BYTES + 1];
        new Random(7).nextBytes(noise); // incompressible
        var artifact = zip("big.zip", Map.of("h/Handler.class", cls("h/Handler.class"), "noise.bin", noise));

        assertThat(ArtifactChecks.size(artifact)).singleElement().asString().contains("over the 20000000 limit");
    }

    private static BuiltFunction function(String handler) {
        return new BuiltFunction("Fn", Path.of("x.zip"), handler, "java21", 512, 10, Map.of());
    }

    private byte[] joda() throws IOException {
        return jar("org/joda/time/DateTime.class");
    }

    private byte[] cls(String name) {
        return classes.get(name);
    }

    private byte[] jar(String... names) throws IOException {
        var bytes = new ByteArrayOutputStream();
        try (var jar = new ZipOutputStream(bytes)) {
            for (String name : names) {
                put(jar, name, cls(name));
            }
        }
        return bytes.toByteArray();
    }

    private FunctionArtifact zip(String name, Map<String, byte[]> entries) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); var zip = new ZipOutputStream(out)) {
            for (var entry : entries.entrySet()) {
                put(zip, entry.getKey(), entry.getValue());
            }
        }
        return FunctionArtifact.open(file);
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void write(Path root, String path, String text) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
