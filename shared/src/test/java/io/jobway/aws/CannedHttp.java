package io.jobway.aws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/** An SDK HTTP client that keeps each request it is given and answers with the responses queued on it, in turn. */
final class CannedHttp implements SdkHttpClient {
    record Sent(SdkHttpRequest request, String body) {
        String target() {
            return request.firstMatchingHeader("X-Amz-Target").orElse("");
        }
    }

    record Answer(int status, Map<String, String> headers, String body) {
    }

    private final Deque<Answer> answers = new ArrayDeque<>();
    private final List<Sent> sent = new ArrayList<>();

    CannedHttp answer(int status, String body) {
        return answer(status, Map.of(), body);
    }

    CannedHttp answer(int status, Map<String, String> headers, String body) {
        answers.add(new Answer(status, headers, body));
        return this;
    }

    List<Sent> sent() {
        return List.copyOf(sent);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                String body = "";
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
                sent.add(new Sent(request.httpRequest(), body));
                Answer answer = answers.poll();
                if (answer == null) {
                    throw new IOException("no answer queued for request " + sent.size());
                }
                var response = SdkHttpResponse.builder().statusCode(answer.status());
                answer.headers().forEach(response::putHeader);
                return HttpExecuteResponse.builder().response(response.build())
                        .responseBody(AbortableInputStream.create(
                                new ByteArrayInputStream(answer.body().getBytes(StandardCharsets.UTF_8))))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public void close() {
    }
}
