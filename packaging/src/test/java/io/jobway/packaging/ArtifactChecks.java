package io.jobway.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The checks on a function zip, each returning what is wrong (empty when nothing is), so that the tests of the
 * real zips and the tests that prove each check can fail run the same code.
 */
final class ArtifactChecks {
    /**
     * The limit per function zip: 20 MB (decimal, as Maven's size line and the AWS console count), well inside
     * Lambda's 50 MB for a direct upload, with every library as published.
     */
    static final long MAX_BYTES = 20_000_000;
    /**
     * Classes Lambda's java21 runtime loads from the function's class path by name, outside the function's code,
     * when a handler takes a typed event ({@link #TYPED_HANDLER}): its event serializer needs Joda-Time's DateTime
     * for every event type (see docs/ARCHITECTURE.md). A stream handler gets bytes and needs none of them.
     */
    static final Set<String> LOADED_BY_RUNTIME = Set.of("org/joda/time/DateTime");
    static final String TYPED_HANDLER = "com/amazonaws/services/lambda/runtime/RequestHandler";
    /**
     * Packages that code in the zip refers to but uses only when they are on the class path, by design: the AWS
     * CRT (an optional SDK dependency; the SDK checks for it before any use, and Jobway uses the URLConnection
     * client instead), and Brotli (an optional dependency of Apache HttpClient 5, which checks for it before it
     * decodes a Brotli body; Jobway's outbound client asks for no compressed bodies at all), and Bouncy Castle and
     * Tink (optional dependencies of Nimbus JOSE+JWT: PEM and X.509 certificate building, and the X25519 and
     * XChaCha20 JWE algorithms; verifying a JWS against an issuer's RSA or EC JWKS, all the authorizer does, needs
     * only the JDK, as in Spring Security's resource server, which ships Nimbus without either), and AspectJ
     * (Powertools declares it {@code provided}: only its annotations' aspects, woven at build, call the join-point
     * helpers of {@code LambdaHandlerProcessor} that name it; Jobway uses Powertools' plain API, unwoven).
     */
    static final List<String> OPTIONAL_PACKAGES = List.of("software/amazon/awssdk/crt/", "software/amazon/awssdk/crtcore/",
            "org/brotli/", "org/bouncycastle/", "com/google/crypto/tink/", "org/aspectj/");
    /** The worker's own code, and the registry through which the worker finds its job handlers. */
    static final String WORKER_PACKAGE = "io/jobway/worker/";
    static final String JOB_HANDLER_REGISTRATION = "META-INF/services/io.jobway.handler.JobHandler";

    private ArtifactChecks() {
    }

    static List<String> size(FunctionArtifact artifact) {
        return artifact.size() <= MAX_BYTES ? List.of()
                : List.of(artifact.file() + " is " + artifact.size() + " bytes, over the " + MAX_BYTES + " limit");
    }

    /** Each handler's class is in the zip and declares the handler's method. */
    static List<String> handlers(FunctionArtifact artifact, Collection<BuiltFunction> functions) {
        var problems = new ArrayList<String>();
        for (BuiltFunction function : functions) {
            String name = internal(function.handlerClass());
            if (!artifact.hasClass(name)) {
                problems.add(function.logicalId() + ": handler class " + function.handlerClass() + " is not in "
                        + artifact.file());
            } else if (!artifact.classFile(name).methods().contains(function.handlerMethod())) {
                problems.add(function.logicalId() + ": " + function.handlerClass() + " has no method "
                        + function.handlerMethod());
            }
        }
        return problems;
    }

    /** A class in two places of a zip: Lambda's plain class path would load whichever copy it meets first. */
    static List<String> duplicateClasses(FunctionArtifact artifact) {
        var problems = new ArrayList<String>();
        artifact.duplicates().forEach((name, containers) ->
                problems.add(name.replace('/', '.') + " is in " + artifact.file() + " " + containers.size()
                        + " times: " + String.join(", ", new TreeSet<>(containers))));
        return problems;
    }

    /** A class Jobway replaces in the zip (a library's own, for a faster cold start) is Jobway's copy. */
    /**
     * Libraries (lib/*.jar) that are not byte for byte the jar of the same name in {@code published} (Maven's
     * local repository, which holds what Maven Central serves, and the project's own built jars): a library whose
     * classes were removed or replaced, or one of unknown origin.
     */
    static List<String> unpublishedLibraries(Path zip, Map<String, Path> published) {
        var problems = new ArrayList<String>();
        try (var file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!name.startsWith("lib/") || !name.endsWith(".jar")) {
                    continue;
                }
                Path original = published.get(name.substring("lib/".length()));
                if (original == null) {
                    problems.add(name + " in " + zip + " is no jar that Maven resolved");
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    if (!Arrays.equals(in.readAllBytes(), Files.readAllBytes(original))) {
                        problems.add(name + " in " + zip + " differs from " + original);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
        return problems;
    }

    /** Classes the handlers can reach that are neither in the zip, nor in the JDK, nor optional by design. */
    static List<String> missingClasses(FunctionArtifact artifact, Collection<String> handlerClasses) {
        var problems = new ArrayList<String>();
        artifact.closure(entryPoints(artifact, handlerClasses)).missing().forEach((name, referrer) -> {
            if (!FunctionArtifact.isJdkClass(name) && OPTIONAL_PACKAGES.stream().noneMatch(name::startsWith)) {
                problems.add(name.replace('/', '.') + " (needed by " + referrer.replace('/', '.') + ") is not in "
                        + artifact.file().getFileName() + " of " + artifact.file().getParent());
            }
        });
        return problems;
    }

    /** Libraries (lib/*.jar) of which no class is reachable from the zip's handlers: weight the function never uses. */
    static List<String> unusedLibraries(FunctionArtifact artifact, Collection<String> handlerClasses) {
        var problems = new ArrayList<String>();
        Map<String, Integer> reached = artifact.closure(entryPoints(artifact, handlerClasses))
                .reachedPerContainer(artifact);
        reached.forEach((container, count) -> {
            if (count == 0) {
                problems.add(container + " in " + artifact.file() + ": no class of it is reachable from "
                        + handlerClasses);
            }
        });
        return problems;
    }

    /**
     * What only the worker needs, found in another function's zip: the worker's classes, its job-handler
     * registrations and the handlers they name, and libraries that the worker reaches but this zip's own
     * handlers do not (such as a dependency of the http job type).
     */
    static List<String> workerOnlyContent(FunctionArtifact artifact, Collection<String> handlerClasses,
                                          FunctionArtifact worker, Collection<String> workerHandlers) {
        var problems = new ArrayList<String>();
        var workerOnlyClasses = new TreeSet<String>();
        artifact.classNames().stream().filter(name -> name.startsWith(WORKER_PACKAGE)).forEach(workerOnlyClasses::add);
        String registration = worker.registrations().get(JOB_HANDLER_REGISTRATION);
        if (registration != null) {
            FunctionArtifact.implementations(registration).stream().filter(artifact::hasClass)
                    .forEach(workerOnlyClasses::add);
        }
        workerOnlyClasses.forEach(name -> problems.add(artifact.file() + " carries the worker's class "
                + name.replace('/', '.')));
        if (artifact.registrations().containsKey(JOB_HANDLER_REGISTRATION)) {
            problems.add(artifact.file() + " carries the worker's job handler registrations " + JOB_HANDLER_REGISTRATION);
        }
        Map<String, Integer> own = artifact.closure(entryPoints(artifact, handlerClasses))
                .reachedPerContainer(artifact);
        Set<String> workerReaches = new LinkedHashSet<>(
                worker.closure(entryPoints(worker, workerHandlers)).reachedPerContainer(worker).entrySet().stream()
                        .filter(entry -> entry.getValue() > 0).map(Map.Entry::getKey).toList());
        own.forEach((container, count) -> {
            if (count == 0 && workerReaches.contains(container)) {
                problems.add(artifact.file() + " carries " + container + ", which only the worker uses");
            }
        });
        return problems;
    }

    /** The handlers, and what Lambda's runtime loads for them by name. */
    static Set<String> entryPoints(FunctionArtifact artifact, Collection<String> handlerClasses) {
        var entries = new LinkedHashSet<String>();
        handlerClasses.forEach(name -> entries.add(internal(name)));
        boolean typed = entries.stream().filter(artifact::hasClass)
                .anyMatch(handler -> artifact.classFile(handler).interfaces().contains(TYPED_HANDLER));
        if (typed) {
            entries.addAll(LOADED_BY_RUNTIME);
        }
        return entries;
    }

    static String internal(String binaryName) {
        return binaryName.replace('.', '/');
    }
}
