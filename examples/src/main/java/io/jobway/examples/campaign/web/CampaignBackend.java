package io.jobway.examples.campaign.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobway.json.Json;
import io.jobway.local.http.LocalApp;
import io.jobway.local.http.StaticFiles;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The campaign page (campaign-page/ on the class path) and the stand-in for the app backend it calls: {@code POST
 * api/campaigns} submits a campaign job with the app's API key and mints a browser token for that one job
 * ({@code POST /v1/tokens}), so the page never holds the key. A real backend does the same two calls after its own
 * sign-in check, which a stand-in leaves out.
 */
public final class CampaignBackend implements LocalApp {
    private static final Set<String> AUDIENCES = Set.of("fintech", "retail", "healthcare", "saas");
    /** The steps stand in for remote calls: a second apart, each is its own progress event (written ≤ 1/s). */
    private static final int STEP_DELAY_MS = 1200;
    private static final int TOKEN_SECONDS = 900;

    private final StaticFiles page = new StaticFiles("campaign-page");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String jobwayUrl;
    private final URI webSocketUrl;
    private final String apiKey;

    /** Calls Jobway at {@code jobwayUrl} with the app's {@code apiKey}; the page follows jobs on {@code webSocketUrl}. */
    public CampaignBackend(String jobwayUrl, URI webSocketUrl, String apiKey) {
        this.jobwayUrl = jobwayUrl;
        this.webSocketUrl = webSocketUrl;
        this.apiKey = apiKey;
    }

    @Override
    public Optional<Answer> handle(Request request) {
        if (request.path().equals("api/campaigns")) {
            return Optional.of(request.method().equals("POST") ? generate(request.body())
                    : problem(405, "api/campaigns takes POST"));
        }
        return request.method().equals("GET") ? page.get(request.path()) : Optional.empty();
    }

    private Answer generate(String body) {
        JsonNode form;
        try {
            form = Json.parse(body);
        } catch (RuntimeException e) {
            return problem(400, "the body is not JSON");
        }
        String name = form.path("name").asText("").strip();
        if (name.isEmpty() || name.length() > 100) {
            return problem(400, "name: give the campaign a name of 1 to 100 characters");
        }
        if (!AUDIENCES.contains(form.path("audience").asText())) {
            return problem(400, "audience: one of " + AUDIENCES);
        }
        int size = form.path("size").asInt(0);
        if (!form.path("size").isIntegralNumber() || size < 1 || size > 1000) {
            return problem(400, "size: a whole number of prospects from 1 to 1000");
        }
        ObjectNode job = Json.object().put("type", "campaign");
        job.putObject("payload").put("name", name).put("audience", form.get("audience").asText()).put("size", size)
                .put("minScore", 70).put("stepDelayMs", STEP_DELAY_MS);
        JsonNode submitted = call("/v1/jobs", job, 202);
        if (submitted.has("problem")) {
            return problem(502, "Jobway refused the job: " + submitted.get("problem").asText());
        }
        String jobId = submitted.get("jobId").asText();
        ObjectNode tokenRequest = Json.object().put("expiresInSeconds", TOKEN_SECONDS);
        tokenRequest.putArray("jobIds").add(jobId);
        JsonNode token = call("/v1/tokens", tokenRequest, 201);
        if (token.has("problem")) {
            return problem(502, "Jobway refused the token: " + token.get("problem").asText());
        }
        ObjectNode answer = Json.object().put("jobId", jobId).put("token", token.get("token").asText())
                .put("expiresAt", token.get("expiresAt").asText()).put("apiUrl", jobwayUrl)
                .put("webSocketUrl", webSocketUrl.toString());
        return new Answer(201, "application/json", Json.write(answer));
    }

    /** Jobway's answer to a POST, or {@code {"problem": ...}} when it is not {@code expected}. */
    private JsonNode call(String path, JsonNode body, int expected) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(jobwayUrl + path))
                .header("authorization", "Bearer " + apiKey).header("content-type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == expected ? Json.parse(response.body())
                    : Json.object().put("problem", response.statusCode() + " " + response.body());
        } catch (IOException e) {
            return Json.object().put("problem", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Json.object().put("problem", "interrupted");
        }
    }

    private static Answer problem(int status, String detail) {
        return new Answer(status, "application/problem+json", Json.write(Json.object()
                .put("type", "about:blank").put("status", status).put("detail", detail)));
    }

}
