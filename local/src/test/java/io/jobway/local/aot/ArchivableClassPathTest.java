package io.jobway.local.aot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK archives no class path with a non-empty directory: jars that name one in their manifest are copied. */
class ArchivableClassPathTest {
    @TempDir
    Path dir;

    @Test
    void a_jar_whose_manifest_names_its_own_folder_is_copied_without_that_entry_and_with_every_class_unchanged()
            throws IOException {
        Path repository = Files.createDirectories(dir.resolve("repository"));
        Path jar = writeJar(repository.resolve("DynamoDBLocal.jar"), ". DynamoDBLocal_lib/sqlite4java.jar log4j2.xml");
        Path out = dir.resolve("archivable");
        Files.createDirectories(out);

        Path copy = ArchivableClassPath.archivable(jar, out);

        assertThat(copy).isEqualTo(out.resolve("DynamoDBLocal.jar"));
        try (JarFile original = new JarFile(jar.toFile()); JarFile copied = new JarFile(copy.toFile())) {
            assertThat(copied.getManifest().getMainAttributes().getValue(Attributes.Name.CLASS_PATH))
                    .isEqualTo("DynamoDBLocal_lib/sqlite4java.jar log4j2.xml");
            assertThat(copied.getManifest().getMainAttributes().getValue(Attributes.Name.MAIN_CLASS))
                    .isEqualTo("example.Main");
            assertThat(copied.getInputStream(copied.getEntry("example/Main.class")).readAllBytes())
                    .isEqualTo(original.getInputStream(original.getEntry("example/Main.class")).readAllBytes());
            assertThat(copied.stream().map(JarEntry::getName).toList())
                    .containsExactlyInAnyOrder("META-INF/MANIFEST.MF", "example/Main.class");
        }
    }

    @Test
    void a_jar_that_names_no_directory_is_used_where_it_is() throws IOException {
        Path plain = writeJar(dir.resolve("plain.jar"), null);
        Path withJars = writeJar(dir.resolve("with-jars.jar"), "lib/a.jar");

        assertThat(ArchivableClassPath.archivable(plain, dir.resolve("out"))).isEqualTo(plain);
        assertThat(ArchivableClassPath.archivable(withJars, dir.resolve("out"))).isEqualTo(withJars);
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void the_class_path_file_becomes_the_local_jar_then_each_entry_made_archivable() throws IOException {
        Path repository = Files.createDirectories(dir.resolve("repository"));
        Path named = writeJar(repository.resolve("named.jar"), ".");
        Path plain = writeJar(dir.resolve("plain.jar"), null);
        Path classpath = Files.writeString(dir.resolve("classpath.txt"), named + ":" + plain + "\n");
        Path runClasspath = dir.resolve("run-classpath.txt");

        ArchivableClassPath.main(new String[] {classpath.toString(), "local.jar", dir.resolve("out").toString(),
                runClasspath.toString()});

        assertThat(Files.readString(runClasspath)).isEqualTo(Path.of("local.jar").toAbsolutePath() + ":"
                + dir.resolve("out/named.jar").toAbsolutePath() + ":" + plain);
    }

    private static Path writeJar(Path path, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "example.Main");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.putNextEntry(new JarEntry("example/Main.class"));
            jar.write("not really a class, but bytes to compare".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return path;
    }
}
