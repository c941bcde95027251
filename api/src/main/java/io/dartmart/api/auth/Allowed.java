package io.dartmart.api.auth;

import io.dartmart.domain.auth.Role;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The roles that may call a route, declared on the route's method; {@link AuthFilter} answers 403 to every other
 * role, and to every role on an API route that declares none. How far an engine key or an action token reaches
 * within an allowed route is {@link io.dartmart.domain.auth.Scope}'s.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD})
public @interface Allowed {
    Role[] value();
}
