package io.jobway.packaging;

import io.jobway.local.template.CfnTemplate;
import io.jobway.local.template.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code sam build} of template.yaml, run once per test JVM into packaging/target/sam-build, and what it built.
 * Every function's CodeUri is a zip that Maven built (functions/x/target/function.zip); SAM builds nothing for a
 * zip CodeUri ("Skip building zip function") and its built template points at that same file, which
 * {@code sam deploy} then uploads byte for byte. So the artifacts here are exactly what a deploy ships.
 */
public final class SamBuild {
    static final Path BUILD_DIR = Repo.TARGET.resolve("sam-build");
    private static SamBuild built;

    private final ToolRun run;
    private final CfnTemplate template;
    private final Map<String, BuiltFunction> functions;

    private SamBuild(ToolRun run) {
        this.run = run;
        Path builtTemplate = BUILD_DIR.resolve("template.yaml");
        this.template = CfnTemplate.load(builtTemplate);
        var byId = new LinkedHashMap<String, BuiltFunction>();
        for (FunctionSpec spec : template.functions()) {
            byId.put(spec.logicalId(), new BuiltFunction(spec.logicalId(),
                    BUILD_DIR.resolve(String.valueOf(template.functionProperty(spec.logicalId(), "CodeUri"))).normalize(),
                    spec.handler(), String.valueOf(template.functionProperty(spec.logicalId(), "Runtime")),
                    spec.memoryMb(), spec.timeoutSeconds(), spec.environment()));
        }
        this.functions = java.util.Collections.unmodifiableMap(byId);
    }

    /** The build, made on first use; a failed build fails every test that asks, with SAM's output. */
    public static synchronized SamBuild output() {
        if (built == null) {
            ToolRun run = PythonTools.run("sam", "build", "--template-file", Repo.TEMPLATE.toString(),
                    "--build-dir", BUILD_DIR.toString(), "--config-file", Repo.SAMCONFIG.toString());
            if (!run.succeeded() || !Files.isRegularFile(BUILD_DIR.resolve("template.yaml"))) {
                throw new IllegalStateException("sam build failed: " + run.describe());
            }
            built = new SamBuild(run);
        }
        return built;
    }

    /** Per function logical id: its artifact, handler, runtime, memory, timeout and environment. */
    public Map<String, BuiltFunction> functions() {
        return functions;
    }

    /** The built template (.../sam-build/template.yaml), as the local runtime's reader sees it. */
    public CfnTemplate template() {
        return template;
    }

    /** How long sam build took and what it printed. */
    public ToolRun run() {
        return run;
    }
}
