package io.jobway.local.aot;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the class path that {@code ./jobway up} runs with, in a form the JDK can put in an AOT cache: the JDK
 * refuses to archive a class path holding a non-empty directory, and DynamoDB Local's jar names one in its
 * manifest ({@code Class-Path: . DynamoDBLocal_lib/...}: "." is the Maven repository folder it sits in). So each
 * jar whose manifest names a directory is copied with those manifest entries left out; its classes and every
 * other entry are copied byte for byte. The directory entries never served a class here: Maven puts every
 * dependency on the class path itself. Directories on the class path itself are replaced by the module's jar.
 *
 * <p>Usage: {@code ArchivableClassPath CLASSPATH_FILE LOCAL_JAR OUT_DIR OUT_FILE}.
 */
public final class ArchivableClassPath {
    private ArchivableClassPath() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ArchivableClassPath CLASSPATH_FILE LOCAL_JAR OUT_DIR OUT_FILE");
        }
        Path outDir = Files.createDirectories(Path.of(args[2])).toAbsolutePath();
        List<String> entries = new ArrayList<>(List.of(Path.of(args[1]).toAbsolutePath().toString()));
        for (String entry : Files.readString(Path.of(args[0])).trim().split(File.pathSeparator)) {
            entries.add(archivable(Path.of(entry), outDir).toString());
        }
        Files.writeString(Path.of(args[3]), String.join(File.pathSeparator, entries));
    }

    /** The jar itself, or a copy of it whose manifest names no directory. */
    static Path archivable(Path jar, Path outDir) throws IOException {
        if (!jar.toString().endsWith(".jar")) {
            return jar;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null) {
                return jar;
            }
            List<String> names = List.of(classPath.trim().split("\\s+"));
            Path folder = jar.toAbsolutePath().getParent();
            List<String> kept = names.stream().filter(name -> !Files.isDirectory(folder.resolve(name))).toList();
            if (kept.size() == names.size()) {
                return jar;
            }
            Manifest copy = new Manifest(manifest);
            if (kept.isEmpty()) {
                copy.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
            } else {
                copy.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", kept));
            }
            Path target = outDir.resolve(jar.getFileName());
            copyWith(file, copy, target);
            return target;
        }
    }

    private static void copyWith(JarFile source, Manifest manifest, Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (JarEntry entry : source.stream().toList()) {
                if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                JarEntry copy = new JarEntry(entry.getName());
                copy.setTime(entry.getTime());
                jar.putNextEntry(copy);
                try (InputStream in = source.getInputStream(entry)) {
                    in.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
