package io.dartmart.domain.auth;

import java.util.Arrays;
import java.util.Optional;

/** What a credential may do: the role of an API key, or an action token's. */
public enum Role {
    /** Everything, including API keys and engine registration. */
    ADMIN,
    /** Create, change and run entities; no keys, no engine registration. */
    EDITOR,
    /** Read only. */
    VIEWER,
    /** One engine: its own registration and the actions of that engine only. */
    ENGINE,
    /**
     * Not an API key's role: the credential of one launched engine task, good for its one action while that action
     * is PENDING or RUNNING.
     */
    ACTION_TOKEN;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }
}
