package io.jobway.local.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobway.json.Json;
import io.jobway.obs.MetricsReader.Series;
import io.jobway.local.template.CfnResource;
import io.jobway.local.template.CfnTemplate;
import io.jobway.obs.JobMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Jobway metrics template.yaml's dashboard and alarms read, each as the series it names (metric, dimension,
 * value). A dashboard row may use CloudWatch's shorthand: "." repeats the row above at that place, "..." the rest
 * of it. A SEARCH expression names its dimension only; its series' value is null (any value).
 */
final class TemplateMetrics {
    private static final Pattern SEARCH = Pattern.compile(
            "SEARCH\\('\\{" + JobMetrics.NAMESPACE + ",(\\w+)} MetricName=\"(\\w+)\"");

    private TemplateMetrics() {
    }

    static List<Series> jobwaySeries(Path templateFile) {
        CfnTemplate template = CfnTemplate.load(templateFile);
        Set<Series> read = new LinkedHashSet<>();
        for (CfnResource dashboard : template.resourcesOfType("AWS::CloudWatch::Dashboard")) {
            Object body = dashboard.property("DashboardBody");
            String json = body instanceof Map<?, ?> sub ? (String) sub.get("Fn::Sub") : (String) body;
            for (JsonNode widget : Json.parse(json).path("widgets")) {
                read.addAll(rows(widget.path("properties").path("metrics")));
            }
        }
        for (CfnResource alarm : template.resourcesOfType("AWS::CloudWatch::Alarm")) {
            JsonNode properties = Json.mapper().valueToTree(alarm.properties());
            alarmMetric(properties).ifPresent(read::add);
            for (JsonNode query : properties.path("Metrics")) {
                alarmMetric(query.path("MetricStat").path("Metric")).ifPresent(read::add);
            }
        }
        return List.copyOf(read);
    }

    private static List<Series> rows(JsonNode metrics) {
        List<Series> series = new ArrayList<>();
        List<String> previous = List.of();
        for (JsonNode row : metrics) {
            List<String> tokens = new ArrayList<>();
            for (JsonNode token : row) {
                if (token.isObject()) {
                    Matcher search = SEARCH.matcher(token.path("expression").asText());
                    if (search.find()) {
                        series.add(new Series(search.group(2), search.group(1), null));
                    }
                } else if (token.asText().equals("...")) {
                    tokens.addAll(previous.subList(tokens.size(), previous.size()));
                } else if (token.asText().equals(".")) {
                    tokens.add(previous.get(tokens.size()));
                } else {
                    tokens.add(token.asText());
                }
            }
            if (tokens.isEmpty()) {
                continue;
            }
            previous = tokens;
            if (tokens.get(0).equals(JobMetrics.NAMESPACE)) {
                series.add(new Series(tokens.get(1), tokens.get(2), tokens.get(3)));
            }
        }
        return series;
    }

    private static java.util.Optional<Series> alarmMetric(JsonNode metric) {
        if (!metric.path("Namespace").asText().equals(JobMetrics.NAMESPACE)) {
            return java.util.Optional.empty();
        }
        JsonNode dimension = metric.path("Dimensions").path(0);
        return java.util.Optional.of(new Series(metric.path("MetricName").asText(), dimension.path("Name").asText(),
                dimension.path("Value").asText()));
    }
}
