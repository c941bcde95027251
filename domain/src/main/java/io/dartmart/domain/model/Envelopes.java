package io.dartmart.domain.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.schema.Secrets;

import java.util.List;

/** Renders entities as the wire envelope {@code {id, version_id, created, updated, data}}, secrets masked. */
public final class Envelopes {
    private Envelopes() {
    }

    public static ObjectNode of(Entity e) {
        ObjectNode out = Json.object();
        out.put("id", e.id());
        out.put("version_id", e.versionId());
        out.put("created", Timestamps.format(e.created()));
        out.put("updated", Timestamps.format(e.updated()));
        out.set("data", Secrets.mask(e.data()));
        return out;
    }

    /** An entity that is not stored: envelope fields null, as the original answers a dataset guess. */
    public static ObjectNode unsaved(ObjectNode data) {
        ObjectNode out = Json.object();
        out.putNull("id");
        out.putNull("version_id");
        out.putNull("created");
        out.putNull("updated");
        out.set("data", data);
        return out;
    }

    public static ArrayNode of(List<Entity> entities) {
        ArrayNode out = Json.array();
        entities.forEach(e -> out.add(of(e)));
        return out;
    }
}
