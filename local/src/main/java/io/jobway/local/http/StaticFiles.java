package io.jobway.local.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/** Web pages carried on the class path under one folder (the dashboard's, an example's): text files by name. */
public final class StaticFiles {
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json", "svg", "image/svg+xml");

    private final String root;

    /** The files under class path folder {@code root} (no leading or trailing slash). */
    public StaticFiles(String root) {
        this.root = root;
    }

    /** The file at {@code name} (empty is index.html), or empty when there is none of a type served. */
    public Optional<LocalApp.Answer> get(String name) {
        String file = name.isEmpty() || name.endsWith("/") ? name + "index.html" : name;
        String extension = file.substring(file.lastIndexOf('.') + 1);
        if (file.startsWith("/") || file.contains("..") || file.contains("//") || !TYPES.containsKey(extension)) {
            return Optional.empty();
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream("/" + root + "/" + file)) {
            return in == null ? Optional.empty() : Optional.of(new LocalApp.Answer(200, TYPES.get(extension),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(root + "/" + file + " could not be read", e);
        }
    }
}
