package io.jobway.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.events.HttpApiResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An error answer in RFC 9457 problem+json: thrown by request handling, turned into the response in one
 * place. {@code errors} names each field that is wrong.
 */
public final class ApiProblem extends RuntimeException {
    public record FieldError(String field, String message) {
    }

    /**
     * An answer lists at most this many wrong fields and counts the rest, and cuts what it echoes of the request
     * (a field's name, a value in a message, the path): no request can make its answer huge.
     */
    static final int MAX_LISTED_ERRORS = 20;
    private static final int MAX_FIELD_CHARS = 100;
    private static final int MAX_MESSAGE_CHARS = 500;
    private static final int MAX_DETAIL_CHARS = 1_000;

    private final int status;
    private final String slug;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, String> headers;

    public ApiProblem(int status, String slug, String title, String detail, List<FieldError> errors,
                      Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ApiProblem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: " + errors.stream().limit(MAX_LISTED_ERRORS)
                        .map(FieldError::field).toList()
                        + (errors.size() > MAX_LISTED_ERRORS ? " and " + (errors.size() - MAX_LISTED_ERRORS) + " more" : "");
        return new ApiProblem(400, "validation-error", "The request is invalid", detail, errors, Map.of());
    }

    public static ApiProblem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(404, "not-found", "Not found", what, List.of(), Map.of());
    }

    public static ApiProblem conflict(String slug, String detail) {
        return new ApiProblem(409, slug, "The job is not in a state that allows this", detail, List.of(), Map.of());
    }

    public List<FieldError> errors() {
        return errors;
    }

    public int status() {
        return status;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The problem as the HTTP API's response, its {@code instance} the request's path. */
    public HttpApiResponse toResponse(String instance) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("content-type", HttpApiResponse.PROBLEM_JSON);
        return new HttpApiResponse(status, all, toJson(instance));
    }

    public String toJson(String instance) {
        ObjectNode body = Json.object();
        body.put("type", "urn:jobway:problem:" + slug);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", cut(getMessage(), MAX_DETAIL_CHARS));
        if (instance != null) {
            body.put("instance", cut(instance, MAX_MESSAGE_CHARS));
        }
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            errors.stream().limit(MAX_LISTED_ERRORS)
                    .forEach(e -> list.addObject().put("field", cut(e.field(), MAX_FIELD_CHARS))
                            .put("message", cut(e.message(), MAX_MESSAGE_CHARS)));
            if (errors.size() > MAX_LISTED_ERRORS) {
                body.put("errorsOmitted", errors.size() - MAX_LISTED_ERRORS);
            }
        }
        return Json.write(body);
    }

    private static String cut(String text, int max) {
        return text == null || text.length() <= max ? text
                : text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
    }
}
