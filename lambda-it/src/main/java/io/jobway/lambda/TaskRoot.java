package io.jobway.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A function's code where the runtime reads it (/var/task in Lambda): a zip is unpacked into a fresh directory,
 * as Lambda does; a directory (e.g. sam build output) is used as it is. The runtime loads the classes at the
 * root and every jar in lib/ (the Runtime Interface Client's CustomerClassLoader).
 */
public final class TaskRoot implements AutoCloseable {
    private final Path dir;
    private final boolean unpacked;

    private TaskRoot(Path dir, boolean unpacked) {
        this.dir = dir;
        this.unpacked = unpacked;
    }

    static TaskRoot of(Path artifact) {
        if (Files.isDirectory(artifact)) {
            return new TaskRoot(artifact, false);
        }
        if (!Files.isRegularFile(artifact)) {
            throw new IllegalArgumentException("no function package at " + artifact
                    + " (a zip or a directory; build it first, e.g. mvn package -DskipTests)");
        }
        try {
            return new TaskRoot(unpack(artifact, Files.createTempDirectory("lambda-task-")), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + artifact, e);
        }
    }

    /** Unpacks a function zip into a directory, which can then be run as a package, e.g. with more jars in lib/. */
    public static Path unpack(Path zip, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(file)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException(zip + " has an entry outside its root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
        return dir;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (!unpacked) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
