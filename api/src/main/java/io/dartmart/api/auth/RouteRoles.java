package io.dartmart.api.auth;

import io.micronaut.core.annotation.AnnotationMetadata;
import io.dartmart.domain.auth.Role;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The roles a route declares with {@link Allowed}, read from its annotation metadata. */
public final class RouteRoles {
    private RouteRoles() {
    }

    /** Empty when the route declares none, which allows nobody. */
    public static Set<Role> of(AnnotationMetadata route) {
        Role[] roles = route.enumValues(Allowed.class, Role.class);
        return roles.length == 0 ? EnumSet.noneOf(Role.class) : EnumSet.of(roles[0], roles);
    }

    /** "admin, editor" as people read it, for messages and the spec. */
    public static String describe(Set<Role> roles) {
        return roles.isEmpty() ? "none" : roles.stream().map(r -> r.wireName().replace('_', ' '))
                .collect(Collectors.joining(", ")).toLowerCase(Locale.ROOT);
    }
}
