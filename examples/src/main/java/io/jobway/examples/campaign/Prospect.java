package io.jobway.examples.campaign;

/** A person a campaign may reach; company data and score are filled in by later steps. */
record Prospect(String email, String company, String role, int employees, String industry, int score) {
    /** The score step: decision makers at mid-sized companies of the audience's industry rank highest. */
    Prospect scored() {
        int points = switch (role) {
            case "founder", "vp" -> 50;
            case "director" -> 35;
            default -> 15;
        };
        points += employees >= 50 && employees <= 1_000 ? 40 : employees > 1_000 ? 20 : 10;
        points += email.endsWith(".io") ? 10 : 0;
        return new Prospect(email, company, role, employees, industry, Math.min(100, points));
    }
}
