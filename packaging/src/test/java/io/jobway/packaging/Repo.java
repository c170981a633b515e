package io.jobway.packaging;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository's files are, seen from this module's tests (Maven runs them in packaging/). */
final class Repo {
    static final Path ROOT = findRoot();
    static final Path TEMPLATE = ROOT.resolve("template.yaml");
    static final Path SAMCONFIG = ROOT.resolve("samconfig.toml");
    /** This module's build directory: everything the tests write goes below it. */
    static final Path TARGET = ROOT.resolve("packaging").resolve("target");

    private Repo() {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("template.yaml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no template.yaml above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
