"""A client for dart's REST API: typed helpers over the entities, runs of workflows, action logs.

Every entity is an envelope dict ``{"id", "version_id", "created", "updated", "data"}``. Errors raise
``DartApiError`` (``VersionConflict`` for 409) carrying the server's ``error_message``.
"""
import time

from ._http import JSON_PATCH, Transport, segment
from .errors import DartApiError, VersionConflict

_ENDED = ("COMPLETED", "FAILED")


class Page(list):
    """One page of a list: the entities, with ``total``, ``limit`` and ``offset`` as the server answered them."""

    def __init__(self, answer):
        super().__init__(answer.get("results") or [])
        self.total = answer.get("total")
        self.limit = answer.get("limit")
        self.offset = answer.get("offset")


class Entities:
    """The routes of one entity type, e.g. ``client.workflows``; ``path`` is its collection, e.g. ``/workflow``."""

    def __init__(self, transport, path, parents=()):
        self._t = transport
        self.path = path
        self._parents = dict(parents)

    def get(self, entity_id):
        return self._t.results("GET", "%s/%s" % (self.path, segment(entity_id)))

    def list(self, filters=None, order_by=None, limit=20, offset=0, **params):
        """One page: ``filters`` is a list of ``"key op value"`` strings (ANDed), ``order_by`` of ``"key ASC|DESC"``;
        other keyword arguments are sent as query parameters (e.g. ``workflow_instance_id=...`` for actions)."""
        params.update(filters=filters, order_by=order_by, limit=limit, offset=offset)
        return Page(self._t.page(self.path, params) or {})

    def iterate(self, filters=None, order_by=None, page_size=100, **params):
        """Every entity that matches, page by page until an empty page."""
        offset = 0
        while True:
            page = self.list(filters, order_by, page_size, offset, **params)
            yield from page
            offset += len(page)
            if not page or (isinstance(page.total, int) and offset >= page.total):
                return

    def find(self, name):
        """The first entity whose ``data.name`` is ``name``, or None."""
        page = self.list(filters=["name = " + name], limit=1)
        return page[0] if page else None

    def create(self, data, **parent):
        """POSTs ``{"data": data}`` (or a list of them, where the route takes one) to the collection, or under a
        parent: e.g. ``client.workflows.create(data, datastore_id=ds)``, ``client.actions.create([...],
        workflow_id=wf)``. Answers the created envelope(s)."""
        if len(parent) > 1:
            raise ValueError("at most one parent, got %s" % sorted(parent))
        if parent:
            (key, parent_id), = parent.items()
            if key not in self._parents:
                raise ValueError("%s are not created under %s; parents: %s"
                                 % (self.path, key, ", ".join(sorted(self._parents)) or "none"))
            path = "%s/%s%s" % (self._parents[key], segment(parent_id), self.path)
        elif self.path == "/action":
            raise ValueError("actions are created under a workflow_id or a datastore_id")
        else:
            path = self.path
        body = [{"data": d} for d in data] if isinstance(data, list) else {"data": data}
        return self._t.results("POST", path, body)

    def put(self, entity, version_id=None):
        """PUTs an envelope as read (``version_id`` from it: a stale one raises ``VersionConflict`` and changes
        nothing). Pass a bare ``data`` dict with the id as ``entity={"id": ..., "data": ...}``; ``version_id``
        overrides the envelope's, and None in both overwrites unconditionally."""
        body = {"data": entity["data"]}
        version = version_id if version_id is not None else entity.get("version_id")
        if version is not None:
            body["version_id"] = version
        return self._t.results("PUT", "%s/%s" % (self.path, segment(entity["id"])), body)

    def patch(self, entity_id, operations):
        """Applies an RFC 6902 JSON Patch to the envelope, e.g. ``[{"op": "replace", "path": "/data/state",
        "value": "ACTIVE"}]``; a failed ``test`` (or a ``/version_id`` that is stale) raises ``VersionConflict``."""
        return self._t.results("PATCH", "%s/%s" % (self.path, segment(entity_id)), operations,
                               content_type=JSON_PATCH)

    def update(self, entity_id, change, attempts=5):
        """Reads the entity, applies ``change`` (a function that edits its ``data`` in place) and PUTs it with the
        version read; on a conflict, reads and applies again, up to ``attempts`` times."""
        if attempts < 1:
            raise ValueError("at least one attempt is needed, got %r" % (attempts,))
        for attempt in range(1, attempts + 1):
            entity = self.get(entity_id)
            change(entity["data"])
            try:
                return self.put(entity)
            except VersionConflict:
                if attempt == attempts:
                    raise

    def delete(self, entity_id):
        self._t.results("DELETE", "%s/%s" % (self.path, segment(entity_id)))


class Client:
    """The API at ``api_url`` with ``api_key`` (``key:secret``); both default to ``DART_API_URL`` and
    ``DART_API_KEY``. One attribute per entity type: ``engines``, ``datastores``, ``actions``, ``workflows``,
    ``workflow_instances``, ``triggers``, ``datasets``, ``subscriptions``, ``events``, ``api_keys``."""

    def __init__(self, api_url=None, api_key=None, timeout=30.0):
        self.transport = Transport(api_url, api_key, timeout)
        t = self.transport
        self.engines = Entities(t, "/engine")
        self.datastores = Entities(t, "/datastore")
        self.actions = Entities(t, "/action", {"workflow_id": "/workflow", "datastore_id": "/datastore"})
        self.workflows = Entities(t, "/workflow", {"datastore_id": "/datastore"})
        self.workflow_instances = Entities(t, "/workflow/instance")
        self.triggers = Entities(t, "/trigger")
        self.datasets = Entities(t, "/dataset")
        self.subscriptions = Entities(t, "/subscription", {"dataset_id": "/dataset"})
        self.events = Entities(t, "/event")
        self.api_keys = Entities(t, "/api_key")

    def run_workflow(self, workflow_id, parameters=None):
        """Runs a workflow now (a manual trigger) with ``parameters`` handed to each of its actions; answers the new
        run's workflow instance. The API answers a manual trigger with OK only, so the run is found as the oldest
        manual instance of the workflow created after the trigger's request with these parameters."""
        path = "/workflow/%s" % segment(workflow_id)
        newest = Entities(self.transport, path + "/instance").list(order_by=["created DESC"], limit=1)
        body = {} if parameters is None else {"parameters": parameters}
        self.transport.results("POST", path + "/do-manual-trigger", body)
        filters = ["trigger_type = manual"]
        if newest:
            filters.append("created > " + newest[0]["created"])
        for instance in Entities(self.transport, path + "/instance").iterate(filters, ["created ASC"]):
            if instance["data"].get("parameters") == parameters:
                return instance
        raise DartApiError("POST", path + "/do-manual-trigger", 500, "the run was queued but cannot be found")

    def await_run(self, instance_id, timeout, interval=0.5):
        """Waits until the workflow instance ends (COMPLETED or FAILED) and answers it; raises ``TimeoutError``
        naming its state when it has not ended within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            instance = self.workflow_instances.get(instance_id)
            state = instance["data"].get("state")
            if state in _ENDED:
                return instance
            if time.monotonic() >= deadline:
                raise TimeoutError("workflow instance %s is still %s after %s s" % (instance_id, state, timeout))
            time.sleep(min(interval, max(deadline - time.monotonic(), 0)))

    def run_actions(self, instance_id):
        """The actions of a workflow instance, in step order."""
        return list(self.actions.iterate(order_by=["order_idx ASC"], workflow_instance_id=instance_id))

    def action_logs(self, action_id, page_size=1000):
        """The lines an action's engine task wrote, oldest first: ``{"created", "stream", "line"}`` dicts."""
        return Entities(self.transport, "/action/%s/logs" % segment(action_id)).iterate(page_size=page_size)

    def subscription_elements(self, subscription_id, state=None, page_size=1000):
        """A subscription's elements, optionally in one state (UNCONSUMED, RESERVED, ASSIGNED, CONSUMED)."""
        return Entities(self.transport, "/subscription/%s/elements" % segment(subscription_id)).iterate(
            page_size=page_size, state=state)

    def create_engine_key(self, user_id, engine_name):
        """An admin creates an API key of role engine for one engine; answers ``key:secret`` as the engine sends it."""
        created = self.api_keys.create({"user_id": user_id, "role": "engine", "engine_name": engine_name})
        return "%s:%s" % (created["data"]["key"], created["data"]["secret"])
