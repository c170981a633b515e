package io.jobway.local;

import java.util.List;
import java.util.Map;

/** Reads the logical id out of a template reference ({@code !Ref X} or {@code !GetAtt X.Attr}). */
final class TemplateRefs {
    private TemplateRefs() {
    }

    static String logicalId(Object value) {
        if (value instanceof Map<?, ?> map) {
            Object ref = map.get("Ref");
            if (ref != null) {
                return ref.toString();
            }
            Object getAtt = map.get("Fn::GetAtt");
            if (getAtt instanceof List<?> parts && !parts.isEmpty()) {
                return parts.get(0).toString();
            }
            if (getAtt instanceof String s && s.contains(".")) {
                return s.substring(0, s.indexOf('.'));
            }
        }
        throw new IllegalArgumentException("expected !Ref or !GetAtt naming a resource of this template, found "
                + value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
