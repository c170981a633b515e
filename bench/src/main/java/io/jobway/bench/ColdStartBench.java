package io.jobway.bench;

import io.jobway.lambda.ExecutionEnvironment;
import io.jobway.lambda.FunctionPackage;
import io.jobway.lambda.LambdaJava;
import io.jobway.lambda.TaskRoot;
import io.jobway.lambda.TemplateStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Cold starts of every function package, run as Lambda runs it (lambda-it's harness: a fresh Java 21 JVM with
 * Lambda's java21 options under the Runtime Interface Client, the template's configuration, the emulators as AWS):
 * the time from starting the JVM to the first response to one of the function's sample events, and the part of
 * it that is init. Three ways: on demand with the URLConnection HTTP client (the packages as built), on demand
 * with the AWS CRT HTTP client (the CRT jars added to lib/ of an unpacked copy, chosen through the SDK's own
 * setting), and SnapStart with the URLConnection client, where init includes the priming and what counts is the
 * time from the restore to the first response (a real restore adds the snapshot's own resume time, which the
 * harness cannot have). Usage: {@code ./jobway bench coldstart [RUNS] [FUNCTION|all] [JVM options...]} (default
 * 5 runs of each way, every function); JVM options are added after Lambda's, to try one (as JAVA_TOOL_OPTIONS
 * would add it in Lambda); {@code --cpus=0} among them holds the JVM to one core, as a function below 1,769 MB
 * has at most one vCPU's share; {@code --classes} also counts the classes loaded (on demand, and after a SnapStart restore); {@code
 * --baseline=ZIP} (one function) adds another package of it, e.g. the
 * previous commit's, started on demand and with SnapStart in turn with the others in every run, so that the
 * machine's drift hits both alike.
 */
public final class ColdStartBench {
    private static final Map<String, String> EVENTS = new LinkedHashMap<>();
    /** {@code --cpus=LIST} among the JVM options: the JVM runs under {@code taskset -c LIST}. */
    private static final String CPUS = "--cpus=";
    /** {@code --baseline=ZIP}: another build of the function, measured alongside (URLConnection). */
    private static final String BASELINE = "--baseline=";
    /** {@code --classes}: also count the classes each function loads (one more cold start each way, logged). */
    private static final String CLASSES = "--classes";
    private static final String CRT_SERVICE = "software.amazon.awssdk.http.crt.AwsCrtSdkHttpService";

    static {
        // one sample event each that makes the function call AWS, so the first response includes the first SDK call
        EVENTS.put("ApiFunction", "api-get.json");
        EVENTS.put("AuthorizerFunction", "authorizer-request.json");
        EVENTS.put("WebSocketFunction", "websocket-connect.json");
        EVENTS.put("WorkerFunction", "worker-sqs-batch.json");
        EVENTS.put("NotifierFunction", "notifier-status-change.json");
        EVENTS.put("WebhookFunction", "webhook-sqs-batch.json");
        EVENTS.put("SweeperFunction", "sweeper-schedule.json");
    }

    private enum Way {
        BASELINE("on demand, URLConnection, baseline package"),
        URLCONNECTION("on demand, URLConnection"),
        CRT("on demand, AWS CRT"),
        SNAPSTART("SnapStart, URLConnection"),
        BASELINE_SNAPSTART("SnapStart, URLConnection, baseline package");

        final String label;

        Way(String label) {
            this.label = label;
        }

        boolean snapStart() {
            return this == SNAPSTART || this == BASELINE_SNAPSTART;
        }
    }

    /**
     * One cold start: init (JVM start to its first request for work), first response (JVM start to the answer) and
     * the CPU time the JVM had used by then.
     */
    private record Sample(Duration init, Duration firstResponse, Duration cpu) {
    }

    public static void main(String[] args) throws IOException {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String only = args.length > 1 ? args[1] : "all";
        List<String> functions = only.equals("all") ? List.copyOf(EVENTS.keySet()) : List.of(only);
        if (!EVENTS.keySet().containsAll(functions)) {
            throw new IllegalArgumentException("no function " + only + "; one of " + EVENTS.keySet() + " or all");
        }
        List<String> options = new ArrayList<>(args.length > 2 ? List.of(args).subList(2, args.length) : List.of());
        String cpus = options.stream().filter(o -> o.startsWith(CPUS)).map(o -> o.substring(CPUS.length()))
                .reduce((first, last) -> last).orElse(null);
        Path baseline = options.stream().filter(o -> o.startsWith(BASELINE))
                .map(o -> Path.of(o.substring(BASELINE.length()))).reduce((first, last) -> last).orElse(null);
        if (baseline != null && (functions.size() != 1 || !Files.isRegularFile(baseline))) {
            throw new IllegalArgumentException(BASELINE + " needs one function and a function zip: " + baseline);
        }
        boolean countClasses = options.contains(CLASSES);
        options.removeIf(o -> o.startsWith(CPUS) || o.startsWith(BASELINE) || o.equals(CLASSES));
        Path root = TemplateStack.projectRoot();
        LambdaJava java = LambdaJava.locate(root).withOptions(options);
        if (cpus != null) {
            java = java.onCpus(cpus);
        }
        System.out.println("JVM options added to Lambda's: " + options + (cpus == null ? ""
                : "; the JVM held to CPU(s) " + cpus));
        Map<String, Map<Way, List<Sample>>> samples = new LinkedHashMap<>();
        try (TemplateStack stack = TemplateStack.start(root, URI.create("http://127.0.0.1:9/live"))) {
            Map<String, Map<Way, FunctionPackage>> packages = new LinkedHashMap<>();
            for (String function : functions) {
                FunctionPackage built = stack.function(function);
                Map<Way, FunctionPackage> ways = new EnumMap<>(Way.class);
                if (baseline != null) {
                    ways.put(Way.BASELINE, built.withArtifact(baseline));
                }
                ways.put(Way.URLCONNECTION, built);
                ways.put(Way.CRT, crtVariant(built, root.resolve("bench/target")));
                ways.put(Way.SNAPSTART, built);
                if (baseline != null) {
                    ways.put(Way.BASELINE_SNAPSTART, built.withArtifact(baseline));
                }
                packages.put(function, ways);
            }
            for (int run = 1; run <= runs; run++) {
                for (String function : functions) {
                    String event = Files.readString(root.resolve("events").resolve(EVENTS.get(function)));
                    for (Map.Entry<Way, FunctionPackage> entry : packages.get(function).entrySet()) {
                        Way way = entry.getKey();
                        Sample sample = coldStart(java, entry.getValue(), way, event);
                        samples.computeIfAbsent(function, f -> new LinkedHashMap<>())
                                .computeIfAbsent(way, w -> new ArrayList<>()).add(sample);
                        System.out.printf("run %d %-18s %-26s init %5d ms, first response %5d ms, cpu %5d ms%n", run,
                                function, way.label, sample.init().toMillis(), sample.firstResponse().toMillis(),
                                sample.cpu().toMillis());
                    }
                }
            }
        }
        System.out.println();
        System.out.println(table(samples, runs));
        if (countClasses) {
            System.out.println();
            System.out.println(classTable(java, functions, root));
        }
    }

    /**
     * Classes loaded, counted from {@code -Xlog:class+load} with the {@code timenanos} decorator: on demand, all of
     * them to the first response; with SnapStart, those loaded after the restore (priming's aim is to load them
     * before the snapshot instead).
     */
    private static String classTable(LambdaJava java, List<String> functions, Path root) throws IOException {
        var out = new StringBuilder("| function | classes loaded on demand to the first response "
                + "| with SnapStart, after the restore to the first response |\n|---|---|---|\n");
        try (TemplateStack stack = TemplateStack.start(root, URI.create("http://127.0.0.1:9/live"))) {
            for (String function : functions) {
                String event = Files.readString(root.resolve("events").resolve(EVENTS.get(function)));
                FunctionPackage built = stack.function(function);
                long onDemand = classesLoaded(java, built, ExecutionEnvironment.Init.ON_DEMAND, event);
                long afterRestore = classesLoaded(java, built, ExecutionEnvironment.Init.SNAP_START, event);
                out.append(String.format("| %s | %,d | %,d |%n", function, onDemand, afterRestore));
            }
        }
        return out.toString();
    }

    private static long classesLoaded(LambdaJava java, FunctionPackage function, ExecutionEnvironment.Init init,
                                      String event) throws IOException {
        Path log = Files.createTempFile("classes-" + function.name() + "-", ".log");
        try {
            LambdaJava logged = java.withOptions(List.of("-Xlog:class+load:file=" + log + ":timenanos"));
            try (var environment = ExecutionEnvironment.start(logged, function, init)) {
                if (!environment.invoke(event).ok()) {
                    throw new IllegalStateException(function.name() + " answered with an error");
                }
                long from = init == ExecutionEnvironment.Init.SNAP_START
                        ? environment.startedNanos() + environment.restore().toNanos() : 0;
                long to = environment.startedNanos() + environment.firstResponse().toNanos();
                try (Stream<String> lines = Files.lines(log)) {
                    return lines.mapToLong(ColdStartBench::loggedAt).filter(at -> at > from && at <= to).count();
                }
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The {@code [123ns]} decoration that starts a line of {@code -Xlog:...:timenanos}; -1 if there is none. */
    private static long loggedAt(String line) {
        int end = line.indexOf("ns]");
        return line.startsWith("[") && end > 1 ? Long.parseLong(line.substring(1, end)) : -1;
    }

    private static Sample coldStart(LambdaJava java, FunctionPackage function, Way way, String event) {
        var init = way.snapStart() ? ExecutionEnvironment.Init.SNAP_START : ExecutionEnvironment.Init.ON_DEMAND;
        try (var environment = ExecutionEnvironment.start(java, function, init)) {
            ExecutionEnvironment.Outcome outcome = environment.invoke(event);
            if (!outcome.ok()) {
                throw new IllegalStateException(function.name() + " answered with an error: " + outcome);
            }
            if (way.snapStart()) {
                return new Sample(environment.restore(), environment.firstResponse().minus(environment.restore()),
                        environment.cpuAtFirstResponse());
            }
            return new Sample(environment.init(), environment.firstResponse(), environment.cpuAtFirstResponse());
        }
    }

    /** The package unpacked, with the CRT client's jars in lib/ and the SDK told to use it. */
    private static FunctionPackage crtVariant(FunctionPackage built, Path target) throws IOException {
        Path crtLib = target.resolve("crt-lib");
        Path dir = target.resolve("coldstart").resolve(built.name() + "-crt");
        deleteTree(dir);
        TaskRoot.unpack(built.artifact(), dir);
        try (Stream<Path> jars = Files.list(crtLib)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, dir.resolve("lib").resolve(jar.getFileName()));
            }
        }
        String options = built.environment().getOrDefault("JAVA_TOOL_OPTIONS", "");
        return built.withArtifact(dir).withVariables(Map.of("JAVA_TOOL_OPTIONS",
                (options + " -Dsoftware.amazon.awssdk.http.service.impl=" + CRT_SERVICE).trim()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String table(Map<String, Map<Way, List<Sample>>> samples, int runs) {
        var out = new StringBuilder("| function | how | first response median | min | max | init median "
                + "| CPU median |\n|---|---|---|---|---|---|---|\n");
        samples.forEach((function, byWay) -> byWay.forEach((way, list) -> {
            List<Long> first = list.stream().map(s -> s.firstResponse().toMillis()).sorted().toList();
            List<Long> init = list.stream().map(s -> s.init().toMillis()).sorted().toList();
            List<Long> cpu = list.stream().map(s -> s.cpu().toMillis()).sorted().toList();
            out.append(String.format("| %s | %s | %d ms | %d ms | %d ms | %d ms | %d ms |%n", function,
                    way.snapStart() ? way.label + " (restore → response; init incl. priming)" : way.label,
                    median(first), first.get(0), first.get(first.size() - 1), median(init), median(cpu)));
        }));
        return out.append(runs).append(" cold starts each").toString();
    }

    private static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
