package io.jobway.local.http;

import io.jobway.local.lambda.LocalFunction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One route of the HTTP API, as declared by an HttpApi event in template.yaml. */
public record HttpRoute(String method, String pathTemplate, LocalFunction function, boolean authorized) {
    public String routeKey() {
        return method + " " + pathTemplate;
    }

    /** The path parameters when {@code path} matches this route's template ({id} matches one segment). */
    public Optional<Map<String, String>> match(String requestMethod, String path) {
        if (!method.equalsIgnoreCase(requestMethod)) {
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        Matcher params = Pattern.compile("\\{([^}/]+)}").matcher(pathTemplate);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (params.find()) {
            regex.append(Pattern.quote(pathTemplate.substring(last, params.start()))).append("([^/]+)");
            names.add(params.group(1));
            last = params.end();
        }
        regex.append(Pattern.quote(pathTemplate.substring(last)));
        Matcher m = Pattern.compile(regex.toString()).matcher(path);
        if (!m.matches()) {
            return Optional.empty();
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            values.put(names.get(i), m.group(i + 1));
        }
        return Optional.of(values);
    }
}
