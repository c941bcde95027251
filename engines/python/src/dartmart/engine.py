"""A dart engine: its registration, its action handlers, and the two ways it takes work."""
import copy
import logging
import re
import time

from ._http import Transport
from ._protocol import Protocol
from ._pull import PullWorkers
from ._runner import Runner
from .errors import DartApiError

LOG = logging.getLogger("dartmart.engine")
_NAME = re.compile(r"^[a-zA-Z0-9_-]+$")
_UNSET = object()


def _object_or_none(value, what):
    if value is not None and not isinstance(value, dict):
        raise ValueError("%s must be a JSON object (a dict), got %s" % (what, type(value).__name__))
    return copy.deepcopy(value)


class Engine:
    """Declare an engine, its action types (JSON Schema of their args, and a handler each) and the JSON Schema of its
    datastores' args (``options_schema``); then ``register()`` and either ``start_pull_workers(n)`` (pull mode, for
    engines registered without a launcher) or ``run_launched(action_id)`` (dart started this process for one action).

    ``api_url`` and ``api_key`` (``key:secret`` of a key of role engine for this engine, or of an admin) default to
    ``DART_API_URL`` and ``DART_API_KEY``. ``launcher`` left unset keeps whatever launcher is stored at registration;
    None registers pull mode. Times are in seconds. Thread-safe.
    """

    def __init__(self, name, description=None, options_schema=None, *, api_url=None, api_key=None,
                 launcher=_UNSET, poll_wait_seconds=20, pull_batch=1, heartbeat_interval=10.0,
                 request_timeout=30.0, shutdown_grace=30.0, stop_wait=10.0, backoff=(1.0, 60.0)):
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError("an engine name is letters, digits, '_' and '-', got %r" % (name,))
        if not 1 <= poll_wait_seconds <= 50:
            raise ValueError("the poll wait must be 1 to 50 seconds, got %r" % (poll_wait_seconds,))
        if not 1 <= pull_batch <= 100:
            raise ValueError("the pull batch must be 1 to 100 actions, got %r" % (pull_batch,))
        if heartbeat_interval <= 0 or shutdown_grace < 0 or stop_wait < 0:
            raise ValueError("the heartbeat interval must be positive, the shutdown grace and stop wait not negative")
        self.name = name
        self.description = description
        self.options_schema = _object_or_none(options_schema, "the options schema")
        self._launcher = launcher if launcher is _UNSET else _object_or_none(launcher, "the launcher")
        self._api = (api_url, api_key, request_timeout)
        self._protocol = None
        self._action_types = {}
        self.poll_wait_seconds = poll_wait_seconds
        self.pull_batch = pull_batch
        self.heartbeat_interval = heartbeat_interval
        self.shutdown_grace = shutdown_grace
        self.stop_wait = stop_wait
        self.backoff = backoff
        self._runner = None

    # ---- declaring

    def add_action_type(self, name, handler, description=None, params_schema=None):
        """Adds an action type and its handler, a function of one ``ActionContext`` that raises to fail."""
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError("an action type name is letters, digits, '_' and '-', got %r" % (name,))
        if name in self._action_types:
            raise ValueError("action type '%s' is added twice" % name)
        if not callable(handler):
            raise ValueError("the handler of '%s' is not callable" % name)
        self._action_types[name] = (description, _object_or_none(params_schema, "the params schema of " + name),
                                    handler)
        return handler

    def action_type(self, name, description=None, params_schema=None):
        """The decorator form of ``add_action_type``."""
        return lambda handler: self.add_action_type(name, handler, description, params_schema)

    @property
    def registration(self):
        """The ``data`` this engine registers (a copy)."""
        data = {
            "name": self.name,
            "description": self.description,
            "options_json_schema": copy.deepcopy(self.options_schema),
            "supported_action_types": [
                {"name": n, "description": d, "params_json_schema": copy.deepcopy(s)}
                for n, (d, s, _) in self._action_types.items()],
        }
        if self._launcher is not _UNSET:
            data["launcher"] = copy.deepcopy(self._launcher)
        return data

    # ---- talking to the API

    @property
    def protocol(self):
        if self._protocol is None:
            api_url, api_key, timeout = self._api
            self._protocol = Protocol(Transport(api_url, api_key, timeout))
        return self._protocol

    def _runner_of(self):
        if self._runner is None:
            handlers = {n: h for n, (_, _, h) in self._action_types.items()}
            self._runner = Runner(self.protocol, self.name, handlers, self.heartbeat_interval,
                                  (self.backoff[0], min(self.backoff[1], 10.0)))
        return self._runner

    def register(self):
        """Registers the engine: POST the first time, PUT after (idempotent). On a PUT, fields of the stored
        registration this engine does not set (an operator's ``launcher``, ``tags``) are kept. Answers the stored
        envelope; raises ``DartApiError`` when the API refuses (403: not this engine's key; 400: a bad schema)."""
        registration = self.registration
        found = self.protocol.find_engine(self.name)
        if found is None:
            try:
                created = self.protocol.create_engine(registration)
                LOG.info("engine %s registered (%s)", self.name, created.get("id"))
                return created
            except DartApiError as e:
                # another copy of the engine registered it meanwhile: re-register over it
                found = self.protocol.find_engine(self.name) if e.status == 409 else None
                if found is None:
                    raise
        data = dict(found.get("data") or {})
        data.update(registration)
        updated = self.protocol.update_engine(found["id"], data)
        LOG.info("engine %s re-registered (%s)", self.name, found["id"])
        return updated

    def start_pull_workers(self, workers=1):
        """Starts ``workers`` threads that long-poll for this engine's actions, run them and check them in (see
        ``PullWorkers``). Close the answer (or use it in a ``with``) to stop them."""
        if workers < 1:
            raise ValueError("at least one worker is needed, got %r" % (workers,))
        return PullWorkers(self, self._runner_of()).start(workers)

    def run_launched(self, action_id):
        """Launched mode: checks ``action_id`` out (it must be PENDING), runs its handler on the calling thread and
        checks the outcome in. Answers whether the outcome was checked in; raises ``DartApiError`` when the check-out
        was refused (400: the action is not PENDING) and ``OSError`` when the API could not be reached for it."""
        if not action_id:
            raise ValueError("the action id is missing")
        runner = self._runner_of()
        requested_at = time.monotonic()
        return runner.execute(runner.new_run(self.protocol.checkout(action_id), requested_at))

    def stop_launched(self, reason):
        """Stops the runs of ``run_launched`` in progress (their ``sleep`` raises), for a process asked to stop."""
        for run in self._runner_of().held():
            run.stop(reason)

    def release_launched(self, reason):
        """Checks in as FAILURE the launched runs whose handler did not return after being stopped."""
        return self._runner_of().release(reason)
