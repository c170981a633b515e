package io.jobway.local.http;

import io.jobway.json.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The local HTTP API's answer to a request Jetty refuses before any route sees it (a malformed {@code %} escape, a
 * bad request line, headers too large): problem+json naming what is wrong, as every other error of the API is,
 * instead of Jetty's HTML page. The host's own handler answers everything else itself.
 */
final class ProblemErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(Request request, Response response, int status, String message,
                                    Throwable cause, Callback callback) {
        String title = HttpStatus.getMessage(status);
        String uriProblem = uriProblem(cause);
        String detail = uriProblem != null ? uriProblem
                : "the request could not be read as HTTP: " + (message == null || message.isBlank() ? title : message);
        String problem = Json.write(Json.object()
                .put("type", "urn:jobway:problem:" + (status == 400 ? "validation-error" : "http-" + status))
                .put("title", title).put("status", status).put("detail", detail));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
        response.write(true, ByteBuffer.wrap(problem.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** What is wrong with a URI Jetty could not parse, in words, or null when the failure is not the URI's. */
    private static String uriProblem(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (t instanceof NumberFormatException || message.contains("% encoding")) {
                return "the request's URI has a malformed percent escape: a '%' must be followed by two hex digits";
            }
            if (message.startsWith("Illegal character in path")) {
                return "the request's URI holds a character that must be percent-encoded";
            }
        }
        return null;
    }
}
