package io.jobway.packaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A Lambda function zip as the java21 runtime sees it: classes at the root and in lib/*.jar, plus the resources
 * through which code is found by name (ServiceLoader registrations, the AWS SDK's interceptor lists). It answers
 * which classes are reachable from given entry points, which is how the tests prove that trimming a zip left
 * nothing a handler needs, and that a zip carries no library its handlers cannot reach.
 */
final class FunctionArtifact {
    static final String ROOT = "(root)";
    private static final String SERVICES = "META-INF/services/";

    private final Path file;
    private final long size;
    private final Map<String, byte[]> classBytes = new HashMap<>();
    private final Map<String, String> containerOf = new HashMap<>();
    /** class -> every container it is in, for the classes that are in more than one */
    private final Map<String, List<String>> duplicates = new TreeMap<>();
    private final Set<String> containers = new LinkedHashSet<>();
    /** resource path -> its text, for registrations: META-INF/services/<interface> and SDK *.interceptors */
    private final Map<String, String> registrations = new TreeMap<>();
    private final Map<String, ClassFile> parsed = new HashMap<>();

    private FunctionArtifact(Path file) throws IOException {
        this.file = file;
        this.size = Files.size(file);
        containers.add(ROOT);
        try (var zip = new ZipInputStream(Files.newInputStream(file))) {
            read(zip, ROOT, true);
        }
    }

    static FunctionArtifact open(Path zip) {
        try {
            return new FunctionArtifact(zip);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the function artifact " + zip, e);
        }
    }

    private void read(ZipInputStream zip, String container, boolean outer) throws IOException {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
            String name = entry.getName();
            if (entry.isDirectory() || name.startsWith("META-INF/versions/")) {
                continue; // Lambda puts the root and lib/*.jar on a plain class path: multi-release parts stay unused
            }
            if (outer && name.startsWith("lib/") && name.endsWith(".jar")) {
                containers.add(name);
                try (var jar = new ZipInputStream(new ByteArrayInputStream(zip.readAllBytes()))) {
                    read(jar, name, false);
                }
            } else if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                String className = name.substring(0, name.length() - ".class".length());
                if (containerOf.containsKey(className)) {
                    duplicates.computeIfAbsent(className, first -> new ArrayList<>(List.of(containerOf.get(first))))
                            .add(container);
                }
                classBytes.putIfAbsent(className, zip.readAllBytes());
                containerOf.putIfAbsent(className, container);
            } else if (name.startsWith(SERVICES) || name.endsWith(".interceptors")) {
                registrations.merge(name, new String(zip.readAllBytes(), StandardCharsets.UTF_8), String::concat);
            }
        }
    }

    Path file() {
        return file;
    }

    long size() {
        return size;
    }

    /** "(root)" and every lib/*.jar. */
    Set<String> containers() {
        return Collections.unmodifiableSet(containers);
    }

    boolean hasClass(String internalName) {
        return classBytes.containsKey(internalName);
    }

    Set<String> classNames() {
        return Collections.unmodifiableSet(classBytes.keySet());
    }

    /** "(root)" or the lib/*.jar a class comes from. */
    String containerOf(String internalName) {
        return containerOf.get(internalName);
    }

    /** The bytes of a class as the class path would load it (the first copy), or null. */
    byte[] classBytes(String internalName) {
        return classBytes.get(internalName);
    }

    /** The classes that are in more than one place, each with the places. */
    Map<String, List<String>> duplicates() {
        return Collections.unmodifiableMap(duplicates);
    }

    ClassFile classFile(String internalName) {
        return parsed.computeIfAbsent(internalName, name -> ClassFile.parse(classBytes.get(name)));
    }

    Map<String, String> registrations() {
        return Collections.unmodifiableMap(registrations);
    }

    /**
     * Every class reachable from the entry points: by linkage (class constants and descriptors), by a string
     * constant that names a class of this artifact (loading by name), through the ServiceLoader registrations of
     * a service that is itself reachable or part of the JDK (a registration for a service that is neither can
     * never be loaded), and through the SDK's interceptor lists, which every client reads.
     */
    Closure closure(Collection<String> entryPoints) {
        var reached = new LinkedHashSet<String>();
        var mentioned = new LinkedHashSet<String>();
        var missing = new TreeMap<String, String>(); // class -> a class that refers to it
        var referrer = new HashMap<String, String>();
        var queue = new ArrayDeque<String>();
        entryPoints.forEach(entry -> enqueue(entry, "(entry point)", queue, referrer));
        registrations.forEach((path, text) -> {
            if (path.endsWith(".interceptors")) {
                implementations(text).forEach(name -> enqueue(name, path, queue, referrer));
            }
        });
        registrations.forEach((path, text) -> {
            if (path.startsWith(SERVICES) && isJdkClass(serviceOf(path))) {
                implementations(text).forEach(name -> enqueue(name, path, queue, referrer));
            }
        });
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (!reached.add(name)) {
                continue;
            }
            if (!hasClass(name)) {
                missing.put(name, referrer.get(name));
                continue;
            }
            ClassFile classFile = classFile(name);
            classFile.references().forEach(reference -> enqueue(reference, name, queue, referrer));
            classFile.mentions().stream().filter(this::hasClass).forEach(mentioned::add);
            for (String constant : classFile.strings()) {
                String candidate = constant.replace('.', '/');
                if (hasClass(candidate)) {
                    enqueue(candidate, name, queue, referrer);
                }
            }
            String registration = registrations.get(SERVICES + name.replace('/', '.'));
            if (registration != null) {
                implementations(registration).forEach(impl -> enqueue(impl, SERVICES + name, queue, referrer));
            }
        }
        reached.removeAll(missing.keySet());
        mentioned.removeAll(reached);
        return new Closure(reached, mentioned, missing);
    }

    private void enqueue(String name, String from, ArrayDeque<String> queue, Map<String, String> referrer) {
        if (referrer.putIfAbsent(name, from) == null) {
            queue.add(name);
        }
    }

    static boolean isJdkClass(String internalName) {
        return ClassLoader.getPlatformClassLoader().getResource(internalName + ".class") != null;
    }

    private static String serviceOf(String path) {
        return path.substring(SERVICES.length()).replace('.', '/');
    }

    /** The class names a registration file lists (comments and blank lines skipped), as internal names. */
    static List<String> implementations(String text) {
        return text.lines().map(line -> line.replaceFirst("#.*", "").trim()).filter(line -> !line.isEmpty())
                .map(line -> line.replace('.', '/')).toList();
    }

    /**
     * @param reached   classes of the artifact reachable from the entry points
     * @param mentioned other classes of the artifact that reached classes name in annotations or signatures only
     * @param missing   classes reachable but not in the artifact (the JDK's among them), each with one class that
     *                  refers to it
     */
    record Closure(Set<String> reached, Set<String> mentioned, Map<String, String> missing) {
        /** How many reached or mentioned classes each container contributes. */
        Map<String, Integer> reachedPerContainer(FunctionArtifact artifact) {
            var counts = new LinkedHashMap<String, Integer>();
            artifact.containers().forEach(container -> counts.put(container, 0));
            reached.forEach(name -> counts.merge(artifact.containerOf(name), 1, Integer::sum));
            mentioned.forEach(name -> counts.merge(artifact.containerOf(name), 1, Integer::sum));
            return counts;
        }
    }
}
