package io.jobway.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** The jars Maven resolved, by file name: its local repository (as Maven Central served them) and the project's. */
final class PublishedJars {
    private PublishedJars() {
    }

    /** {@code -Dmaven.repo.local} when the build set it, else Maven's default. */
    static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    static Map<String, Path> index(Path... roots) {
        Map<String, Path> byName = new HashMap<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar"))
                        .forEach(jar -> byName.putIfAbsent(jar.getFileName().toString(), jar));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the jars under " + root, e);
            }
        }
        return byName;
    }
}
