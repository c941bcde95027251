"""The engine protocol's routes over a Transport: registration, check-out, heartbeat, batched check-in, progress."""
from ._http import API_ROOT, JSON_PATCH, segment, query
from .errors import DartApiError


class Outcome:
    """An outcome to check in: the action, the attempt it is the outcome of (None for any: the server refuses an
    outcome of an attempt once another began), and None for SUCCESS or the error message of a FAILURE."""

    def __init__(self, action_id, error=None, attempt=None):
        self.action_id = action_id
        self.error = error
        self.attempt = attempt

    @property
    def success(self):
        return self.error is None

    def wire(self):
        item = {"action_id": self.action_id, "state": "SUCCESS" if self.success else "FAILURE"}
        if self.attempt is not None:
            item["attempt"] = self.attempt
        if not self.success:
            item["error_message"] = self.error
        return item


class Protocol:
    def __init__(self, transport):
        self.transport = transport

    def find_engine(self, name):
        """The engine envelope registered under ``name``, or None."""
        found = self.transport.results("GET", "/engine" + query({"limit": 10, "filters": ["name = " + name]}))
        for engine in found or []:
            if engine.get("data", {}).get("name") == name:
                return engine
        return None

    def create_engine(self, data):
        return self.transport.results("POST", "/engine", {"data": data})

    def update_engine(self, engine_id, data):
        return self.transport.results("PUT", "/engine/" + segment(engine_id), {"data": data})

    def checkout(self, action_id):
        """``PUT /engine/action/{id}/checkout``: the action must be PENDING; answers the work package."""
        return self.transport.results("PUT", "/engine/action/%s/checkout" % segment(action_id))

    def heartbeat(self, action_id, attempt, timeout):
        """``PUT /engine/action/{id}/heartbeat`` for ``attempt``: a 409 once that attempt was counted lost."""
        self.transport.results("PUT", "/engine/action/%s/heartbeat" % segment(action_id), {"attempt": attempt},
                               timeout=timeout)

    def checkin(self, engine_name, outcomes, take, wait_seconds, abort=None):
        """``POST /engine/{name}/action/checkins``: checks ``outcomes`` in and takes up to ``take`` next actions,
        waiting up to ``wait_seconds`` for them. Answers (per outcome None or the refusal, the next work packages)."""
        path = API_ROOT + "/engine/%s/action/checkins" % segment(engine_name)
        body = {"checkins": [o.wire() for o in outcomes], "max": take, "wait_seconds": wait_seconds}
        _, answer = self.transport.call("POST", path, body, timeout=self.transport.timeout + wait_seconds,
                                        abort=abort)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(outcomes):
            raise ConnectionError("POST %s answered without one result per outcome: %r" % (path, answer))
        refusals = [None if r.get("results") == "OK"
                    else DartApiError("POST", path, r.get("status", 400), r.get("error_message"))
                    for r in results]
        return refusals, list(answer.get("next") or [])

    def action(self, action_id):
        return self.transport.results("GET", "/action/" + segment(action_id))

    def patch_action(self, action_id, patch):
        return self.transport.results("PATCH", "/action/" + segment(action_id), patch, content_type=JSON_PATCH)

    def subscription_elements(self, action_id, limit, offset):
        return self.transport.page("/action/%s/subscription/elements" % segment(action_id),
                                   {"limit": limit, "offset": offset})
