package io.dartmart.domain.auth;

/**
 * Who makes a request: the credential's user (an e-mail address), its role, for the engine role and action tokens
 * their engine, and for an action token its action.
 */
public record Caller(String userId, Role role, String engineName, String actionId) {
    /** The platform itself, for work that no API key initiates (workers, bootstrap). */
    public static final Caller SYSTEM = new Caller("dart@localhost", Role.ADMIN, null);

    public Caller(String userId, Role role, String engineName) {
        this(userId, role, engineName, null);
    }

    public boolean isEngine() {
        return role == Role.ENGINE;
    }
}
