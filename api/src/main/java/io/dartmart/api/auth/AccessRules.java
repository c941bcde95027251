package io.dartmart.api.auth;

import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.error.ForbiddenException;
import io.micronaut.http.HttpMethod;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Which role may call which route, decided from the method and the path under {@code /api/1}. Finer checks that
 * need the entity (an engine key touching another engine's action) are the domain's.
 */
public final class AccessRules {
    private static final Pattern ENGINE_PROTOCOL =
            Pattern.compile("/engine/action/[^/]+/(checkout|checkin|heartbeat)|/engine/[^/]+/action/(poll|checkins)");
    private static final Pattern ENGINE_REGISTRATION = Pattern.compile("/engine(/[^/]+)?");
    private static final Pattern ACTION = Pattern.compile("/action/[^/]+");
    private static final Pattern SUBGRAPH_DEFINITION = Pattern.compile("/engine/[^/]+/subgraph_definition");

    private AccessRules() {
    }

    /**
     * The path as the router will match it: percent-decoded, without empty segments or a trailing slash. Rules
     * must see what routing sees, or {@code POST /engine/} would slip past a rule written for {@code /engine}.
     */
    static String normalise(String rawPath) {
        String decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        String collapsed = decoded.replaceAll("/{2,}", "/");
        while (collapsed.length() > 1 && collapsed.endsWith("/")) {
            collapsed = collapsed.substring(0, collapsed.length() - 1);
        }
        return collapsed;
    }

    /** Throws 403 with the reason when {@code caller} may not make this call; {@code path} is under /api/1. */
    public static void check(Caller caller, HttpMethod method, String rawPath) {
        String path = normalise(rawPath);
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
        Role role = caller.role();
        if (role == Role.ADMIN) {
            return;
        }
        if (path.startsWith("/api_key")) {
            throw refuse(caller, "API keys are managed by admin keys only");
        }
        if (read) {
            return;
        }
        if (ENGINE_PROTOCOL.matcher(path).matches()) {
            if (role != Role.ENGINE) {
                throw refuse(caller, "only engine keys take, check in and report on actions");
            }
            return;
        }
        if (ENGINE_REGISTRATION.matcher(path).matches()) {
            if (role != Role.ENGINE || method == HttpMethod.DELETE) {
                throw refuse(caller, "engines are registered by admin keys or by the engine's own key, and deleted by admin keys");
            }
            return;
        }
        if (role == Role.ENGINE) {
            if (ACTION.matcher(path).matches() && (method == HttpMethod.PUT || method == HttpMethod.PATCH)) {
                return;
            }
            if (SUBGRAPH_DEFINITION.matcher(path).matches() && method == HttpMethod.POST) {
                return;
            }
            throw refuse(caller, "an engine key may only register its engine and its subgraph definitions, and update "
                    + "its actions");
        }
        if (role == Role.VIEWER) {
            throw refuse(caller, "viewer keys are read only");
        }
    }

    private static ForbiddenException refuse(Caller caller, String why) {
        return new ForbiddenException("forbidden for " + caller.userId() + " (" + caller.role().wireName() + "): " + why);
    }
}
