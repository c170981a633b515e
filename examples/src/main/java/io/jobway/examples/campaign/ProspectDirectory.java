package io.jobway.examples.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Stands in for the search and enrichment services a real campaign calls: the same audience always yields the
 * same prospects, so runs are repeatable.
 */
final class ProspectDirectory {
    private static final String[] ROLES = {"founder", "vp", "director", "manager", "engineer"};
    private static final String[] NAMES = {"ada", "grace", "alan", "edsger", "barbara", "donald", "radia", "ken"};
    private static final String[] DOMAINS = {"io", "com", "dev"};

    private ProspectDirectory() {
    }

    static List<Prospect> search(String audience, int size) {
        Random random = new Random(audience.hashCode());
        List<Prospect> found = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            String company = "company" + (i % 97);
            String email = NAMES[random.nextInt(NAMES.length)] + i + "@" + company + "."
                    + DOMAINS[random.nextInt(DOMAINS.length)];
            found.add(new Prospect(email, company, ROLES[random.nextInt(ROLES.length)], 0, audience, 0));
        }
        return found;
    }

    static Prospect enrich(Prospect prospect) {
        int employees = 5 + Math.floorMod(prospect.company().hashCode() * 31, 5_000);
        return new Prospect(prospect.email(), prospect.company(), prospect.role(), employees, prospect.industry(), 0);
    }
}
