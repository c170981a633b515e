package io.jobway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The zips that sam build leaves for sam deploy: small, complete, and each with only what its functions use. */
class FunctionArtifactsTest {
    private static Map<Path, List<BuiltFunction>> functionsByArtifact;
    private static Map<Path, FunctionArtifact> artifacts;

    @BeforeAll
    static void build() {
        functionsByArtifact = new LinkedHashMap<>();
        SamBuild.output().functions().values().forEach(function ->
                functionsByArtifact.computeIfAbsent(function.artifact(), path -> new java.util.ArrayList<>()).add(function));
        artifacts = new LinkedHashMap<>();
        functionsByArtifact.keySet().forEach(path -> artifacts.put(path, FunctionArtifact.open(path)));
    }

    @Test
    void sam_build_gives_every_function_of_the_template_a_java21_zip() {
        assertThat(SamBuild.output().functions()).containsOnlyKeys(Templates.source().functions().stream()
                .map(io.jobway.local.template.FunctionSpec::logicalId).toList());
        SamBuild.output().functions().values().forEach(function -> {
            assertThat(function.artifact()).as(function.logicalId()).isRegularFile();
            assertThat(function.artifact().toString()).as(function.logicalId()).endsWith(".zip");
            assertThat(function.runtime()).as(function.logicalId()).isEqualTo("java21");
        });
    }

    @Test
    void every_zip_is_at_most_20_MB() {
        artifacts.values().forEach(artifact -> assertThat(ArtifactChecks.size(artifact)).isEmpty());
    }

    @Test
    void every_handler_class_of_the_template_is_in_its_zip_with_its_method() {
        functionsByArtifact.forEach((path, functions) ->
                assertThat(ArtifactChecks.handlers(artifacts.get(path), functions)).isEmpty());
    }

    @Test
    void every_class_the_handlers_can_reach_is_in_the_zip() {
        functionsByArtifact.forEach((path, functions) ->
                assertThat(ArtifactChecks.missingClasses(artifacts.get(path), handlerClasses(functions))).isEmpty());
    }

    @Test
    void every_library_in_a_zip_is_used_by_one_of_its_handlers() {
        functionsByArtifact.forEach((path, functions) ->
                assertThat(ArtifactChecks.unusedLibraries(artifacts.get(path), handlerClasses(functions))).isEmpty());
    }

    @Test
    void no_class_is_in_a_zip_twice() {
        artifacts.values().forEach(artifact -> assertThat(ArtifactChecks.duplicateClasses(artifact)).isEmpty());
    }

    @Test
    void every_library_in_a_zip_is_the_jar_as_published() {
        Map<String, Path> published = PublishedJars.index(PublishedJars.localRepository(), Repo.ROOT.resolve("shared/target"));
        artifacts.keySet().forEach(zip -> assertThat(ArtifactChecks.unpublishedLibraries(zip, published)).isEmpty());
    }

    @Test
    void the_notifier_and_sweeper_zips_carry_nothing_only_the_worker_needs() {
        Path workerZip = SamBuild.output().functions().get("WorkerFunction").artifact();
        FunctionArtifact worker = artifacts.get(workerZip);
        for (String id : List.of("NotifierFunction", "SweeperFunction")) {
            Path zip = SamBuild.output().functions().get(id).artifact();
            assertThat(zip).isNotEqualTo(workerZip);
            assertThat(ArtifactChecks.workerOnlyContent(artifacts.get(zip), handlerClasses(functionsByArtifact.get(zip)),
                    worker, handlerClasses(functionsByArtifact.get(workerZip)))).as(id).isEmpty();
        }
    }

    private static List<String> handlerClasses(List<BuiltFunction> functions) {
        return functions.stream().map(BuiltFunction::handlerClass).toList();
    }
}
