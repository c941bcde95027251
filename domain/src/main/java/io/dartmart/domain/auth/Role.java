package io.dartmart.domain.auth;

import java.util.Arrays;
import java.util.Optional;

/** What an API key may do. */
public enum Role {
    /** Everything, including API keys and engine registration. */
    ADMIN,
    /** Create, change and run entities; no keys, no engine registration. */
    EDITOR,
    /** Read only. */
    VIEWER,
    /** One engine: its own registration and the actions of that engine only. */
    ENGINE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<Role> fromWireName(String name) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(name)).findFirst();
    }
}
