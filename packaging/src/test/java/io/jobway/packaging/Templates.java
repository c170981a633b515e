package io.jobway.packaging;

import io.jobway.local.template.CfnTemplate;

/** template.yaml as written (SamBuild has the built one). */
final class Templates {
    private static CfnTemplate source;

    private Templates() {
    }

    static synchronized CfnTemplate source() {
        if (source == null) {
            source = CfnTemplate.load(Repo.TEMPLATE);
        }
        return source;
    }
}
