package io.dartmart.domain.auth;

/** Who makes a request: the key's user (an e-mail address), its role, and for the engine role, its engine. */
public record Caller(String userId, Role role, String engineName) {
    /** The platform itself, for work that no API key initiates (workers, bootstrap). */
    public static final Caller SYSTEM = new Caller("dart@localhost", Role.ADMIN, null);

    public boolean isEngine() {
        return role == Role.ENGINE;
    }
}
