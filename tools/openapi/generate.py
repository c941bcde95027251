"""Generates openapi.yaml from the entity schemas (domain/src/main/resources/schema) and the route table below.

Run from anywhere: python3 tools/openapi/generate.py [OUT]   (default: openapi.yaml at the repository root).
             python3 tools/openapi/generate.py --check   (exit 1 when the committed openapi.yaml is not what this
                                                          script generates; ./dart test runs it)
Needs python3 and PyYAML. Edit the routes here, or the entity schemas, then regenerate; the API tests check every
exchange against the result.
"""
import json, glob, os, copy, sys
from collections import OrderedDict
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCHEMA_DIR = os.path.join(ROOT, "domain", "src", "main", "resources", "schema")
CHECK = sys.argv[1:] == ["--check"]
OUT = sys.argv[1] if len(sys.argv) > 1 and not CHECK else os.path.join(ROOT, "openapi.yaml")

def load(name):
    with open(os.path.join(SCHEMA_DIR, name + ".json")) as f:
        return json.load(f, object_pairs_hook=OrderedDict)

KEEP = ["description", "format", "enum", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "required", "multipleOf"]

MULTI = None
MULTI_SCHEMAS = OrderedDict()

def _multi(js, types, nullable):
    name = "".join(t.capitalize() for t in types) + ("OrNull" if nullable else "")
    name = name.replace("NumberString", "NumberOrString")
    branches = []
    for ty in types:
        b = OrderedDict([("type", ty)])
        if nullable:
            b["nullable"] = True
        branches.append(b)
    MULTI_SCHEMAS[name] = OrderedDict([("description", "A %s%s." % (" or ".join(types), ", or null" if nullable else "")),
                                       ("anyOf", branches)])
    return name

def translate(js, top=False, open_objects=True):
    """draft-07 JSON Schema -> OpenAPI 3.0.3 schema object."""
    out = OrderedDict()
    t = js.get("type")
    nullable = False
    types = None
    if isinstance(t, list):
        types = [x for x in t if x != "null"]
        nullable = "null" in t
    elif t is not None:
        types = [t]
    if types is not None and len(types) > 1 and MULTI is not None:
        # the validator types an inline schema without `type` under an open object as an object; a $ref is safe
        name = MULTI(js, types, nullable)
        return OrderedDict([("$ref", "#/components/schemas/" + name)])
    if types is not None and len(types) > 1:
        # several types: anyOf, each branch nullable so that null matches
        branches = []
        for ty in types:
            b = OrderedDict([("type", ty)])
            if nullable:
                b["nullable"] = True
            branches.append(b)
        if "description" in js:
            out["description"] = js["description"]
        out["anyOf"] = branches
        return out
    if types:
        out["type"] = types[0]
    if nullable:
        out["nullable"] = True
    for k in ["description", "format", "enum", "default", "minimum", "maximum", "minLength", "maxLength", "pattern",
              "minItems", "maxItems", "uniqueItems"]:
        if k in js:
            out[k] = js[k]
    if "items" in js:
        out["items"] = translate(js["items"], open_objects=open_objects)
    if "required" in js:
        out["required"] = list(js["required"])
    if "properties" in js:
        out["properties"] = OrderedDict((k, translate(v, open_objects=open_objects)) for k, v in js["properties"].items())
    if "additionalProperties" in js:
        out["additionalProperties"] = js["additionalProperties"]
    elif out.get("type") == "object" and "properties" in out:
        # the validator rejects unknown properties unless told otherwise; entity data stays open
        out["additionalProperties"] = True
    unknown = set(js) - set(["$schema", "title", "type", "items", "properties", "required", "additionalProperties"] + KEEP)
    assert not unknown, unknown
    return out

def input_variant(schema):
    """Request side: top-level scalars with a default may be sent as null (the server applies the default)."""
    s = copy.deepcopy(schema)
    changed = False
    for name, p in s["properties"].items():
        if "default" in p and not isinstance(p["default"], (list, dict)) and not p.get("nullable") and "type" in p:
            p["nullable"] = True
            p["description"] = ((p.get("description", "") + " ").lstrip() +
                                "null in a request stands for the default.").strip()
            changed = True
    return s, changed

def ref(name, kind="schemas"):
    return OrderedDict([("$ref", "#/components/%s/%s" % (kind, name))])

ENTITIES = [
    # (wire name, Camel, has request body)
    ("engine", "Engine", True),
    ("datastore", "Datastore", True),
    ("action", "Action", True),
    ("workflow", "Workflow", True),
    ("workflow_instance", "WorkflowInstance", False),
    ("dataset", "Dataset", True),
    ("subscription", "Subscription", True),
    ("subscription_element", "SubscriptionElement", False),
    ("trigger", "Trigger", True),
    ("event", "Event", True),
    ("subgraph_definition", "SubgraphDefinition", True),
]

S = OrderedDict()   # component schemas
MULTI = _multi

TS_DESC = "ISO-8601 UTC with microseconds and an explicit offset, e.g. 2026-11-22T10:00:00.123456+00:00."

def envelope(camel, data_ref, desc, nullable=False):
    e = OrderedDict()
    e["type"] = "object"
    if nullable:
        e["nullable"] = True
    e["description"] = desc
    e["additionalProperties"] = False
    e["required"] = ["id", "version_id", "created", "updated", "data"]
    e["properties"] = OrderedDict([
        ("id", OrderedDict([("type", "string"), ("minLength", 1), ("description", "Random identifier, assigned by the server.")])),
        ("version_id", OrderedDict([("type", "integer"), ("minimum", 1),
                                    ("description", "1 on creation, incremented by every change; for optimistic locking.")])),
        ("created", OrderedDict([("type", "string"), ("format", "date-time"), ("description", TS_DESC)])),
        ("updated", OrderedDict([("type", "string"), ("format", "date-time"), ("description", TS_DESC)])),
        ("data", data_ref),
    ])
    return e

def request_envelope(data_ref, desc):
    e = OrderedDict()
    e["type"] = "object"
    e["description"] = desc
    e["additionalProperties"] = True
    e["required"] = ["data"]
    e["properties"] = OrderedDict([
        ("id", OrderedDict([("type", "string"), ("nullable", True), ("description", "Read-only; ignored.")])),
        ("version_id", OrderedDict([("type", "integer"), ("nullable", True),
                                    ("description", "Optional. When present (not null) it must equal the stored version_id, "
                                                    "else 409 and nothing changes. Ignored on create.")])),
        ("created", OrderedDict([("type", "string"), ("format", "date-time"), ("nullable", True), ("description", "Read-only; ignored.")])),
        ("updated", OrderedDict([("type", "string"), ("format", "date-time"), ("nullable", True), ("description", "Read-only; ignored.")])),
        ("data", data_ref),
    ])
    return e

SERVER_FIELDS = {
    "engine": "Server-owned: `user_id`.",
    "datastore": "Server-owned: `user_id`, `s3_artifacts_path`, `s3_logs_path` (placed on creation); `engine_name` is fixed "
                 "once created. `args` is validated against the engine's `options_json_schema` (defaults applied); its "
                 "properties marked `x-dart-secret` are stored encrypted and answered as `********`.",
    "action": "Server-owned: `user_id`, `engine_name` (from the datastore or workflow), `datastore_id` (null for a "
              "workflow's TEMPLATE steps), `workflow_id`, `workflow_instance_id`, `order_idx` when not given, and the "
              "forced `state` on creation (HAS_NEVER_RUN for an ad-hoc datastore action, TEMPLATE for a workflow step). "
              "`args` is validated against the action type's `params_json_schema` (null becomes `{}`); secrets as for "
              "datastores. Durations such as `avg_runtime` are null or `H:MM:SS` / `N days, H:MM:SS`.",
    "workflow": "Server-owned: `user_id`, `datastore_id` and `engine_name` (from the datastore); `concurrency` is forced to "
                "1 on creation when the datastore is ACTIVE. Editable: name, state, concurrency (1-10), on_failure, the "
                "e-mail lists, retries_on_failure, tags.",
    "workflow_instance": "Made by running a workflow, never by a client.",
    "dataset": "`name` is unique (409 on a duplicate).",
    "subscription": "Server-owned: `user_id`, `dataset_id` (from the route it was created on); the prefixes and regex are "
                    "fixed once created.",
    "subscription_element": "Listed by the subscription worker; never created or edited by clients.",
    "trigger": "`args` is validated against the trigger type's `params_json_schema`; `workflow_ids` null becomes `[]`, "
               "`args` null becomes `{}`; every listed workflow must exist.",
    "event": "",
    "subgraph_definition": "Server-owned: `user_id`, `engine_name` (the engine it was created under).",
}

for wire, camel, has_req in ENTITIES:
    js = load(wire)
    data = translate(js, top=True)
    desc = js.get("description", "")
    extra = SERVER_FIELDS.get(wire, "")
    d = OrderedDict([("title", wire + " data")])
    d["description"] = (desc + (" " + extra if extra else "")).strip()
    for k, v in data.items():
        if k != "description":
            d[k] = v
    S[camel + "Data"] = d
    if has_req:
        inp, changed = input_variant(d)
        if changed:
            inp["title"] = wire + " data (request)"
            inp["description"] = (d["description"] + " In a request, a top-level property that has a default may "
                                  "be sent as null: the server stores the default.").strip()
            S[camel + "DataInput"] = inp

# workflow_instance.trigger_type is a free string in the entity schema; document the values it takes
_tt = S["WorkflowInstanceData"]["properties"]["trigger_type"]
assert "$ref" not in _tt, _tt
_tt["description"] = ("What started the run: the `trigger_type_name` of the trigger that fired (scheduled, "
                      "workflow_completion, subscription_batch, super, event; `trigger_id` is that trigger's id), "
                      "`manual` (POST /workflow/{workflow_id}/do-manual-trigger; `trigger_id` null) or `retry` (a new "
                      "run after a failed one while the workflow's `retries_on_failure` allows; `trigger_id` is the "
                      "failed instance's id, `retry_num` counts the retries).")

# workflow created at the top level must name its datastore
wf_create = copy.deepcopy(S.get("WorkflowDataInput", S["WorkflowData"]))
wf_create["title"] = "workflow data (POST /workflow)"
wf_create["description"] = "As WorkflowData, but `datastore_id` is required: the datastore the workflow runs on."
wf_create["required"] = list(wf_create.get("required", [])) + ["datastore_id"]
wf_create["properties"]["datastore_id"] = OrderedDict([("type", "string"), ("minLength", 1),
                                                       ("description", "The datastore to run on; must exist, else 400.")])
S["WorkflowCreateDataInput"] = wf_create

# API keys
ak = load("api_key")
akd = translate(ak)
S["ApiKeyDataInput"] = OrderedDict([
    ("title", "api_key data (request)"),
    ("description", "A credential of one user with one role. `engine_name` is required (non-blank) when `role` is "
                    "engine: the only engine the key acts for. No other property is allowed."),
    ("type", "object"),
    ("additionalProperties", False),
    ("required", akd["required"]),
    ("properties", akd["properties"]),
    ("anyOf", [
        OrderedDict([("type", "object"), ("additionalProperties", True),
                     ("properties", OrderedDict([("role", OrderedDict([("type", "string"), ("enum", ["admin", "editor", "viewer"])]))]))]),
        OrderedDict([("type", "object"), ("additionalProperties", True), ("required", ["engine_name"]),
                     ("properties", OrderedDict([
                         ("role", OrderedDict([("type", "string"), ("enum", ["engine"])])),
                         ("engine_name", OrderedDict([("type", "string"), ("minLength", 1), ("pattern", "\\S")]))]))]),
    ]),
])
ak_props = copy.deepcopy(akd["properties"])
ak_props["key"] = OrderedDict([("type", "string"), ("minLength", 1),
                               ("description", "The public half of the credential (`key` in `key:secret`).")])
S["ApiKeyData"] = OrderedDict([
    ("title", "api_key data"),
    ("description", "An API key as listed: never its secret."),
    ("type", "object"),
    ("additionalProperties", False),
    ("required", ["user_id", "role", "key"]),
    ("properties", ak_props),
])
ak_props2 = copy.deepcopy(ak_props)
ak_props2["secret"] = OrderedDict([("type", "string"), ("minLength", 1),
                                   ("description", "The secret half of the credential; answered this once, only stored as a hash.")])
S["ApiKeyCreatedData"] = OrderedDict([
    ("title", "api_key data (on creation)"),
    ("description", "A new API key, with its secret: the only time the secret is shown."),
    ("type", "object"),
    ("additionalProperties", False),
    ("required", ["user_id", "role", "key", "secret"]),
    ("properties", ak_props2),
])

# entity envelopes
ENV = OrderedDict()
for wire, camel, has_req in ENTITIES:
    ENV[camel + "Entity"] = envelope(camel, ref(camel + "Data"), "A stored %s (`{id, version_id, created, updated, data}`)." % wire.replace("_", " "))
ENV["ApiKeyEntity"] = envelope("ApiKey", ref("ApiKeyData"), "An API key (never its secret).")
ENV["ApiKeyCreatedEntity"] = envelope("ApiKey", ref("ApiKeyCreatedData"), "A new API key with its secret, shown this once.")

# request envelopes
REQ = OrderedDict()
for wire, camel, has_req in ENTITIES:
    if not has_req:
        continue
    dname = camel + "DataInput" if (camel + "DataInput") in S else camel + "Data"
    word = wire.replace("_", " ")
    article = "An" if word[0] in "aeiou" else "A"
    REQ[camel + "Request"] = request_envelope(ref(dname), "%s %s to create or replace: `{\"data\": {...}}`; the other "
                                              "envelope fields may be sent back as received." % (article, word))
REQ["WorkflowCreateRequest"] = request_envelope(ref("WorkflowCreateDataInput"),
                                                "A workflow to create at the top level: `data.datastore_id` is required.")
REQ["ApiKeyRequest"] = request_envelope(ref("ApiKeyDataInput"), "An API key to create.")

OTHER = OrderedDict()
OTHER["ActionRequestOneOrMany"] = OrderedDict([
    ("description", "One action request envelope, or a non-empty array of them (created in the given order)."),
    ("oneOf", [ref("ActionRequest"), OrderedDict([("type", "array"), ("minItems", 1), ("items", ref("ActionRequest"))])]),
])
OTHER["JsonPatch"] = OrderedDict([
    ("type", "array"),
    ("description", "An RFC 6902 JSON Patch applied to the entity envelope as the API shows it (paths such as "
                    "`/data/name`, `/data/args/x`; secrets appear as `********`). The patched envelope then goes "
                    "through the same rules as a PUT: only editable fields change, and a patched `/version_id` that is "
                    "stale gives 409. A failed `test` operation gives 409."),
    ("items", ref("JsonPatchOperation")),
])
OTHER["AnyValue"] = OrderedDict([
    ("description", "Any JSON value, null included."),
    ("anyOf", [OrderedDict([("type", "string"), ("nullable", True)]), OrderedDict([("type", "number")]),
               OrderedDict([("type", "boolean")]), OrderedDict([("type", "object")]),
               OrderedDict([("type", "array"), ("items", OrderedDict())])]),
])
OTHER["JsonPatchOperation"] = OrderedDict([
    ("type", "object"),
    ("additionalProperties", True),
    ("required", ["op", "path"]),
    ("properties", OrderedDict([
        ("op", OrderedDict([("type", "string"), ("enum", ["add", "remove", "replace", "move", "copy", "test"])])),
        ("path", OrderedDict([("type", "string"), ("description", "A JSON Pointer, e.g. /data/state.")])),
        ("value", ref("AnyValue")),
        ("from", OrderedDict([("type", "string"), ("description", "A JSON Pointer; required by move and copy.")])),
    ])),
    ("anyOf", [
        OrderedDict([("type", "object"), ("additionalProperties", True), ("required", ["value"]),
                     ("properties", OrderedDict([("op", OrderedDict([("type", "string"), ("enum", ["add", "replace", "test"])]))]))]),
        OrderedDict([("type", "object"), ("additionalProperties", True),
                     ("properties", OrderedDict([("op", OrderedDict([("type", "string"), ("enum", ["remove"])]))]))]),
        OrderedDict([("type", "object"), ("additionalProperties", True), ("required", ["from"]),
                     ("properties", OrderedDict([("op", OrderedDict([("type", "string"), ("enum", ["move", "copy"])]))]))]),
    ]),
])
# request bodies that are not entities: their schemas live beside the entities' (one home for their limits), under
# domain/src/main/resources/schema/request/, and the routes validate against the same files
def request_schema(name):
    return translate(load(os.path.join("request", name)))

OTHER["CheckinRequest"] = request_schema("checkin")
_batch = request_schema("batch_checkin")
OTHER["BatchCheckinOutcome"] = _batch["properties"]["checkins"].pop("items")
_batch["properties"]["checkins"]["items"] = ref("BatchCheckinOutcome")
OTHER["BatchCheckinRequest"] = _batch
OTHER["IgnoredBody"] = OrderedDict([
    ("type", "object"),
    ("description", "No body is needed; one sent (such as `{}`) is ignored."),
])
OTHER["ManualTriggerRequest"] = request_schema("manual_trigger")
OTHER["ManualTriggerRequest"]["example"] = OrderedDict([("parameters", OrderedDict([("date", "2026-11-22")])),
                                                        ("callback_url", "https://example.com/hooks/dart")])
OTHER["PollRequest"] = request_schema("poll")
OTHER["HeartbeatRequest"] = request_schema("heartbeat")
OTHER["EventFireRequest"] = OrderedDict([
    ("type", "object"),
    ("description", "Optional; the body must be a JSON object (400 otherwise). Other properties are ignored."),
    ("additionalProperties", True),
    ("properties", OrderedDict([
        ("message", OrderedDict([("type", "object"), ("nullable", True),
            ("description", "Extra fields of the event message, as an external system would put on the trigger queue; "
                            "`event_id` is always the route's. Ignored unless an object.")])),
    ])),
])
OTHER["ActionLogLine"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["created", "stream", "line"]),
    ("properties", OrderedDict([
        ("created", OrderedDict([("type", "string"), ("format", "date-time"), ("description", "When the line was recorded. " + TS_DESC)])),
        ("stream", OrderedDict([("type", "string"), ("enum", ["stdout", "stderr"])])),
        ("line", OrderedDict([("type", "string"), ("description", "One line of output, without its line break.")])),
    ])),
])

def results_of(schema, desc):
    return OrderedDict([("type", "object"), ("description", desc), ("additionalProperties", False), ("required", ["results"]),
                        ("properties", OrderedDict([("results", schema)]))])

def list_of(item_ref, desc):
    return OrderedDict([
        ("type", "object"), ("description", desc), ("additionalProperties", False),
        ("required", ["results", "limit", "offset", "total", "total_kind", "cursor"]),
        ("properties", OrderedDict([
            ("results", OrderedDict([("type", "array"), ("items", item_ref)])),
            ("limit", OrderedDict([("type", "integer"), ("minimum", 0), ("description", "The limit applied.")])),
            ("offset", OrderedDict([("type", "integer"), ("minimum", 0), ("description", "The offset applied.")])),
            ("total", OrderedDict([("type", "integer"), ("minimum", 0),
                                   ("description", "How many entities match the filters, over all pages; how far to "
                                                   "trust it is in `total_kind`.")])),
            ("total_kind", OrderedDict([("type", "string"), ("enum", ["exact", "lower_bound", "estimate"]),
                                        ("description", "`exact` when the matches were counted (up to 1,000 of them, "
                                                        "or when this page shows where they end, or on an unfiltered "
                                                        "list of actions or runs, whose rows are counted by day); beyond that "
                                                        "`estimate`, the database planner's estimate from its "
                                                        "statistics (it may be off either way), or `lower_bound` when "
                                                        "the estimate is below what was seen: at least `total` match.")])),
            ("cursor", OrderedDict([("type", "string"), ("nullable", True),
                                    ("description", "Pass it as `after` (with the same `filters` and `order_by`) for "
                                                    "the page after this one; null on the last page. Paging by cursor "
                                                    "costs the same at any depth, and rows added meanwhile are neither "
                                                    "skipped nor repeated.")])),
        ])),
    ])

RES = OrderedDict()
for name in list(ENV):
    base = name[:-len("Entity")]
    if base == "SubscriptionElement":
        continue  # elements are only ever listed
    RES[base + "Result"] = results_of(ref(name), "One %s: `{\"results\": %s}`." % (name, name))
for wire, camel, _ in ENTITIES:
    RES[camel + "List"] = list_of(ref(camel + "Entity"), "A page of %s." % (camel + "Entity"))
RES["ApiKeyList"] = list_of(ref("ApiKeyEntity"), "A page of ApiKeyEntity.")
RES["ActionListResult"] = results_of(OrderedDict([("type", "array"), ("items", ref("ActionEntity"))]),
                                     "The actions created, in order; always a list, even for one action.")
RES["OkResult"] = results_of(OrderedDict([("type", "string"), ("enum", ["OK"])]), "`{\"results\": \"OK\"}`.")
RES["ManualTriggerResult"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["results", "workflow_instance_id"]),
    ("description", "`{\"results\": \"OK\", \"workflow_instance_id\": ...}`: the original's answer, and the new run."),
    ("properties", OrderedDict([
        ("results", OrderedDict([("type", "string"), ("enum", ["OK"])])),
        ("workflow_instance_id", OrderedDict([("type", "string"), ("description", "The id of the run just queued.")])),
    ])),
])
RES["Error"] = OrderedDict([
    ("type", "object"), ("description", "The body of every error answer (4xx and 5xx)."), ("additionalProperties", False),
    ("required", ["results", "error_message"]),
    ("properties", OrderedDict([
        ("results", OrderedDict([("type", "string"), ("enum", ["ERROR"])])),
        ("error_message", OrderedDict([("type", "string"), ("description",
            "What went wrong; for invalid input it names the JSON pointer and the rule, e.g. "
            "`/data/args/bucket: required property missing`.")])),
    ])),
    ("example", OrderedDict([("results", "ERROR"), ("error_message", "/data/name: required property missing")])),
])

def nullable_env(camel, desc):
    e = envelope(camel, ref(camel + "Data"), desc, nullable=True)
    return e

WORK_PACKAGE = OrderedDict([
    ("type", "object"), ("additionalProperties", False),
    ("required", ["action_id", "attempt", "engine", "action", "datastore", "parameters", "heartbeat_timeout_seconds"]),
    ("description", "Everything the engine needs; `data.args` of the action and the datastore carry secrets in clear "
                    "(only here). An action is run at least once: work lost to the platform is handed out again, so "
                    "an effect that must not happen twice is keyed by `action_id` and `attempt`."),
    ("properties", OrderedDict([
        ("action_id", OrderedDict([("type", "string"), ("description", "The action's id.")])),
        ("attempt", OrderedDict([("type", "integer"), ("minimum", 1),
            ("description", "How many times an engine has taken this action, this time included; a hand-out after "
                            "lost work or a retry has a higher number.")])),
        ("engine", nullable_env("Engine", "The action's engine (EngineEntity); null only if its registration is gone.")),
        ("action", ref("ActionEntity")),
        ("datastore", nullable_env("Datastore", "The action's datastore (DatastoreEntity), or null when the action has "
                                                "none or it has been deleted.")),
        ("parameters", OrderedDict([("type", "object"),
            ("description", "The run parameters of the action's workflow instance (its `parameters`, e.g. from a manual "
                            "run); `{}` when the action has no instance (an ad-hoc action) or the instance has none.")])),
        ("heartbeat_timeout_seconds", OrderedDict([("type", "number"), ("exclusiveMinimum", 0),
            ("description", "The server's `dart.execution.heartbeat-timeout`: once no heartbeat reached it for this "
                            "long, it counts the action lost and hands it out again. An engine that cannot reach the "
                            "server should give the action up before then (the SDKs stop the handler a heartbeat "
                            "period early and do not check it in).")])),
    ])),
])
OTHER["WorkPackage"] = WORK_PACKAGE
RES["CheckoutResult"] = results_of(ref("WorkPackage"),
                                   "The checked-out action with its engine and datastore (and the run's parameters, when any).")
NEXT_WORK = copy.deepcopy(WORK_PACKAGE)
NEXT_WORK["nullable"] = True
NEXT_WORK["description"] = ("The engine's next action, already checked out (RUNNING), or null when none came within "
                            "`poll.wait_seconds`; present only when the check-in asked for it.")
RES["CheckinResult"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["results"]),
    ("description", "`{\"results\": \"OK\"}`, plus `next` when the check-in carried `poll`."),
    ("properties", OrderedDict([
        ("results", OrderedDict([("type", "string"), ("enum", ["OK"])])),
        ("next", NEXT_WORK),
    ])),
])

RES["BatchCheckinResult"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["results", "next"]),
    ("description", "One result per outcome, in the order sent, and the next actions taken."),
    ("properties", OrderedDict([
        ("results", OrderedDict([("type", "array"), ("items", OrderedDict([
            ("type", "object"), ("additionalProperties", False), ("required", ["action_id", "results"]),
            ("properties", OrderedDict([
                ("action_id", OrderedDict([("type", "string")])),
                ("results", OrderedDict([("type", "string"), ("enum", ["OK", "ERROR"]),
                    ("description", "OK: the outcome was applied. ERROR: it was refused, alone; see `status`.")])),
                ("status", OrderedDict([("type", "integer"),
                    ("description", "Why it was refused, as the single check-in would answer: 400 (the action is not "
                                    "RUNNING), 403 (another engine's action), 404 (no such action).")])),
                ("error_message", OrderedDict([("type", "string")])),
            ]))]))])),
        ("next", OrderedDict([("type", "array"), ("items", ref("WorkPackage")),
            ("description", "Up to `max` next actions of the engine, each already checked out (RUNNING); empty when "
                            "none came within `wait_seconds`.")])),
    ])),
])

RES["ActionLogList"] = OrderedDict([
    ("type", "object"), ("description", "A page of an action's output lines, oldest first."), ("additionalProperties", False),
    ("required", ["results", "limit", "offset", "total"]),
    ("properties", OrderedDict([
        ("results", OrderedDict([("type", "array"), ("items", ref("ActionLogLine"))])),
        ("limit", OrderedDict([("type", "integer"), ("minimum", 0), ("description", "The limit applied.")])),
        ("offset", OrderedDict([("type", "integer"), ("minimum", 0), ("description", "The offset applied.")])),
        ("total", OrderedDict([("type", "integer"), ("minimum", 0), ("description", "How many lines the action has.")])),
    ])),
])

RES["WhoAmIResult"] = results_of(OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["user_id", "role"]),
    ("properties", OrderedDict([
        ("user_id", OrderedDict([("type", "string"), ("description", "The key's user (an e-mail address).")])),
        ("role", OrderedDict([("type", "string"), ("enum", ["admin", "editor", "viewer", "engine"])])),
        ("engine_name", OrderedDict([("type", "string"), ("description", "The engine of an engine key; absent otherwise.")])),
    ])),
]), "The caller's key: its user and role.")

RES["TriggerTypeList"] = results_of(OrderedDict([("type", "array"), ("items", ref("TriggerType"))]),
                                    "The trigger types users may create triggers of.")
OTHER["TriggerType"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["name", "description", "params_json_schema"]),
    ("properties", OrderedDict([
        ("name", OrderedDict([("type", "string"), ("description", "The `trigger_type_name` of triggers of this type, e.g. "
                                                                   "scheduled, workflow_completion, subscription_batch, super, event.")])),
        ("description", OrderedDict([("type", "string")])),
        ("params_json_schema", OrderedDict([("type", "object"), ("description", "JSON Schema of the `args` of triggers of this type.")])),
    ])),
])
RES["ElementStatsResult"] = results_of(OrderedDict([("type", "array"), ("items", ref("ElementStat"))]),
                                       "Element counts and sizes by state; states without elements are absent.")
OTHER["ElementStat"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["state", "count", "file_size_sum"]),
    ("properties", OrderedDict([
        ("state", OrderedDict([("type", "string"), ("enum", ["UNCONSUMED", "RESERVED", "ASSIGNED", "CONSUMED"])])),
        ("count", OrderedDict([("type", "integer"), ("minimum", 0)])),
        ("file_size_sum", OrderedDict([("type", "integer"), ("minimum", 0),
                                       ("description", "Sum of the known file sizes, in bytes (0 when none is known).")])),
    ])),
])
RES["SchemaResult"] = results_of(OrderedDict([("type", "object"), ("description", "A JSON Schema (draft-07).")]),
                                 "A JSON Schema for the UI's forms.")
GRAPH_TYPES = ["action", "dataset", "datastore", "event", "subscription", "trigger", "workflow", "workflow_instance"]
OTHER["GraphEntityType"] = OrderedDict([("type", "string"), ("enum", GRAPH_TYPES)])
OTHER["GraphNode"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False),
    ("required", ["entity_type", "entity_id", "name", "state", "sub_type"]),
    ("properties", OrderedDict([
        ("entity_type", ref("GraphEntityType")),
        ("entity_id", OrderedDict([("type", "string")])),
        ("name", OrderedDict([("type", "string")])),
        ("state", OrderedDict([("type", "string"), ("nullable", True)])),
        ("sub_type", OrderedDict([("type", "string"), ("nullable", True),
                                  ("description", "E.g. the action type or trigger type name, or the engine name of a datastore.")])),
    ])),
])
OTHER["GraphEdge"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False),
    ("required", ["source_type", "source_id", "destination_type", "destination_id"]),
    ("properties", OrderedDict([
        ("source_type", ref("GraphEntityType")),
        ("source_id", OrderedDict([("type", "string")])),
        ("destination_type", ref("GraphEntityType")),
        ("destination_id", OrderedDict([("type", "string")])),
    ])),
])
RES["GraphResult"] = results_of(OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["nodes", "edges"]),
    ("properties", OrderedDict([
        ("nodes", OrderedDict([("type", "array"), ("items", ref("GraphNode"))])),
        ("edges", OrderedDict([("type", "array"), ("items", ref("GraphEdge"))])),
    ])),
]), "The entities connected to one entity, and how.")
OTHER["EntityIdentifier"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["entity_type", "entity_id", "name"]),
    ("properties", OrderedDict([
        ("entity_type", ref("GraphEntityType")),
        ("entity_id", OrderedDict([("type", "string")])),
        ("name", OrderedDict([("type", "string")])),
    ])),
])
RES["EntityIdentifierList"] = results_of(OrderedDict([("type", "array"), ("items", ref("EntityIdentifier"))]),
                                         "Entities whose name matches the search.")
OTHER["UnsavedEntity"] = OrderedDict([
    ("type", "object"), ("required", ["data"]),
    ("description", "An entity not stored yet: `id` is its `UNSAVED-...` placeholder (as in its node id); `data` is "
                    "what its type's create route takes, where any `UNSAVED-...`, `PARENT-...` or `CHILD-...` text "
                    "stands for the id the entity it names gets or has."),
    ("properties", OrderedDict([
        ("id", OrderedDict([("type", "string"), ("nullable", True), ("pattern", "^UNSAVED-")])),
        ("data", OrderedDict([("type", "object"), ("additionalProperties", True)])),
    ])),
])
OTHER["SubGraphTemplate"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False),
    ("required", ["name", "description", "related_type", "related_is_a", "icon", "md_icon", "graph", "entity_map"]),
    ("properties", OrderedDict([
        ("name", OrderedDict([("type", "string")])),
        ("description", OrderedDict([("type", "string"), ("nullable", True)])),
        ("related_type", OrderedDict([("type", "string"), ("nullable", True),
                                      ("description", "The type of entity the template hangs from (e.g. datastore).")])),
        ("related_is_a", OrderedDict([("type", "string"), ("nullable", True),
                                      ("description", "PARENT: the related entity is the parent of the template's "
                                                      "entities (they refer to it as `PARENT-1`); CHILD: its child.")])),
        ("icon", OrderedDict([("type", "string"), ("nullable", True)])),
        ("md_icon", OrderedDict([("type", "string"), ("nullable", True)])),
        ("graph", OrderedDict([
            ("type", "object"), ("additionalProperties", False), ("required", ["nodes", "edges"]),
            ("description", "The template drawn; edges to `PARENT-`/`CHILD-` ids join the related entity."),
            ("properties", OrderedDict([
                ("nodes", OrderedDict([("type", "array"), ("items", ref("GraphNode"))])),
                ("edges", OrderedDict([("type", "array"), ("items", ref("GraphEdge"))])),
            ])),
        ])),
        ("entity_map", OrderedDict([("type", "object"), ("additionalProperties", ref("UnsavedEntity")),
                                    ("description", "The template's entities by node id (`<entity_type>-UNSAVED-...`), "
                                                    "with ids fresh for this answer.")])),
    ])),
])
RES["SubGraphTemplatesResult"] = results_of(OrderedDict([
    ("type", "object"), ("additionalProperties", OrderedDict([("type", "array"), ("items", ref("SubGraphTemplate"))])),
    ("description", "Templates by engine name."),
]), "The subgraph templates engines offer.")
OTHER["SubGraphSaveRequest"] = OrderedDict([
    ("type", "object"), ("required", ["unsaved_entities"]),
    ("properties", OrderedDict([
        ("unsaved_entities", OrderedDict([
            ("type", "object"), ("minProperties", 1), ("maxProperties", 500),
            ("additionalProperties", ref("UnsavedEntity")),
            ("description", "The entities to create by node id `<entity_type>-UNSAVED-...`; entity types datastore, "
                            "dataset, event, subscription, workflow, action, trigger.")])),
        ("related_entity_data", OrderedDict([
            ("type", "object"), ("nullable", True),
            ("description", "Stored entities the new ones hang from, by node id `<entity_type>-PARENT-...` or "
                            "`<entity_type>-CHILD-...`: each `{entity_type, entity_id, relationship, edge}`, of which "
                            "`entity_id` (the stored id) is used."),
            ("additionalProperties", OrderedDict([
                ("type", "object"), ("required", ["entity_id"]),
                ("properties", OrderedDict([("entity_id", OrderedDict([("type", "string")]))])),
            ])),
        ])),
    ])),
])
RES["SubGraphSaveResult"] = results_of(OrderedDict([
    ("type", "object"), ("additionalProperties", OrderedDict([
        ("type", "object"), ("required", ["id", "version_id", "created", "updated", "data"]),
        ("description", "A created entity, as its type's GET answers it.")])),
    ("description", "The created entities by the node ids sent."),
]), "The created entities.")
OTHER["StepChange"] = OrderedDict([
    ("type", "object"), ("required", ["data"]),
    ("description", "With `id`: a stored step of this workflow to change (PUT semantics; a `version_id` other than "
                    "the stored one is a 409). Without: a new step (as `POST /workflow/{id}/action` takes it)."),
    ("properties", OrderedDict([
        ("id", OrderedDict([("type", "string"), ("nullable", True)])),
        ("version_id", OrderedDict([("type", "integer"), ("nullable", True)])),
        ("data", ref("ActionDataInput" if "ActionDataInput" in S else "ActionData")),
    ])),
])
OTHER["WorkflowStepsRequest"] = OrderedDict([
    ("type", "object"),
    ("properties", OrderedDict([
        ("workflow", OrderedDict([
            ("type", "object"), ("nullable", True), ("required", ["data"]),
            ("description", "The workflow's own fields (PUT semantics), checked against its `version_id`."),
            ("properties", OrderedDict([
                ("version_id", OrderedDict([("type", "integer"), ("nullable", True)])),
                ("data", OrderedDict([("type", "object"), ("additionalProperties", True)])),
            ])),
        ])),
        ("steps", OrderedDict([("type", "array"), ("nullable", True), ("items", ref("StepChange")),
                               ("description", "Steps to change or add.")])),
        ("deleted_steps", OrderedDict([
            ("type", "array"), ("nullable", True), ("description", "Steps to delete."),
            ("items", OrderedDict([
                ("type", "object"), ("required", ["id"]),
                ("properties", OrderedDict([
                    ("id", OrderedDict([("type", "string")])),
                    ("version_id", OrderedDict([("type", "integer"), ("nullable", True)])),
                ])),
            ])),
        ])),
    ])),
])
RES["WorkflowStepsResult"] = results_of(OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["workflow", "steps"]),
    ("properties", OrderedDict([
        ("workflow", ref("WorkflowEntity")),
        ("steps", OrderedDict([("type", "array"), ("items", ref("ActionEntity")),
                               ("description", "Every step of the workflow after the save, by `order_idx`.")])),
    ])),
]), "The workflow and all its steps after the save.")
OTHER["Health"] = OrderedDict([
    ("type", "object"), ("additionalProperties", True), ("required", ["status"]),
    ("properties", OrderedDict([
        ("status", OrderedDict([("type", "string"), ("enum", ["UP", "DOWN"])])),
        ("details", OrderedDict([("type", "object"), ("description", "Free-form details per checked component.")])),
    ])),
])

# backfill: the request's schema lives with the other request bodies; its answers are described here
OTHER["BackfillRequest"] = request_schema("backfill")
OTHER["BackfillRequest"]["example"] = OrderedDict([("start", "2026-11-01"), ("end", "2026-11-21T23:59:59Z"),
                                                   ("reprocess", "failed"), ("max_active_runs", 2)])
_ts = lambda d: OrderedDict([("type", "string"), ("format", "date-time"), ("description", d + " " + TS_DESC)])
_count = OrderedDict([("type", "integer"), ("minimum", 0)])
OTHER["Backfill"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False),
    ("required", ["id", "trigger_id", "state", "start", "end", "reprocess", "max_active_runs", "user_id", "created",
                  "updated", "progress"]),
    ("properties", OrderedDict([
        ("id", OrderedDict([("type", "string")])),
        ("trigger_id", OrderedDict([("type", "string")])),
        ("state", OrderedDict([("type", "string"), ("enum", ["RUNNING", "COMPLETED", "CANCELLED"]),
                               ("description", "RUNNING until every point is done, or CANCELLED.")])),
        ("start", _ts("The range's first instant.")),
        ("end", _ts("The range's last instant, included.")),
        ("reprocess", OrderedDict([("type", "string"), ("enum", ["none", "failed", "all"])])),
        ("max_active_runs", OrderedDict([("type", "integer"), ("minimum", 1)])),
        ("user_id", OrderedDict([("type", "string"), ("nullable", True)])),
        ("created", _ts("When it was asked for.")),
        ("updated", _ts("When its state last changed.")),
        ("progress", OrderedDict([
            ("type", "object"), ("additionalProperties", False),
            ("description", "How many of its runs (schedule points times the trigger's workflows) are in each state: "
                            "pending (not started yet), running (queued or running), completed, failed (its run "
                            "failed or was cancelled, or its workflow could not run), skipped (reprocess left it), "
                            "cancelled (pending when the backfill was cancelled)."),
            ("required", ["total", "pending", "running", "completed", "failed", "skipped", "cancelled"]),
            ("properties", OrderedDict([(k, _count) for k in
                                        ["total", "pending", "running", "completed", "failed", "skipped", "cancelled"]])),
        ])),
    ])),
])
OTHER["BackfillDryRun"] = OrderedDict([
    ("type", "object"), ("additionalProperties", False), ("required", ["trigger_id", "count", "points"]),
    ("description", "The schedule points a backfill of this range would run, oldest first; nothing was created."),
    ("properties", OrderedDict([
        ("trigger_id", OrderedDict([("type", "string")])),
        ("count", _count),
        ("points", OrderedDict([("type", "array"), ("items", OrderedDict([
            ("type", "object"), ("additionalProperties", False),
            ("required", ["data_interval_start", "data_interval_end"]),
            ("properties", OrderedDict([
                ("data_interval_start", _ts("The schedule point.")),
                ("data_interval_end", _ts("The schedule's next point.")),
            ])),
        ]))])),
    ])),
])
RES["BackfillResult"] = results_of(ref("Backfill"), "The backfill and its progress.")
RES["BackfillRequestResult"] = results_of(OrderedDict([("oneOf", [ref("Backfill"), ref("BackfillDryRun")])]),
                                          "The backfill created, or with `dry_run` its schedule points.")
OTHER.update(MULTI_SCHEMAS)
for group in (ENV, REQ, OTHER, RES):
    S.update(group)

# ------------------------------------------------------------------ parameters
P = OrderedDict()
P["Limit"] = OrderedDict([("name", "limit"), ("in", "query"), ("required", False),
    ("description", "Page size."), ("schema", OrderedDict([("type", "integer"), ("default", 20), ("minimum", 0), ("maximum", 10000)]))])
P["Offset"] = OrderedDict([("name", "offset"), ("in", "query"), ("required", False),
    ("description", "How many matching entities to skip. Past the end the page is empty: clients page until an empty page. "
                    "A deep offset walks every skipped entry of an index, except on unfiltered lists of actions "
                    "and runs in the `created` order (either way), which start at the day the offset falls in; "
                    "`after` never does."),
    ("schema", OrderedDict([("type", "integer"), ("default", 0), ("minimum", 0)]))])
P["Filters"] = OrderedDict([("name", "filters"), ("in", "query"), ("required", False),
    ("description", "A JSON array of `\"key op value\"` strings, ANDed. Keys are dotted paths into `data` (e.g. "
                    "`args.dataset_id`) or `id`, `created`, `updated`; operators `= != < <= > >= IN LIKE NOT_LIKE ~` "
                    "(`IN` takes `a,b,c`; `~` is a case-insensitive contains). A malformed value gives 400."),
    ("schema", OrderedDict([("type", "string")])),
    ("example", '["state = ACTIVE", "args.x IN a,b"]')])
P["OrderBy"] = OrderedDict([("name", "order_by"), ("in", "query"), ("required", False),
    ("description", "A JSON array of `\"key ASC|DESC\"` strings (keys as in `filters`; ASC when omitted)."),
    ("schema", OrderedDict([("type", "string")])),
    ("example", '["created DESC"]')])
P["After"] = OrderedDict([("name", "after"), ("in", "query"), ("required", False),
    ("description", "The `cursor` of the previous page: this page starts right after that page's last entity. Not "
                    "with `offset`; `order_by` must be the one the cursor was made with (400 otherwise). Paging "
                    "by `created` (ASC or DESC), alone or after a filter on a lookup column such as `state` or "
                    "`workflow_id`, starts from an index at any depth."),
    ("schema", OrderedDict([("type", "string")]))])
LIST_PARAMS = [ref("Limit", "parameters"), ref("Offset", "parameters"), ref("After", "parameters"),
               ref("Filters", "parameters"), ref("OrderBy", "parameters")]

def path_param(pname, desc):
    return OrderedDict([("name", pname), ("in", "path"), ("required", True), ("description", desc),
                        ("schema", OrderedDict([("type", "string")]))])

ID_PARAMS = OrderedDict([
    ("EngineId", "engine_id"), ("DatastoreId", "datastore_id"), ("ActionId", "action_id"), ("WorkflowId", "workflow_id"),
    ("WorkflowInstanceId", "workflow_instance_id"), ("DatasetId", "dataset_id"), ("SubscriptionId", "subscription_id"),
    ("TriggerId", "trigger_id"), ("EventId", "event_id"), ("SubgraphDefinitionId", "subgraph_definition_id"),
    ("ApiKeyId", "api_key_id"),
])
for cname, pname in ID_PARAMS.items():
    P[cname] = path_param(pname, "The %s's id." % pname[:-3].replace("_", " "))
for owner, pname, what in [("Action", "datastore_id", "datastore"), ("Action", "workflow_id", "workflow"),
                           ("Action", "workflow_instance_id", "workflow instance"), ("Workflow", "datastore_id", "datastore"),
                           ("Subscription", "dataset_id", "dataset"), ("WorkflowInstance", "workflow_id", "workflow")]:
    cname = owner + "Filter" + "".join(w.capitalize() for w in pname.split("_"))
    plural = {"Action": "actions", "Workflow": "workflows", "Subscription": "subscriptions",
              "WorkflowInstance": "instances"}[owner]
    P[cname] = OrderedDict([("name", pname), ("in", "query"), ("required", False),
        ("description", "Only the %s of this %s (a shorthand for an `=` filter)." % (plural, what)),
        ("schema", OrderedDict([("type", "string")]))])
P["ElementState"] = OrderedDict([("name", "state"), ("in", "query"), ("required", False),
    ("description", "Only the elements in this state."),
    ("schema", OrderedDict([("type", "string"), ("enum", ["UNCONSUMED", "RESERVED", "ASSIGNED", "CONSUMED"])]))])

# ------------------------------------------------------------------ responses
def err(desc):
    return OrderedDict([("description", desc), ("content", OrderedDict([("application/json", OrderedDict([("schema", ref("Error"))]))]))])

R = OrderedDict()
R["BadRequest"] = err("Invalid input: malformed JSON, a body that fails its schema or a rule, a bad `filters`/`order_by`/"
                      "`limit`, or a state that forbids the operation (e.g. checkout of an action that is not PENDING).")
R["Unauthorized"] = err("No credentials, or credentials that match no (unrevoked) API key.")
R["Unauthorized"]["headers"] = OrderedDict([("WWW-Authenticate", OrderedDict([
    ("description", "The accepted schemes, e.g. `Basic realm=\"dart\"`."), ("schema", OrderedDict([("type", "string")]))]))])
R["Forbidden"] = err("The key's role may not do this (e.g. a viewer writing, an engine key touching another engine's actions).")
R["NotFound"] = err("No entity with that id (or no such engine, action type or trigger type).")
R["MethodNotAllowed"] = err("The route exists but not with this method.")
R["Conflict"] = err("A stale `version_id`, a failed JSON Patch `test`, a duplicate unique name (engine, dataset), a "
                    "state that forbids the change (deleting an engine that still has datastores), or a concurrent "
                    "change that collided with this one (retry the request).")
R["PayloadTooLarge"] = err("The request body is too large.")
R["UnsupportedMediaType"] = err("The request body is not `application/json`.")
R["NotAcceptable"] = err("The `Accept` header excludes every type this route answers; send the route's type or `*/*`.")
R["InternalError"] = err("An unexpected server error.")
R["ServiceUnavailable"] = err("A service dart depends on cannot be reached or did not answer in time: the database "
                              "(down, restarting, or a read past `dart.db.read-timeout`), or S3 where the route reads "
                              "it. The same request may work later.")
R["ServiceUnavailable"]["headers"] = OrderedDict([("Retry-After", OrderedDict([
    ("description", "Seconds to wait before retrying."), ("schema", OrderedDict([("type", "integer")]))]))])
R["Ok"] = OrderedDict([("description", "Done."), ("content", OrderedDict([("application/json", OrderedDict([("schema", ref("OkResult"))]))]))])

def resp(schema_name, desc):
    return OrderedDict([("description", desc), ("content", OrderedDict([("application/json", OrderedDict([("schema", ref(schema_name))]))]))])

# ------------------------------------------------------------------ operations
ROLES_READ = "Roles: any (admin, editor, viewer, engine)."
ROLES_WRITE = "Roles: admin, editor."

def an(word):
    return ("an " if word[0] in "aeiou" else "a ") + word

def op(tag, opid, summary, desc, ok, body=None, body_required=True, params=None, path_ids=False,
       extra=(), conflict=False, patch=False, not_found=None):
    o = OrderedDict()
    o["tags"] = [tag]
    o["operationId"] = opid
    o["summary"] = summary
    o["description"] = desc
    if params:
        o["parameters"] = params
    if patch:
        o["requestBody"] = OrderedDict([("required", True), ("content", OrderedDict([
            ("application/json", OrderedDict([("schema", ref("JsonPatch"))])),
            ("application/json-patch+json", OrderedDict([("schema", ref("JsonPatch"))])),
        ]))])
    elif body:
        o["requestBody"] = OrderedDict([("required", body_required), ("content", OrderedDict([
            ("application/json", OrderedDict([("schema", ref(body))]))]))])
    rs = OrderedDict()
    rs["200"] = ok
    has_body = patch or body is not None
    codes = set(extra)
    codes.update(["401", "403", "406", "500", "503"])
    if has_body:
        codes.update(["400", "413", "415"])
    if path_ids if not_found is None else not_found:
        codes.add("404")
    if conflict:
        codes.add("409")
    names = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound", "409": "Conflict",
             "406": "NotAcceptable", "413": "PayloadTooLarge", "415": "UnsupportedMediaType",
             "500": "InternalError", "503": "ServiceUnavailable"}
    for c in sorted(codes):
        rs[c] = ref(names[c], "responses")
    o["responses"] = rs
    return o

PATHS = OrderedDict()

def crud(wire, camel, tag, create=True, list_extra=(), list_desc="", create_desc="", get_desc="", put_desc="",
         patch_desc="", delete_desc="", roles_write=ROLES_WRITE, roles_read=ROLES_READ, create_roles=None,
         create_body=None, put_roles=None, delete_roles=None, put=True, create_extra=(), has_put=True):
    coll = "/" + wire
    item = "/%s/{%s_id}" % (wire, wire)
    idp = ref(camel + "Id", "parameters")
    human = wire.replace("_", " ").replace("api key", "API key")
    ops = OrderedDict()
    if create:
        ops["post"] = op(tag, "create" + camel, "Create " + an(human),
                         (create_desc + " " if create_desc else "") + "Read-only fields in the body (`id`, `version_id`, "
                         "`created`, `updated`, server-owned data fields) are ignored. Answers the stored entity. "
                         + (create_roles or roles_write),
                         resp(camel + "Result", "The created %s." % human), body=create_body or (camel + "Request"),
                         conflict=True, extra=create_extra)
    ops["get"] = op(tag, "list" + camel + "s", "List %ss" % human,
                    (list_desc + " " if list_desc else "") + "Paged and filtered; see `filters`. " + roles_read,
                    resp(camel + "List", "A page of %ss." % human), params=LIST_PARAMS + list(list_extra), extra=["400"])
    PATHS[coll] = ops
    iops = OrderedDict()
    iops["parameters"] = [idp]
    iops["get"] = op(tag, "get" + camel, "Get " + an(human), (get_desc + " " if get_desc else "") + roles_read,
                     resp(camel + "Result", "The %s." % human), path_ids=True)
    if has_put:
        iops["put"] = op(tag, "update" + camel, "Replace the editable fields of " + an(human),
                         (put_desc + " " if put_desc else "") +
                         "PUT ignores read-only fields in the body (they are kept, not rejected), re-validates the "
                         "whole document and answers the stored entity. A `version_id` that is present and stale gives "
                         "409. " + (put_roles or roles_write),
                         resp(camel + "Result", "The updated %s." % human), body=camel + "Request", path_ids=True,
                         conflict=True)
        iops["patch"] = op(tag, "patch" + camel, "Patch " + an(human),
                           (patch_desc + " " if patch_desc else "") +
                           "Applies an RFC 6902 JSON Patch to the envelope as the API shows it (e.g. "
                           "`[{\"op\": \"replace\", \"path\": \"/data/tags\", \"value\": [\"nightly\"]}]`), then the PUT "
                           "rules. " + (put_roles or roles_write),
                           resp(camel + "Result", "The updated %s." % human), patch=True, path_ids=True, conflict=True)
    iops["delete"] = op(tag, "delete" + camel, "Delete " + an(human),
                        (delete_desc + " " if delete_desc else "") + (delete_roles or roles_write),
                        R["Ok"] if False else ref("Ok", "responses"), path_ids=True, conflict=True)
    PATHS[item] = iops

# engine
ENGINE_ROLES_W = ("Roles: admin; engine (only its own engine: `data.name` must be the key's `engine_name`, "
                  "else 403). Editors and viewers may not register engines.")
crud("engine", "Engine", "engine",
     create_desc="Registers an engine: `name` (unique, 409 on a duplicate), `options_json_schema` (the schema of its "
                 "datastores' `args`) and `supported_action_types` (each with the `params_json_schema` of its actions' "
                 "`args`); every schema given must be a valid JSON Schema (400 otherwise). Engines usually look "
                 "themselves up by name (`filters=[\"name = my_engine\"]`) and PUT to re-register.",
     create_roles=ENGINE_ROLES_W, put_roles=ENGINE_ROLES_W,
     list_desc="Lists engine registrations.",
     put_desc="Re-registers an engine. Only an admin key may set or change `launcher`, `ecs_task_definition_arn` or "
              "`ecs_task_definition` (403 for an engine key, which may leave them out or send them as stored); "
              "renaming an engine that datastores, actions or workflows name is a 409.",
     delete_desc="Deletes an engine registration and its subgraph definitions; 409 while datastores of the engine exist.",
     delete_roles="Roles: admin; engine (its own engine).")

PATHS["/engine/action/{action_id}/checkout"] = OrderedDict([
    ("parameters", [ref("ActionId", "parameters")]),
    ("put", op("engine", "checkoutAction", "Check out an action",
               "Called by the engine launched for the action (environment variable `DART_ACTION_ID`). The action must be "
               "PENDING (400 otherwise); it becomes RUNNING with `start_time` and `heartbeat_time` set, and the first "
               "action of a workflow instance moves the instance to RUNNING. Answers the engine, the action and its "
               "datastore, secrets in clear, and the run's `parameters` when the action's workflow instance has any. "
               "From then on the engine sends a heartbeat (PUT /engine/action/{action_id}/heartbeat) about every 10 s "
               "until it checks in. Needs no request body (one sent is ignored). Roles: admin; engine (only actions of "
               "its own engine, else 403).",
               resp("CheckoutResult", "The checked-out action, its engine and its datastore."),
               body="IgnoredBody", body_required=False, path_ids=True, extra=["400", "409"])),
])
PATHS["/engine/action/{action_id}/checkin"] = OrderedDict([
    ("parameters", [ref("ActionId", "parameters")]),
    ("put", op("engine", "checkinAction", "Check in an action",
               "Reports the outcome of a checked-out action. The action must be RUNNING (400 otherwise, e.g. when its "
               "run was cancelled or it was declared lost meanwhile). The outcome is applied at once, in this request: "
               "SUCCESS makes it COMPLETED; FAILURE makes it QUEUED again when it has retries left (`attempt` < "
               "`retries`; it waits until `not_before`, `retry_delay_seconds` doubled per attempt), else FAILED. A "
               "workflow instance moves on in the same request (the next steps are queued, or the run ends with its "
               "failure policy); e-mails and callbacks follow. The action no longer stays FINISHING. With `poll`, the "
               "answer also carries the engine's next action as `next`. Roles: admin; engine (only actions of its "
               "own engine). With the work package's `attempt` in the body, the outcome is refused with 409 once the "
               "action was counted lost and handed out again (it is another attempt's to end).",
               resp("CheckinResult", "Checked in; with `next` when `poll` was asked."), body="CheckinRequest",
               path_ids=True, extra=["409"])),
])
PATHS["/engine/action/{action_id}/heartbeat"] = OrderedDict([
    ("parameters", [ref("ActionId", "parameters")]),
    ("put", op("engine", "heartbeatAction", "Report that an action is still being worked on",
               "The engine working on a RUNNING action sends this about every 10 s, from checkout (or poll) until "
               "checkin; it sets the action's `heartbeat_time`. A RUNNING action without a heartbeat for "
               "`dart.execution.heartbeat-timeout` (30 s by default) is treated as lost and queued again. 400 when "
               "the action is not RUNNING (the engine should stop working on it). The body is optional: with the work "
               "package's `attempt`, the heartbeat is refused with 409 once that attempt was counted lost and the "
               "action handed out again (the engine should stop without checking it in). Roles: admin; engine (only "
               "actions of its own engine, else 403).",
               ref("Ok", "responses"), body="HeartbeatRequest", body_required=False, path_ids=True,
               extra=["400", "409"])),
])
_poll = op("engine", "pollAction", "Wait for the next action of an engine (long poll)",
           "Pull mode, for engines that run long-lived workers instead of being launched per action (no `launcher`). "
           "Takes the oldest QUEUED action of the engine that may run now (its `not_before` has passed and its "
           "datastore is ACTIVE with room under its `concurrency`) and checks it out in the same step: it comes back "
           "already RUNNING, with `start_time` and `heartbeat_time` set, exactly as a checkout answers it (no "
           "separate checkout call). When none is runnable, the request is held open and answered the moment one is "
           "queued, or with 204 and no body after `wait_seconds` (default 20, at most 50); the worker then polls "
           "again. The engine then sends heartbeats and checks the action in as after a checkout. The body is "
           "optional. Roles: admin; engine (only its own engine: `engine_name` must be the key's, else 403).",
           resp("CheckoutResult", "The action, already checked out (RUNNING), with its engine, its datastore and "
                                  "the run's parameters."),
           body="PollRequest", body_required=False, path_ids=True, not_found=False, extra=["409"])
_poll_rs = OrderedDict()
for _code, _r in _poll["responses"].items():
    _poll_rs[_code] = _r
    if _code == "200":
        _poll_rs["204"] = OrderedDict([("description", "No action became runnable within `wait_seconds`; no body. "
                                                       "Poll again.")])
_poll["responses"] = _poll_rs
PATHS["/engine/{engine_name}/action/poll"] = OrderedDict([
    ("parameters", [path_param("engine_name", "The engine's name (`data.name` of its registration).")]),
    ("post", _poll),
])
PATHS["/engine/{engine_name}/action/checkins"] = OrderedDict([
    ("parameters", [path_param("engine_name", "The engine's name (`data.name` of its registration).")]),
    ("post", op("engine", "checkinActions", "Check in several actions and take the next ones (pull mode, batched)",
                "For pull-mode workers that take several short actions at a time. In one request and one transaction, "
                "applies each outcome in `checkins` exactly as PUT /engine/action/{action_id}/checkin would, then "
                "takes up to `max` runnable actions of the engine, oldest first, exactly as the poll does (already "
                "RUNNING, datastore concurrency respected). An outcome that cannot be applied (no such action, not "
                "RUNNING, another engine's) is refused alone in `results`; the others are applied. When `max` > 0 and "
                "no action is runnable, the request is held up to `wait_seconds` and answered the moment one is "
                "queued. With no outcomes it is a poll for up to `max` actions. Each action taken is then the "
                "engine's as after a checkout: heartbeats until it is checked in (here or by the single check-in). "
                "Roles: admin; engine (only its own engine: `engine_name` must be the key's, else 403).",
                resp("BatchCheckinResult", "One result per outcome, and the actions taken."),
                body="BatchCheckinRequest", path_ids=True, not_found=False, extra=["409"])),
])
PATHS["/engine/{engine_id}/subgraph_definition"] = OrderedDict([
    ("parameters", [ref("EngineId", "parameters")]),
    ("post", op("subgraph_definition", "createSubgraphDefinition", "Create a subgraph definition of an engine",
                "Adds a graph template the engine offers the UI; `engine_name` is set from the engine. "
                "Roles: admin, editor.",
                resp("SubgraphDefinitionResult", "The created subgraph definition."), body="SubgraphDefinitionRequest",
                path_ids=True, conflict=True)),
    ("get", op("subgraph_definition", "listEngineSubgraphDefinitions", "List an engine's subgraph definitions",
               "Paged like other lists. " + ROLES_READ,
               resp("SubgraphDefinitionList", "A page of subgraph definitions."), params=LIST_PARAMS, path_ids=True,
               extra=["400"])),
])
PATHS["/subgraph_definition/{subgraph_definition_id}"] = OrderedDict([
    ("parameters", [ref("SubgraphDefinitionId", "parameters")]),
    ("get", op("subgraph_definition", "getSubgraphDefinition", "Get a subgraph definition",
               ROLES_READ, resp("SubgraphDefinitionResult", "The subgraph definition."),
               path_ids=True)),
    ("delete", op("subgraph_definition", "deleteSubgraphDefinition", "Delete a subgraph definition",
                  "Roles: admin, editor.", ref("Ok", "responses"), path_ids=True, conflict=True)),
])

# datastore
crud("datastore", "Datastore", "datastore",
     create_desc="Creates a datastore of an existing engine (`engine_name`; 400 if unknown). `args` is validated against "
                 "the engine's `options_json_schema` with its defaults applied; secret properties (`x-dart-secret`) are "
                 "stored encrypted. The server places `s3_artifacts_path` and `s3_logs_path`. Names need not be unique.",
     put_desc="Editable: name, host, port, connection_url, state, concurrency, args, extra_data, tags; `engine_name` and "
              "the S3 paths are kept. A secret sent back as `********` keeps the stored value.",
     delete_desc="Deleting a datastore deletes its ad-hoc actions (a workflow's TEMPLATE steps stay). A TEMPLATE "
                 "datastore can be deleted after its per-run clones.")
PATHS["/datastore/{datastore_id}/action"] = OrderedDict([
    ("parameters", [ref("DatastoreId", "parameters")]),
    ("post", op("datastore", "createDatastoreActions", "Create ad-hoc actions on a datastore",
                "Body: one action request or a non-empty array of them. Each action gets `state` HAS_NEVER_RUN, the "
                "datastore's id and `engine_name`; its `args` are validated against the action type's "
                "`params_json_schema` (400 for an unknown action type); a `state` in the body is ignored. All are created "
                "or none. The platform then queues them itself, as the original did: on an ACTIVE datastore one "
                "ad-hoc action at a time, lowest `order_idx` first (then oldest), beside whatever workflow steps run "
                "there; on a datastore that is not ACTIVE they wait, and it becoming ACTIVE starts them. Setting "
                "`state` QUEUED by PUT or PATCH still runs one (again). Answers a list, even for one action, each "
                "as it is after the request (the first may already be QUEUED). " + ROLES_WRITE,
                resp("ActionListResult", "The created actions, in order."), body="ActionRequestOneOrMany",
                path_ids=True, conflict=True)),
])
PATHS["/datastore/{datastore_id}/workflow"] = OrderedDict([
    ("parameters", [ref("DatastoreId", "parameters")]),
    ("post", op("datastore", "createDatastoreWorkflow", "Create a workflow on a datastore",
                "`datastore_id` and `engine_name` come from the datastore; `concurrency` is forced to 1 when the "
                "datastore is ACTIVE. " + ROLES_WRITE,
                resp("WorkflowResult", "The created workflow."), body="WorkflowRequest", path_ids=True, conflict=True)),
])

# action
crud("action", "Action", "action", create=False,
     list_extra=[ref("ActionFilterDatastoreId", "parameters"), ref("ActionFilterWorkflowId", "parameters"),
                 ref("ActionFilterWorkflowInstanceId", "parameters")],
     list_desc="Lists actions; `datastore_id`, `workflow_id` and `workflow_instance_id` are shorthands for filters. "
               "Actions are created under a datastore or a workflow, never here.",
     roles_read="Roles: any (admin, editor, viewer, engine); an engine key sees only the actions of its own engine.",
     put_desc="Editable: name, args, state, progress, extra_data, on_failure, the e-mail lists, order_idx, tags. Clients "
              "may only queue an action (HAS_NEVER_RUN, COMPLETED, FAILED or SKIPPED -> QUEUED) or take a queued one back "
              "(QUEUED -> HAS_NEVER_RUN); other state changes give 400.",
     patch_desc="Engines PATCH `progress` and `extra_data` while they work.",
     put_roles="Roles: admin, editor; engine (only actions of its own engine).",
     delete_desc="Deletes one action.")
PATHS["/action/{action_id}/subscription/elements"] = OrderedDict([
    ("parameters", [ref("ActionId", "parameters")]),
    ("get", op("action", "listActionSubscriptionElements", "List the subscription elements of an action",
               "The elements assigned to a consume_subscription action, paged. "
               "Roles: any (admin, editor, viewer, engine); an engine key only for actions of its own engine.",
               resp("SubscriptionElementList", "A page of subscription elements."), params=LIST_PARAMS,
               path_ids=True, extra=["400"])),
])
PATHS["/action/{action_id}/logs"] = OrderedDict([
    ("parameters", [ref("ActionId", "parameters")]),
    ("get", op("action", "listActionLogs", "List an action's output",
               "What the action's engine task wrote to stdout and stderr, line by line, oldest first; paged with "
               "`limit` and `offset` (no `filters` or `order_by`). `total` counts all the lines of the action. "
               "Roles: any (admin, editor, viewer, engine); an engine key only for actions of its own engine (403 "
               "otherwise).",
               resp("ActionLogList", "A page of output lines."),
               params=[ref("Limit", "parameters"), ref("Offset", "parameters")], path_ids=True, extra=["400"])),
])

# workflow
crud("workflow", "Workflow", "workflow",
     create_body="WorkflowCreateRequest",
     create_desc="Creates a workflow; `data.datastore_id` is required and must name an existing datastore (400 "
                 "otherwise; or use POST /datastore/{datastore_id}/workflow). `engine_name` comes from the datastore and "
                 "`concurrency` is forced to 1 when the datastore is ACTIVE.",
     put_desc="Editable: name, state, concurrency, on_failure, on_failure_email, on_success_email, on_started_email, "
              "retries_on_failure, tags.",
     list_extra=[ref("WorkflowFilterDatastoreId", "parameters")],
     delete_desc="Deleting a workflow deletes its TEMPLATE actions, its instances and their actions.")
PATHS["/workflow/{workflow_id}/action"] = OrderedDict([
    ("parameters", [ref("WorkflowId", "parameters")]),
    ("post", op("workflow", "createWorkflowActions", "Create a workflow's steps",
                "Body: one action request or a non-empty array of them. They become the workflow's TEMPLATE actions "
                "(`datastore_id` null, `engine_name` from the workflow), after any it already has; a missing "
                "`order_idx` continues the sequence. Each run copies them in `order_idx` order. Answers a list, even "
                "for one action. " + ROLES_WRITE,
                resp("ActionListResult", "The created actions, in order."), body="ActionRequestOneOrMany",
                path_ids=True, conflict=True)),
])
PATHS["/workflow/{workflow_id}/steps"] = OrderedDict([
    ("parameters", [ref("WorkflowId", "parameters")]),
    ("put", op("workflow", "saveWorkflowSteps", "Save a workflow and its steps together",
               "What a workflow editor saves, in one request and one transaction: the workflow's own fields, steps "
               "changed, steps added and steps deleted. Every change of a stored entity carries the `version_id` "
               "the editor loaded, so a save over someone else's change is a 409 and writes nothing; a concurrent "
               "save of the same workflow waits for this one. Steps refer to each other in `depends_on` by name, so "
               "new steps need no placeholder ids, and after the changes the steps' `depends_on` must name steps of "
               "the workflow without a cycle (else 400). One route for the whole edit, rather than a general "
               "multi-entity save, keeps the rules of a workflow's steps (TEMPLATE state, its engine, order) where "
               "they already are and limits an edit to one workflow. Answers the workflow and all its steps. "
               + ROLES_WRITE,
               resp("WorkflowStepsResult", "The workflow and its steps after the save."), body="WorkflowStepsRequest",
               path_ids=True, conflict=True)),
])
PATHS["/workflow/{workflow_id}/do-manual-trigger"] = OrderedDict([
    ("parameters", [ref("WorkflowId", "parameters")]),
    ("post", op("workflow", "triggerWorkflowManually", "Run a workflow now",
                "Queues one run of the workflow (a manual trigger): a new workflow instance with `trigger_type` "
                "`manual`. 400 unless the workflow is ACTIVE and has fewer running instances than its `concurrency`, "
                "and 400 for a bad body (not a JSON object, `parameters` not an object, `callback_url` not an http(s) "
                "URL). The body is optional: `parameters` are handed to every action of the run at checkout, and "
                "`callback_url` receives a JSON POST when the run ends. Answers `{\"results\": \"OK\", "
                "\"workflow_instance_id\": ...}`: `results` as the original answered, and the new run's id. "
                + ROLES_WRITE,
                resp("ManualTriggerResult", "The run was queued."), body="ManualTriggerRequest", body_required=False, path_ids=True,
                extra=["409"])),
])
PATHS["/workflow/{workflow_id}/instance"] = OrderedDict([
    ("parameters", [ref("WorkflowId", "parameters")]),
    ("delete", op("workflow_instance", "deleteWorkflowInstancesOfWorkflow", "Delete all of a workflow's instances",
                  "Deletes every run of the workflow with their actions, in one transaction; the workflow stays. 409 "
                  "(nothing deleted) while any of them is QUEUED or RUNNING: cancel it first. Cloned datastores "
                  "are not deleted: clients delete them themselves, before or after. " + ROLES_WRITE,
                  ref("Ok", "responses"), path_ids=True, conflict=True)),
    ("get", op("workflow_instance", "listWorkflowInstancesOfWorkflow", "List a workflow's instances",
               "The runs of one workflow, paged. " + ROLES_READ,
               resp("WorkflowInstanceList", "A page of workflow instances."), params=LIST_PARAMS, path_ids=True,
               extra=["400"])),
])
PATHS["/workflow/instance"] = OrderedDict([
    ("get", op("workflow_instance", "listWorkflowInstances", "List workflow instances",
               "All workflow runs, paged and filtered. " + ROLES_READ,
               resp("WorkflowInstanceList", "A page of workflow instances."),
               params=LIST_PARAMS + [ref("WorkflowInstanceFilterWorkflowId", "parameters")], extra=["400"])),
])
PATHS["/workflow/instance/{workflow_instance_id}"] = OrderedDict([
    ("parameters", [ref("WorkflowInstanceId", "parameters")]),
    ("get", op("workflow_instance", "getWorkflowInstance", "Get a workflow instance", ROLES_READ,
               resp("WorkflowInstanceResult", "The workflow instance."), path_ids=True)),
    ("delete", op("workflow_instance", "deleteWorkflowInstance", "Delete a workflow instance",
                  "Deletes the instance and its actions. 409 while it is QUEUED or RUNNING: cancel it first. Its "
                  "cloned datastore is not deleted: clients delete it themselves, before or after. " + ROLES_WRITE,
                  ref("Ok", "responses"), path_ids=True,
                  conflict=True)),
])
PATHS["/workflow/instance/{workflow_instance_id}/cancel"] = OrderedDict([
    ("parameters", [ref("WorkflowInstanceId", "parameters")]),
    ("post", op("workflow_instance", "cancelWorkflowInstance", "Cancel a workflow run",
                "Stops a QUEUED or RUNNING run (409 in any other state): it becomes CANCELLED with `end_time` set; its "
                "steps that have not started are SKIPPED, and RUNNING ones become FAILED with `error_message` "
                "`cancelled` (their engine's later heartbeat or checkin gets 400). No request body. " + ROLES_WRITE,
                resp("WorkflowInstanceResult", "The cancelled workflow instance."), path_ids=True, conflict=True)),
])
PATHS["/workflow/instance/{workflow_instance_id}/resume"] = OrderedDict([
    ("parameters", [ref("WorkflowInstanceId", "parameters")]),
    ("post", op("workflow_instance", "resumeWorkflowInstance", "Resume a failed workflow run",
                "Runs a FAILED run again from where it failed (409 in any other state), as the same instance: its "
                "FAILED and SKIPPED steps go back to HAS_NEVER_RUN (`attempt` 0) and run again as their dependencies "
                "allow; COMPLETED steps are not re-run. The instance becomes RUNNING again, `end_time` and "
                "`error_message` cleared. No request body. " + ROLES_WRITE,
                resp("WorkflowInstanceResult", "The resumed workflow instance."), path_ids=True, conflict=True)),
])

# trigger
crud("trigger", "Trigger", "trigger",
     create_desc="Creates a trigger of a user-creatable type (see GET /trigger_type; manual and retry are not): "
                 "`args` is validated against the type's `params_json_schema` and checks (e.g. the cron pattern "
                 "parses, referenced entities exist); every id in `workflow_ids` must be a workflow (400 otherwise).",
     put_desc="Editable: name, workflow_ids, args, state, extra_data, tags; `trigger_type_name` is kept.",
     delete_desc="Deletes a trigger.")
P["BackfillId"] = path_param("backfill_id", "The backfill's id.")
PATHS["/trigger/{trigger_id}/backfill"] = OrderedDict([
    ("parameters", [ref("TriggerId", "parameters")]),
    ("post", op("trigger", "backfillTrigger", "Backfill a scheduled trigger",
                "Runs the trigger's workflows once for each schedule point from `start` to `end` (both included), "
                "each run with that point's data interval (the point and the schedule's next point), which its "
                "templates see. The trigger workers start the runs progressively, oldest first, at most "
                "`max_active_runs` queued or running at once (they do not count against the workflow's "
                "`concurrency`, and the trigger's own schedule fires first). A workflow never has two queued or "
                "running runs of one point: a point whose run is active waits for it. `reprocess`: none runs only "
                "points without any run, failed also those whose latest run failed, all every point. `dry_run` "
                "answers the points and creates nothing. 400 for a trigger that is not scheduled, `end` before "
                "`start` or in the future, or more than 10000 runs (points times workflows). " + ROLES_WRITE,
                resp("BackfillRequestResult", "The backfill, or its points for a dry run."), body="BackfillRequest",
                path_ids=True)),
])
PATHS["/backfill/{backfill_id}"] = OrderedDict([
    ("parameters", [ref("BackfillId", "parameters")]),
    ("get", op("trigger", "getBackfill", "Get a backfill's progress",
               "The backfill with how many of its runs are pending, running, completed, failed, skipped or "
               "cancelled. " + ROLES_READ, resp("BackfillResult", "The backfill."), path_ids=True)),
])
PATHS["/backfill/{backfill_id}/cancel"] = OrderedDict([
    ("parameters", [ref("BackfillId", "parameters")]),
    ("post", op("trigger", "cancelBackfill", "Cancel a backfill",
                "Starts no further run: the pending points become cancelled. Runs already started go on (cancel them "
                "as any run). 409 unless the backfill is RUNNING. No request body. " + ROLES_WRITE,
                resp("BackfillResult", "The cancelled backfill."), path_ids=True, conflict=True)),
])
PATHS["/trigger_type"] = OrderedDict([
    ("get", op("trigger", "listTriggerTypes", "List trigger types",
               "The trigger types users may create triggers of, with the JSON Schema of their `args`. "
               "Not paged. " + ROLES_READ, resp("TriggerTypeList", "The trigger types."))),
])

# dataset
crud("dataset", "Dataset", "dataset",
     create_desc="Creates a dataset; `name` is unique (409 on a duplicate).",
     put_desc="Every descriptive field is editable.",
     delete_desc="Deleting a dataset deletes its subscriptions and their elements.")
PATHS["/dataset/{dataset_id}/subscription"] = OrderedDict([
    ("parameters", [ref("DatasetId", "parameters")]),
    ("post", op("dataset", "createDatasetSubscription", "Create a subscription on a dataset",
                "`dataset_id` comes from the route. A new subscription is always `QUEUED`, whatever `state` the body "
                "carries (the original's clients always send their model's default, `INACTIVE`; PUT `INACTIVE` "
                "afterwards to pause one): a "
                "subscription worker lists the dataset's location between the prefixes, filtered by the regex, and "
                "makes it `ACTIVE` (or `FAILED` with `error_message`). The prefixes must be `s3://` paths under the "
                "dataset's location and the regex must compile, else 400. " + ROLES_WRITE,
                resp("SubscriptionResult", "The created subscription."), body="SubscriptionRequest", path_ids=True,
                conflict=True)),
])
S["DatasetGuess"] = OrderedDict([
    ("type", "object"), ("required", ["id", "version_id", "created", "updated", "data"]),
    ("additionalProperties", False),
    ("description", "An unsaved dataset entity, as the original answered a guess: the envelope fields are null."),
    ("properties", OrderedDict([("id", OrderedDict([("type", "null")])), ("version_id", OrderedDict([("type", "null")])),
                                ("created", OrderedDict([("type", "null")])), ("updated", OrderedDict([("type", "null")])),
                                ("data", ref("DatasetData"))]))])
S["DatasetGuessResult"] = results_of(ref("DatasetGuess"),
    "A dataset guessed from a sample (not saved): `{\"results\": {\"id\": null, ..., \"data\": DatasetData}}`, "
    "defaults applied; review `results.data` and send it as `{\"data\": ...}` to POST /dataset.")
S["FrictionlessPrimaryKey"] = OrderedDict([
    ("description", "One field name, or a list of them (the export always writes a list)."),
    ("anyOf", [OrderedDict([("type", "string")]), OrderedDict([("type", "array"), ("items", OrderedDict([("type", "string")]))])]),
])
S["FrictionlessField"] = OrderedDict([
    ("type", "object"), ("additionalProperties", True), ("required", ["name"]),
    ("description", "A Table Schema field. dart types map to `string` (STRING; VARCHAR with `constraints.maxLength` = "
                    "length), `integer` (BIGINT; INT and SMALLINT with their range as `constraints.minimum`/`maximum`), "
                    "`number` (DOUBLE, FLOAT, NUMERIC), `boolean`, `date`, `datetime` (DATETIME, TIMESTAMP), and back; "
                    "on import other Table Schema types become STRING. `constraints.required` is the opposite of "
                    "`is_nullable`; `format` of a date or datetime carries `date_pattern` unchanged."),
    ("properties", OrderedDict([
        ("name", OrderedDict([("type", "string"), ("minLength", 1)])),
        ("type", OrderedDict([("type", "string"), ("default", "string"),
                              ("enum", ["string", "number", "integer", "boolean", "object", "array", "list", "date",
                                        "time", "datetime", "year", "yearmonth", "duration", "geopoint", "geojson",
                                        "any"])])),
        ("format", OrderedDict([("type", "string")])),
        ("description", OrderedDict([("type", "string")])),
        ("constraints", OrderedDict([("type", "object"), ("additionalProperties", True), ("properties", OrderedDict([
            ("required", OrderedDict([("type", "boolean")])),
            ("maxLength", OrderedDict([("type", "integer"), ("minimum", 1)])),
            ("minimum", OrderedDict([("type", "number")])),
            ("maximum", OrderedDict([("type", "number")])),
        ]))])),
    ])),
])
S["FrictionlessTableSchema"] = OrderedDict([
    ("type", "object"), ("additionalProperties", True), ("required", ["fields"]),
    ("description", "A Table Schema: the dataset's columns (partitions are not in the files, so not here)."),
    ("properties", OrderedDict([
        ("fields", OrderedDict([("type", "array"), ("minItems", 1), ("items", ref("FrictionlessField"))])),
        ("primaryKey", ref("FrictionlessPrimaryKey")),
        ("missingValues", OrderedDict([("type", "array"), ("items", OrderedDict([("type", "string")])),
                                       ("description", "The texts that stand for null: `[null_string]`, or `[\"\"]` "
                                                       "when the dataset has none. On import the first non-empty one "
                                                       "becomes `null_string`.")])),
    ])),
])
S["FrictionlessDialect"] = OrderedDict([
    ("type", "object"), ("additionalProperties", True),
    ("description", "A Table Dialect, for csv and tsv resources: `delimiter` = delimited_by (default `,`, or a tab for "
                    "tsv), `header` = num_header_rows > 0 (default true; `headerRows` [1..n] when n > 1), `quoteChar` = "
                    "quoted_by (default `\"`), `escapeChar` = escaped_by."),
    ("properties", OrderedDict([
        ("delimiter", OrderedDict([("type", "string"), ("minLength", 1), ("maxLength", 1)])),
        ("header", OrderedDict([("type", "boolean")])),
        ("headerRows", OrderedDict([("type", "array"), ("items", OrderedDict([("type", "integer"), ("minimum", 1)]))])),
        ("quoteChar", OrderedDict([("type", "string"), ("minLength", 1), ("maxLength", 1)])),
        ("escapeChar", OrderedDict([("type", "string"), ("minLength", 1), ("maxLength", 1)])),
        ("nullSequence", OrderedDict([("type", "string"), ("description", "Read on import when `missingValues` has no "
                                                                          "non-empty value.")])),
    ])),
])
S["FrictionlessResource"] = OrderedDict([
    ("type", "object"), ("additionalProperties", True),
    ("description", "A tabular Data Resource: `path` is the dataset's location; `format` csv, tsv, jsonl or parquet "
                    "(export also writes txt for REGEX rows and rcfile); `compression` gz, bz2 or snappy. On import "
                    "a missing `format` is taken from `mediatype`, then from the path's extension, else csv; a "
                    "missing `compression` from the path's extension."),
    ("properties", OrderedDict([
        ("name", OrderedDict([("type", "string")])),
        ("path", OrderedDict([("type", "string"), ("description", "An s3:// URL: the dataset's location.")])),
        ("format", OrderedDict([("type", "string")])),
        ("mediatype", OrderedDict([("type", "string")])),
        ("encoding", OrderedDict([("type", "string")])),
        ("compression", OrderedDict([("type", "string")])),
        ("description", OrderedDict([("type", "string")])),
        ("dialect", ref("FrictionlessDialect")),
        ("schema", ref("FrictionlessTableSchema")),
    ])),
])
S["FrictionlessPackage"] = OrderedDict([
    ("type", "object"), ("additionalProperties", True), ("required", ["resources"]),
    ("description", "A Frictionless Data Package holding one tabular data resource: one dataset."),
    ("properties", OrderedDict([
        ("name", OrderedDict([("type", "string"), ("pattern", "^[a-z0-9._-]+$")])),
        ("description", OrderedDict([("type", "string")])),
        ("resources", OrderedDict([("type", "array"), ("minItems", 1), ("maxItems", 1),
                                   ("items", ref("FrictionlessResource"))])),
    ])),
])
S["FrictionlessPackageResult"] = results_of(ref("FrictionlessPackage"),
                                            "The dataset as a data package: `{\"results\": FrictionlessPackage}`.")
P["GuessS3Path"] = OrderedDict([("name", "s3_path"), ("in", "query"), ("required", True),
    ("description", "The object to sample, `s3://bucket/key` (one object, not a folder)."),
    ("schema", OrderedDict([("type", "string"), ("pattern", "^s3://.+/.+$")])),
    ("example", "s3://my-bucket/exports/2026/orders.csv.gz")])
P["GuessMaxLines"] = OrderedDict([("name", "max_lines"), ("in", "query"), ("required", False),
    ("description", "How many lines of the object to read, header included."),
    ("schema", OrderedDict([("type", "integer"), ("minimum", 1), ("maximum", 10000), ("default", 100)]))])
P["ImportName"] = OrderedDict([("name", "name"), ("in", "query"), ("required", False),
    ("description", "The dataset's name, in place of the resource's `name`."),
    ("schema", OrderedDict([("type", "string")]))])
P["ImportLocation"] = OrderedDict([("name", "location"), ("in", "query"), ("required", False),
    ("description", "The dataset's location (`s3://bucket/prefix`), in place of the resource's `path`."),
    ("schema", OrderedDict([("type", "string")]))])
_guess = op("dataset", "guessDataset", "Guess a dataset from a file in S3",
            "Reads the first `max_lines` lines of one object (a ranged read of at most 8 MiB, 16 MiB once "
            "decompressed; gunzipped when the key ends in .gz or .gzip or the bytes are gzip) and answers a dataset "
            "document, not saved: JSON lines (TEXTFILE + JSON, nested objects flattened into columns with a `path`) or "
            "delimited text (TEXTFILE + DELIMITED: comma, tab, pipe or semicolon; a header row or `col_1`...); column "
            "names sanitised to `[a-z0-9_]` and made unique; types BIGINT, NUMERIC, DOUBLE, BOOLEAN, DATE, TIMESTAMP or "
            "VARCHAR with room for twice the longest value; `is_nullable` from empty, missing or null values; `name` "
            "and `table_name` from the file name, `location` the object's folder, `compression` GZIP or NONE. 400 for "
            "a bad `s3_path` or `max_lines`, or a sample that is not line-based UTF-8 text (Parquet, binary, empty); "
            "404 when the bucket or the object does not exist (or dart may not read it); 503 when S3 cannot be reached. "
            + ROLES_READ,
            resp("DatasetGuessResult", "The guessed dataset document."),
            params=[ref("GuessS3Path", "parameters"), ref("GuessMaxLines", "parameters")], extra=["400", "404"])
_guess["responses"]["503"] = ref("ServiceUnavailable", "responses")
PATHS["/dataset/guess"] = OrderedDict([("get", _guess)])
PATHS["/dataset/{dataset_id}/frictionless"] = OrderedDict([
    ("parameters", [ref("DatasetId", "parameters")]),
    ("get", op("dataset", "exportDatasetFrictionless", "Export a dataset as a Frictionless Data Package",
               "A data package with one resource: `path` the location, `format`, `mediatype`, `compression`, the "
               "Table Dialect of delimited text, and a Table Schema of the columns with `primaryKey` (when every key "
               "is a column) and `missingValues`. Load type, merge, sort and distribution keys, partitions and JSON "
               "paths have no Frictionless form and are left out. " + ROLES_READ,
               resp("FrictionlessPackageResult", "The data package."), path_ids=True)),
])
PATHS["/dataset/frictionless"] = OrderedDict([
    ("post", op("dataset", "importDatasetFrictionless", "Create a dataset from a Frictionless Data Package",
                "Body: a data package descriptor holding exactly one resource, with an inline Table Schema (and "
                "dialect; neither is fetched from a path or URL). The dataset takes the resource's `name` (else the "
                "package's) and `path` (an s3:// URL), unless the `name` and `location` parameters give them. It is "
                "created like POST /dataset: validated (400), `name` unique (409). Unknown formats, compressions and "
                "field types give 400 naming the descriptor's JSON pointer, e.g. `/resources/0/schema/fields/2/type`. "
                + ROLES_WRITE,
                resp("DatasetResult", "The created dataset."), body="FrictionlessPackage",
                params=[ref("ImportName", "parameters"), ref("ImportLocation", "parameters")], conflict=True)),
])

# subscription
crud("subscription", "Subscription", "subscription", create=False,
     list_desc="Subscriptions are created on a dataset (POST /dataset/{dataset_id}/subscription), never here.",
     list_extra=[ref("SubscriptionFilterDatasetId", "parameters")],
     put_desc="Editable: name, state, on_failure_email, on_success_email, tags; the prefixes are fixed once created. "
              "Clients set `state` to `INACTIVE` (no new files, no batches), `ACTIVE` (only once listed) or `QUEUED` "
              "(list again); `GENERATING` and `FAILED` are the worker's (400).",
     delete_desc="Deleting a subscription deletes its elements.")
PATHS["/subscription/{subscription_id}/elements"] = OrderedDict([
    ("parameters", [ref("SubscriptionId", "parameters")]),
    ("get", op("subscription", "listSubscriptionElements", "List a subscription's elements",
               "The files of a subscription, paged; `state` is a shorthand filter. " + ROLES_READ,
               resp("SubscriptionElementList", "A page of subscription elements."),
               params=LIST_PARAMS + [ref("ElementState", "parameters")], path_ids=True, extra=["400"])),
])
PATHS["/subscription/{subscription_id}/element_stats"] = OrderedDict([
    ("parameters", [ref("SubscriptionId", "parameters")]),
    ("get", op("subscription", "getSubscriptionElementStats", "Count a subscription's elements by state",
               "For each state that has elements: how many, and the sum of their file sizes. " + ROLES_READ,
               resp("ElementStatsResult", "The statistics."), path_ids=True)),
])

# event
crud("event", "Event", "event",
     create_desc="Creates a named event; external systems fire it through the trigger queue (or POST "
                 "/event/{event_id}/fire), which runs the workflows of the event triggers that name it.",
     put_desc="Editable: name, description, state, tags.",
     delete_desc="Deletes an event.")
PATHS["/event/{event_id}/fire"] = OrderedDict([
    ("parameters", [ref("EventId", "parameters")]),
    ("post", op("event", "fireEvent", "Fire an event",
                "For systems that cannot write to the trigger queue: queues the same message an event on the queue "
                "carries (`{\"event_id\": ...}` plus the fields of `message`), processed exactly like one: the "
                "workflows of the ACTIVE event triggers naming this event are run. The event must be ACTIVE (400 "
                "otherwise); 404 for an unknown event. The body is optional. " + ROLES_WRITE,
                ref("Ok", "responses"), body="EventFireRequest", body_required=False, path_ids=True)),
])

# api keys
PATHS["/whoami"] = OrderedDict([
    ("get", op("api_key", "whoAmI", "Describe the caller's own key",
               "The user and role of the key that makes the request, so a client shows only what the role may do. "
               + ROLES_READ, resp("WhoAmIResult", "The caller's user and role."))),
])

PATHS["/api_key"] = OrderedDict([
    ("post", op("api_key", "createApiKey", "Create an API key",
                "Creates a credential for a user (`user_id`, an e-mail address) with one role; `engine_name` is "
                "required for the engine role. The answer carries `key` and `secret`: the secret is shown this once "
                "and only a hash is stored. Clients then authenticate with `key:secret`. Roles: admin.",
                resp("ApiKeyCreatedResult", "The new key, with its secret."), body="ApiKeyRequest", conflict=True)),
    ("get", op("api_key", "listApiKeys", "List API keys",
               "Never shows secrets. Roles: admin.", resp("ApiKeyList", "A page of API keys."), params=LIST_PARAMS,
               extra=["400"])),
])
PATHS["/api_key/{api_key_id}"] = OrderedDict([
    ("parameters", [ref("ApiKeyId", "parameters")]),
    ("get", op("api_key", "getApiKey", "Get an API key", "Never shows the secret. Roles: admin.",
               resp("ApiKeyResult", "The API key."), path_ids=True)),
    ("delete", op("api_key", "deleteApiKey", "Revoke an API key",
                  "Deletes the key; requests made with it fail with 401 at once. Roles: admin.",
                  ref("Ok", "responses"), path_ids=True, conflict=True)),
])

# schemas
SCHEMA_ALL = ROLES_READ
for wire, camel, label in [("engine", "Engine", "engine"), ("datastore", "Datastore", "datastore"),
                           ("action", "Action", "action"), ("workflow", "Workflow", "workflow"),
                           ("workflow/instance", "WorkflowInstance", "workflow instance"), ("dataset", "Dataset", "dataset"),
                           ("subscription", "Subscription", "subscription"), ("trigger", "Trigger", "trigger"),
                           ("event", "Event", "event"), ("subgraph_definition", "SubgraphDefinition", "subgraph definition")]:
    params = None
    desc = "The JSON Schema of a %s's `data`, for the UI's forms." % label
    nf = False
    extra = []
    if wire == "trigger":
        params = [OrderedDict([("name", "trigger_type_name"), ("in", "query"), ("required", False),
                               ("description", "Embed this trigger type's `params_json_schema` as `properties.args`."),
                               ("schema", OrderedDict([("type", "string")]))])]
        desc += " With `trigger_type_name`, that type's args schema is embedded as `properties.args` (404 for an unknown type)."
        nf = True
        extra = ["400"]
    PATHS["/schema/" + wire] = OrderedDict([("get", op("schema", "get%sSchema" % camel, "Get the %s schema" % label,
        desc + " " + SCHEMA_ALL, resp("SchemaResult", "The JSON Schema."), params=params, not_found=nf, extra=extra))])
PATHS["/schema/engine/{engine_name}/datastore"] = OrderedDict([
    ("parameters", [path_param("engine_name", "The engine's name.")]),
    ("get", op("schema", "getEngineDatastoreSchema", "Get the datastore schema of an engine",
               "The datastore schema with the engine's `options_json_schema` embedded as `properties.args`. 404 for an "
               "unknown engine. " + SCHEMA_ALL, resp("SchemaResult", "The JSON Schema."), path_ids=True)),
])
PATHS["/schema/action/{action_type_name}"] = OrderedDict([
    ("parameters", [path_param("action_type_name", "The action type's name.")]),
    ("get", op("schema", "getActionTypeSchema", "Get the action schema of an action type",
               "The action schema with the action type's `params_json_schema` embedded as `properties.args`. 404 for an "
               "unknown engine or action type; 400 without `engine_name`. " + SCHEMA_ALL,
               resp("SchemaResult", "The JSON Schema."), path_ids=True, extra=["400"],
               params=[OrderedDict([("name", "engine_name"), ("in", "query"), ("required", True),
                                    ("description", "The engine that registers the action type."),
                                    ("schema", OrderedDict([("type", "string")]))])])),
])

# graph
PATHS["/graph/entity_identifiers"] = OrderedDict([
    ("get", op("graph", "listEntityIdentifiers", "Search entities by name",
               "Entity types, ids and names of the entities whose name contains `search` (case-insensitive), for the "
               "graph UI's search box; all when omitted. " + ROLES_READ,
               resp("EntityIdentifierList", "The matching entities."), extra=["400"],
               params=[OrderedDict([("name", "search"), ("in", "query"), ("required", False),
                                    ("description", "Text the name must contain."),
                                    ("schema", OrderedDict([("type", "string")]))])])),
])
PATHS["/graph/sub_graph"] = OrderedDict([
    ("get", op("graph", "listSubGraphTemplates", "List the subgraph templates engines offer",
               "The engines' subgraph definitions for an entity of `related_type` (those related to no type when it "
               "is omitted), by engine name: only `engine_name`'s, or without it those of the engine of `related_id` "
               "(a datastore, workflow or action; 404 when it does not exist). Each template's entities come with "
               "fresh `UNSAVED-...` ids, so that several copies can be added and saved; they refer to the related "
               "entity as `PARENT-1` (or `CHILD-1`). Of definitions an engine gave the same name, the newest is "
               "offered. " + ROLES_READ,
               resp("SubGraphTemplatesResult", "Templates by engine name."), extra=["400", "404"],
               params=[OrderedDict([("name", n), ("in", "query"), ("required", False), ("description", d),
                                    ("schema", OrderedDict([("type", "string")]))]) for n, d in [
                   ("related_type", "The type of entity the templates hang from, e.g. `datastore`."),
                   ("related_id", "The entity they would hang from; its engine chooses the templates."),
                   ("engine_name", "Only this engine's templates.")]])),
    ("post", op("graph", "saveSubGraph", "Create several linked entities at once",
                "Creates new entities that refer to each other by their `UNSAVED-...` ids (and to stored ones through "
                "`related_entity_data`), in one transaction: each is created through its type's route (a workflow "
                "on its `datastore_id`, an action on its `workflow_id` as a step, or else as an ad-hoc action on its "
                "`datastore_id`, a subscription on its `dataset_id`), after the entities it refers to, with every "
                "placeholder replaced by the stored id. One refused entity refuses the request, naming it by its "
                "node id in the error's pointer, and nothing is written. References that form a cycle, or to an "
                "`UNSAVED-` id not in the request, are a 400. The shape is the original dart's, so its graph UI's "
                "saves keep working. " + ROLES_WRITE,
                resp("SubGraphSaveResult", "The created entities by node id."), body="SubGraphSaveRequest",
                conflict=True)),
])
PATHS["/graph/{entity_type}/{entity_id}"] = OrderedDict([
    ("parameters", [
        OrderedDict([("name", "entity_type"), ("in", "path"), ("required", True), ("description", "The kind of entity."),
                     ("schema", ref("GraphEntityType"))]),
        path_param("entity_id", "The entity's id."),
    ]),
    ("get", op("graph", "getEntityGraph", "Get the graph around an entity",
               "The entities connected to this one (datastores, workflows and their actions, triggers, datasets, "
               "subscriptions, events) as nodes and directed edges. " + ROLES_READ,
               resp("GraphResult", "Nodes and edges."), path_ids=True, extra=["400"])),
])

# operational routes
ROOT = [OrderedDict([("url", "/"), ("description", "Operational routes are at the root, not under /api/1.")])]
def root_op(opid, summary, desc, content):
    content["406"] = ref("NotAcceptable", "responses")
    return OrderedDict([("tags", ["operations"]), ("operationId", opid), ("summary", summary), ("description", desc),
                        ("security", []), ("responses", content)])
health_content = OrderedDict([("application/json", OrderedDict([("schema", ref("Health"))]))])
PATHS["/health"] = OrderedDict([
    ("servers", ROOT),
    ("get", root_op("getHealth", "Health check",
                    "Liveness and readiness: UP with 200 when the service and its database answer, DOWN with 503 "
                    "otherwise. No authentication.",
                    OrderedDict([("200", OrderedDict([("description", "UP."), ("content", health_content)])),
                                 ("503", OrderedDict([("description", "DOWN."), ("content", health_content)])),
                                 ("500", ref("InternalError", "responses"))]))),
])
PATHS["/health/{selector}"] = OrderedDict([
    ("servers", ROOT),
    ("get", root_op("getHealthProbe", "Liveness or readiness probe",
                    "`/health/liveness` (the process answers) or `/health/readiness` (it can serve: the database "
                    "answers), for orchestrators that probe them apart; UP with 200, DOWN with 503. No authentication.",
                    OrderedDict([("200", OrderedDict([("description", "UP."), ("content", health_content)])),
                                 ("404", ref("NotFound", "responses")),
                                 ("503", OrderedDict([("description", "DOWN."), ("content", health_content)])),
                                 ("500", ref("InternalError", "responses"))]))),
])
PATHS["/health/{selector}"]["get"]["parameters"] = [OrderedDict([
    ("name", "selector"), ("in", "path"), ("required", True),
    ("schema", OrderedDict([("type", "string"), ("enum", ["liveness", "readiness"])]))])]
PATHS["/metrics"] = OrderedDict([
    ("servers", ROOT),
    ("get", root_op("getMetrics", "Prometheus metrics",
                    "Metrics in the Prometheus text exposition format. No authentication.",
                    OrderedDict([("200", OrderedDict([("description", "The metrics."), ("content", OrderedDict([
                        ("text/plain", OrderedDict([("schema", OrderedDict([("type", "string")]))]))]))])),
                                 ("500", ref("InternalError", "responses"))]))),
])
PATHS["/apidocs"] = OrderedDict([
    ("servers", ROOT),
    ("get", root_op("getApiDocs", "API documentation (Swagger UI)",
                    "An HTML page rendering this document. No authentication.",
                    OrderedDict([("200", OrderedDict([("description", "The Swagger UI page."), ("content", OrderedDict([
                        ("text/html", OrderedDict([("schema", OrderedDict([("type", "string")]))]))]))])),
                                 ("500", ref("InternalError", "responses"))]))),
])
yaml_schema = OrderedDict([("schema", OrderedDict([("type", "string")]))])
PATHS["/apidocs/openapi.yaml"] = OrderedDict([
    ("servers", ROOT),
    ("get", root_op("getOpenApiDocument", "This OpenAPI document",
                    "The OpenAPI 3.0.3 description of the API, as YAML. No authentication.",
                    OrderedDict([("200", OrderedDict([("description", "The document."), ("content", OrderedDict([
                        ("application/yaml", yaml_schema), ("application/x-yaml", copy.deepcopy(yaml_schema)),
                        ("text/yaml", copy.deepcopy(yaml_schema))]))])),
                                 ("404", err("This build does not package the document.")),
                                 ("500", ref("InternalError", "responses"))]))),
])

INFO_DESC = open(os.path.join(HERE, "info.md")).read()

doc = OrderedDict()
doc["openapi"] = "3.0.3"
doc["info"] = OrderedDict([("title", "dart API"), ("version", "1"), ("description", INFO_DESC)])
doc["servers"] = [OrderedDict([("url", "/api/1")])]
doc["security"] = [OrderedDict([("basicAuth", [])]), OrderedDict([("bearerAuth", [])])]
TAGS = [
    ("engine", "Engine registrations and the engine protocol (checkout or poll, heartbeat, checkin)."),
    ("datastore", "Instances of an engine's technology, and the ad-hoc actions and workflows on them."),
    ("action", "Units of work of an engine's action types."),
    ("workflow", "Ordered TEMPLATE actions run together on a datastore."),
    ("workflow_instance", "Runs of workflows."),
    ("trigger", "What starts workflows, and the trigger types."),
    ("dataset", "Platform-neutral descriptions of data in S3."),
    ("subscription", "Stateful listings of a dataset's files, and their elements."),
    ("event", "Named events that external systems fire."),
    ("subgraph_definition", "Graph templates an engine offers the UI."),
    ("api_key", "Credentials (admin only)."),
    ("schema", "JSON Schemas for the UI's forms."),
    ("graph", "The entity graph for the UI."),
    ("operations", "Health, metrics and documentation, at the root and without authentication."),
]
doc["tags"] = [OrderedDict([("name", n), ("description", d)]) for n, d in TAGS]
doc["paths"] = PATHS
doc["components"] = OrderedDict([
    ("securitySchemes", OrderedDict([
        ("basicAuth", OrderedDict([("type", "http"), ("scheme", "basic"),
                                   ("description", "HTTP Basic with an API key: user name = key, password = secret.")])),
        ("bearerAuth", OrderedDict([("type", "http"), ("scheme", "bearer"), ("bearerFormat", "key:secret"),
                                    ("description", "`Authorization: Bearer key:secret` (the API key and its secret, "
                                                    "joined by a colon, not encoded).")])),
    ])),
    ("parameters", P),
    ("responses", R),
    ("schemas", S),
])

# ------------------------------------------------------------------ roles
# Each operation's "Roles:" line comes from the @Allowed roles of the route the server picks for it, exported to
# roles.json by RoleTableTest (run it with -Ddart.roles.write=true after changing a route's roles).
import re
with open(os.path.join(HERE, "roles.json")) as f:
    ROUTE_ROLES = json.load(f)

def roles_line(key, roles):
    line = "Roles: " + ", ".join(r.replace("_", " ") for r in roles) + "."
    path = key.split(" ", 1)[1]
    if "engine" in roles and ("action" in path or (path.startswith("/engine") and not key.startswith("GET"))):
        line += " An engine key only for its own engine and that engine's actions (else 403)."
    if "action_token" in roles:
        line += " An action token only for its own action, while it is PENDING or RUNNING."
    return line

for path, item in PATHS.items():
    if "servers" in item:
        continue
    for method, o in item.items():
        if method == "parameters":
            continue
        key = method.upper() + " " + path
        if key not in ROUTE_ROLES:
            sys.exit("no roles for %s in roles.json: run RoleTableTest with -Ddart.roles.write=true" % key)
        desc = re.sub(r"\s*Roles: .*$", "", o["description"], flags=re.S)
        o["description"] = (desc + " " if desc else "") + roles_line(key, ROUTE_ROLES[key])

# ------------------------------------------------------------------ dump
class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True

def str_rep(dumper, s):
    if "\n" in s:
        return dumper.represent_scalar("tag:yaml.org,2002:str", s, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", s)

def od_rep(dumper, d):
    return dumper.represent_mapping("tag:yaml.org,2002:map", d.items())

def list_rep(dumper, l):
    flow = len(l) > 0 and all(isinstance(x, (str, int, float, bool)) and not (isinstance(x, str) and ("\n" in x or len(x) > 40)) for x in l)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", l, flow_style=flow)

Dumper.add_representer(str, str_rep)
Dumper.add_representer(OrderedDict, od_rep)
Dumper.add_representer(list, list_rep)

text = yaml.dump(doc, Dumper=Dumper, sort_keys=False, width=120, allow_unicode=True, default_flow_style=False)
if CHECK:
    with open(OUT) as f:
        committed = f.read()
    if committed != text:
        import difflib
        sys.stdout.writelines(list(difflib.unified_diff(committed.splitlines(True), text.splitlines(True),
                                                        "openapi.yaml (committed)", "openapi.yaml (generated)"))[:60])
        sys.exit("openapi.yaml differs from what tools/openapi/generate.py generates: run the script and commit both")
    print("openapi.yaml is what tools/openapi/generate.py generates")
    sys.exit(0)
with open(OUT, "w") as f:
    f.write(text)
print("wrote", OUT, text.count("\n"), "lines")
