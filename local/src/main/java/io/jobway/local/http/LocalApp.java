package io.jobway.local.http;

import java.util.Map;
import java.util.Optional;

/**
 * An app of one's own served by the local runtime beside Jobway, under a path prefix of its own: an example's web
 * page and the backend stand-in it calls. It answers what no Jobway route does under its prefix; nothing it
 * answers passes the API's authorizer, as an app's own backend would not.
 */
@FunctionalInterface
public interface LocalApp {
    /** The answer to {@code request}, or empty for a 404. */
    Optional<Answer> handle(Request request);

    /** A request under the app's prefix: {@code path} is what follows the prefix; header names are lower case. */
    record Request(String method, String path, Map<String, String> headers, String body) {
    }

    record Answer(int status, String contentType, String body) {
    }
}
