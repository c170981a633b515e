package io.jobway.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Dollars per million jobs from what one run measured per job, at us-east-1 list prices: the first pricing tier,
 * no free tier, as the AWS pricing pages published them in 2025 (DynamoDB's on-demand prices after the November
 * 2024 cut). Every line says what it assumes.
 */
final class CostModel {
    static final double LAMBDA_PER_MILLION_REQUESTS = 0.20;
    /** arm64, as template.yaml's Globals set every function. */
    static final double LAMBDA_PER_GB_SECOND_ARM64 = 0.0000133334;
    /** Per million requests of up to 512 KB. */
    static final double HTTP_API_PER_MILLION = 1.00;
    /** Standard queues, per million requests of up to 64 KB each (a batch of up to 10 is one request). */
    static final double SQS_PER_MILLION = 0.40;
    static final double DYNAMODB_PER_MILLION_WRITE_UNITS = 0.625;
    static final double DYNAMODB_PER_MILLION_READ_UNITS = 0.125;
    /** Per million messages of up to 32 KB. */
    static final double WEBSOCKET_PER_MILLION_MESSAGES = 1.00;
    /** CloudWatch Logs ingestion, standard class. */
    static final double LOGS_PER_GB = 0.50;

    /** One function's share of a job: invocations and billed milliseconds per job, at its memory size. */
    record FunctionShare(String function, double invocations, double billedMillis, int memoryMb) {
    }

    /** What one job cost in each unit, as the run measured it. */
    record PerJob(double httpRequests, List<FunctionShare> functions, double sqsRequests, double writeUnits,
                  double readUnits, double webSocketMessages, double logBytes) {
    }

    record Line(String item, String assumption, double dollarsPerMillion) {
    }

    static List<Line> lines(PerJob job) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("HTTP API requests", String.format("%.3f a job", job.httpRequests()),
                job.httpRequests() * HTTP_API_PER_MILLION));
        double invocations = job.functions().stream().mapToDouble(FunctionShare::invocations).sum();
        lines.add(new Line("Lambda requests", String.format("%.3f invocations a job", invocations),
                invocations * LAMBDA_PER_MILLION_REQUESTS));
        for (FunctionShare f : job.functions()) {
            if (f.billedMillis() > 0) {
                double gbSeconds = f.billedMillis() / 1000.0 * f.memoryMb() / 1024.0;
                lines.add(new Line("Lambda duration, " + f.function(), String.format(
                        "%.2f ms a job at %d MB (durations as measured here)", f.billedMillis(), f.memoryMb()),
                        gbSeconds * LAMBDA_PER_GB_SECOND_ARM64 * 1e6));
            }
        }
        lines.add(new Line("SQS requests", String.format("%.3f a job, each under 64 KB", job.sqsRequests()),
                job.sqsRequests() * SQS_PER_MILLION));
        lines.add(new Line("DynamoDB writes", String.format("%.2f write units a job, indexes included", job.writeUnits()),
                job.writeUnits() * DYNAMODB_PER_MILLION_WRITE_UNITS));
        lines.add(new Line("DynamoDB reads", String.format("%.2f read units a job (stream reads by Lambda are free)",
                job.readUnits()), job.readUnits() * DYNAMODB_PER_MILLION_READ_UNITS));
        lines.add(new Line("WebSocket messages", String.format("%.2f a job, to the run's one subscriber",
                job.webSocketMessages()), job.webSocketMessages() * WEBSOCKET_PER_MILLION_MESSAGES));
        lines.add(new Line("CloudWatch Logs", String.format("%.0f bytes of log lines a job", job.logBytes()),
                job.logBytes() / 1e9 * LOGS_PER_GB * 1e6));
        return lines;
    }

    static double total(List<Line> lines) {
        return lines.stream().mapToDouble(Line::dollarsPerMillion).sum();
    }
}
