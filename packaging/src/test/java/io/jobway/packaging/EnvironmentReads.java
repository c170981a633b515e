package io.jobway.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which environment variables a handler's code reads, found in the Java sources: starting at the handler's class,
 * every class of the source roots it names (transitively) is scanned for {@code require(X)},
 * {@code requireInt(X, ...)}, {@code optional(X)} and {@code System.getenv(X)}, where X is a string literal or a
 * String constant declared in any scanned class ({@code Config.JOBS_TABLE = "JOBS_TABLE"}). An optional read may
 * be left undeclared; a required one may not.
 */
final class EnvironmentReads {
    private static final Pattern READ = Pattern.compile(
            "\\b(require|requireInt|optional|getenv)\\(\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\.)?([A-Z][A-Z0-9_]*|\"[^\"]+\")\\s*[,)]");
    private static final Pattern CONSTANT = Pattern.compile(
            "static\\s+final\\s+String\\s+([A-Z][A-Z0-9_]*)\\s*=\\s*\"([^\"]*)\"\\s*;");
    private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z][A-Za-z0-9_]*\\b");
    /**
     * Java's comments and literals, matched from left to right so that a {@code //} inside a string is no comment
     * and a quote inside a comment opens no string. The string pattern is the unrolled loop, which recurses once
     * per escape instead of once per character (a long literal overflowed the stack).
     */
    private static final Pattern COMMENTS_AND_LITERALS = Pattern.compile(String.join("|",
            "/\\*[\\s\\S]*?\\*/", "//[^\\n]*", "\"\"\"[\\s\\S]*?\"\"\"",
            "\"[^\"\\\\\\n]*(?:\\\\.[^\"\\\\\\n]*)*\"", "'(?:\\\\.|[^'\\\\\\n])+'"));

    /** simple class name -> the source files that declare a top-level type of that name */
    private final Map<String, List<Path>> filesByName = new HashMap<>();
    private final Map<Path, String> code = new HashMap<>();
    private final Map<String, String> constants = new HashMap<>();

    private EnvironmentReads(Collection<Path> sourceRoots) throws IOException {
        for (Path root : sourceRoots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    String text = withoutComments(Files.readString(file));
                    code.put(file, text);
                    String name = file.getFileName().toString().replace(".java", "");
                    filesByName.computeIfAbsent(name, n -> new ArrayList<>()).add(file);
                    Matcher constant = CONSTANT.matcher(text);
                    while (constant.find()) {
                        constants.put(constant.group(1), constant.group(2));
                    }
                }
            }
        }
    }

    static EnvironmentReads scan(Collection<Path> sourceRoots) {
        try {
            return new EnvironmentReads(sourceRoots);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + sourceRoots, e);
        }
    }

    /** The main source roots of shared/ and of every function module: the code inside the function zips. */
    static EnvironmentReads ofRepository() {
        try (Stream<Path> modules = Files.list(Repo.ROOT.resolve("functions"))) {
            var roots = new ArrayList<Path>();
            roots.add(Repo.ROOT.resolve("shared/src/main/java"));
            modules.map(module -> module.resolve("src/main/java")).filter(Files::isDirectory).sorted().forEach(roots::add);
            return scan(roots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param required variables the code cannot run without
     * @param optional variables the code reads when they are set
     */
    record Reads(Set<String> required, Set<String> optional) {
        Set<String> all() {
            var all = new TreeSet<>(required);
            all.addAll(optional);
            return all;
        }
    }

    /** What the handler class (binary name) and every class it names, transitively, read. */
    Reads of(String handlerClass) {
        String simpleName = handlerClass.substring(handlerClass.lastIndexOf('.') + 1);
        if (!filesByName.containsKey(simpleName)) {
            throw new IllegalArgumentException("no source for the handler class " + handlerClass);
        }
        var required = new TreeSet<String>();
        var optional = new TreeSet<String>();
        var seen = new LinkedHashSet<Path>();
        var queue = new ArrayDeque<>(filesByName.get(simpleName));
        while (!queue.isEmpty()) {
            Path file = queue.poll();
            if (!seen.add(file)) {
                continue;
            }
            String text = code.get(file);
            Matcher read = READ.matcher(text);
            while (read.find()) {
                String argument = read.group(2);
                String name = argument.startsWith("\"") ? argument.substring(1, argument.length() - 1)
                        : constants.get(argument);
                if (name == null) {
                    continue; // a local constant that is no String, e.g. a parameter name in upper case
                }
                (read.group(1).equals("optional") ? optional : required).add(name);
            }
            String withoutStrings = withoutLiterals(text);
            Matcher type = TYPE_NAME.matcher(withoutStrings);
            var names = new LinkedHashSet<String>();
            while (type.find()) {
                names.add(type.group());
            }
            for (String name : names) {
                if (filesByName.containsKey(name) && runsCodeOf(name, withoutStrings)) {
                    queue.addAll(filesByName.get(name));
                }
            }
        }
        optional.removeAll(required);
        return new Reads(required, optional);
    }

    private static String withoutComments(String source) {
        return COMMENTS_AND_LITERALS.matcher(source).replaceAll(token ->
                token.group().startsWith("/") ? " " : Matcher.quoteReplacement(token.group()));
    }

    /** Every string and char literal emptied, so that no text in them is read as a type name. */
    private static String withoutLiterals(String code) {
        return COMMENTS_AND_LITERALS.matcher(code).replaceAll(token ->
                token.group().startsWith("'") ? "' '" : token.group().startsWith("/") ? " " : "\"\"");
    }

    /**
     * Whether a file uses a class for more than its constants: {@code AuthorizerFunction.TENANT_ID} is compiled
     * into the user as a value, so it runs none of AuthorizerFunction's code (nor its reads).
     */
    private static boolean runsCodeOf(String name, String text) {
        return Pattern.compile("\\b" + name + "\\b(?!\\s*\\.\\s*[A-Z][A-Z0-9_]*\\b(?!\\s*\\())").matcher(text).find();
    }
}
