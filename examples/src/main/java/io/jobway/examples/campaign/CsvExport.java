package io.jobway.examples.campaign;

import java.util.List;

/** The export step: RFC 4180 CSV with a header row. */
final class CsvExport {
    private CsvExport() {
    }

    static String of(List<Prospect> prospects) {
        StringBuilder csv = new StringBuilder("email,company,role,employees,score\r\n");
        for (Prospect p : prospects) {
            csv.append(quote(p.email())).append(',').append(quote(p.company())).append(',').append(quote(p.role()))
                    .append(',').append(p.employees()).append(',').append(p.score()).append("\r\n");
        }
        return csv.toString();
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }
}
