package io.dartmart.domain.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One stored document with its envelope. {@code data} is owned by the caller once returned: stores hand out
 * copies, so mutating it never changes what another reader sees.
 */
public record Entity(EntityType type, String id, int versionId, Instant created, Instant updated, ObjectNode data) {

    /** A text field of {@code data}, or null when absent or JSON null. */
    public String text(String field) {
        var node = data.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    public Entity withData(ObjectNode newData) {
        return new Entity(type, id, versionId, created, updated, newData);
    }
}
