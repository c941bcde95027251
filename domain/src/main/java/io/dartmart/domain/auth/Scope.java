package io.dartmart.domain.auth;

import io.dartmart.domain.error.ForbiddenException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;

import java.util.Objects;
import java.util.Optional;

/**
 * How far an engine key or an action token reaches, the one rule every route and the graph apply. An engine key
 * writes only its own engine's registration and subgraph definitions, touches only the actions of its engine, and
 * reads the other entities its routes allow; an action token touches its one action and nothing else. Admin, editor
 * and viewer keys are bounded by their routes' roles alone.
 */
public final class Scope {
    private Scope() {
    }

    /** Whether {@code caller} may read ({@code write} false) or change the entity of {@code type} and {@code id}. */
    public static boolean allows(Caller caller, EntityType type, String id, String engineName, boolean write) {
        return switch (caller.role()) {
            case ADMIN, EDITOR, VIEWER -> true;
            case ENGINE -> switch (type) {
                case ACTION -> Objects.equals(caller.engineName(), engineName);
                case ENGINE, SUBGRAPH_DEFINITION -> !write || Objects.equals(caller.engineName(), engineName);
                default -> !write;
            };
            case ACTION_TOKEN -> type == EntityType.ACTION && id != null && id.equals(caller.actionId());
        };
    }

    /**
     * Whether {@link #allows} can answer differently for entities of different engines: only for an engine key.
     * Otherwise a reader need not look up an entity's engine to know whether {@code caller} may see it.
     */
    public static boolean dependsOnEngine(Caller caller) {
        return caller.role() == Role.ENGINE;
    }

    public static boolean allows(Caller caller, Entity entity, boolean write) {
        return allows(caller, entity.type(), entity.id(), engineOf(entity), write);
    }

    /** 403 naming what is out of reach, unless {@link #allows}. */
    public static void require(Caller caller, Entity entity, boolean write) {
        if (!allows(caller, entity, write)) {
            throw refusal(caller, entity.type().wireName() + (entity.id() == null ? "" : " '" + entity.id() + "'")
                    + " of engine '" + engineOf(entity) + "'");
        }
    }

    /**
     * 403 unless {@code caller} may report on actions of the engine {@code engineName} and, when {@code takes}, take
     * its next ones: an action token reports on its own action but takes none.
     */
    public static void requireEngine(Caller caller, String engineName, boolean takes) {
        boolean allowed = caller.role() == Role.ACTION_TOKEN
                ? !takes && Objects.equals(caller.engineName(), engineName)
                : allows(caller, EntityType.ENGINE, null, engineName, true);
        if (!allowed) {
            throw refusal(caller, (takes ? "the next actions" : "the actions") + " of engine '" + engineName + "'");
        }
    }

    /** The filter that keeps a list of {@code type} within reach of {@code caller}, when one is needed. */
    public static Optional<Filter> listFilter(Caller caller, EntityType type) {
        if (type != EntityType.ACTION) {
            return Optional.empty();
        }
        return switch (caller.role()) {
            case ENGINE -> Optional.of(Filter.eq("engine_name", caller.engineName()));
            case ACTION_TOKEN -> Optional.of(Filter.eq("id", caller.actionId()));
            default -> Optional.empty();
        };
    }

    private static String engineOf(Entity entity) {
        return entity.type() == EntityType.ENGINE ? entity.text("name") : entity.text("engine_name");
    }

    private static ForbiddenException refusal(Caller caller, String what) {
        String who = caller.role() == Role.ACTION_TOKEN ? "the action token of action '" + caller.actionId() + "'"
                : "an engine key for '" + caller.engineName() + "'";
        return new ForbiddenException(who + " may not touch " + what);
    }
}
