"""What a handler receives: the work package of one action, and what it may tell the API while it runs."""
import threading
import time

from .errors import ActionStopped

ELEMENTS_PAGE = 200


class ActionContext:
    """One run of one action. The JSON it holds is what the server sent at check-out, secrets in clear: never log
    it whole.

    ``action_id``, ``attempt`` (how many times an engine has taken the action: with ``action_id`` it names this
    execution, for engines that must not repeat an effect), ``action_type_name``; ``args`` (the action's args, the defaults of its type's schema filled in,
    ``{}`` when none); ``datastore_args`` (the datastore's args, None without a datastore); ``parameters`` (the
    run's parameters, None when none); and the envelopes ``action``, ``datastore``, ``engine`` as checked out.
    """

    def __init__(self, protocol, work):
        if not isinstance(work, dict) or not isinstance(work.get("action"), dict) \
                or not isinstance(work["action"].get("id"), str):
            raise ValueError("a work package must be an object {engine, action, datastore} with an action id")
        self._protocol = protocol
        self.action = work["action"]
        self.datastore = work.get("datastore")
        self.engine = work.get("engine")
        self.parameters = work.get("parameters")
        data = self.action.get("data") or {}
        self.action_id = self.action["id"]
        attempt = work.get("attempt")
        self.attempt = attempt if isinstance(attempt, int) and not isinstance(attempt, bool) and attempt >= 1 else 1
        self.action_type_name = data.get("action_type_name")
        self.args = data.get("args") or {}
        self.datastore_args = None if self.datastore is None else (self.datastore.get("data") or {}).get("args") or {}
        self._stopped = threading.Condition()
        self._stop_reason = None
        self._checkin_claimed = False
        self._fenced = False

    def progress(self, fraction):
        """Reports progress, from 0 (nothing done) to 1 (all done): PATCHes the action's ``/data/progress``."""
        if not (isinstance(fraction, (int, float)) and 0 <= fraction <= 1):
            raise ValueError("progress must be within [0, 1], got %r" % (fraction,))
        self._protocol.patch_action(self.action_id, [{"op": "add", "path": "/data/progress", "value": fraction}])

    def extra_data(self, value):
        """Stores ``value`` (any JSON) as the action's ``/data/extra_data``, for users to read with the action."""
        self._protocol.patch_action(self.action_id, [{"op": "add", "path": "/data/extra_data", "value": value}])

    def subscription_elements(self, page_size=ELEMENTS_PAGE):
        """The subscription elements assigned to this (consume_subscription) action, read page by page from
        ``GET /action/{id}/subscription/elements`` as the iteration goes. Each call starts again from the first page."""
        offset = 0
        while True:
            page = self._protocol.subscription_elements(self.action_id, page_size, offset) or {}
            results = page.get("results") or []
            yield from results
            offset += len(results)
            total = page.get("total")
            if not results or (isinstance(total, int) and offset >= total):
                return

    def sleep(self, seconds):
        """Waits ``seconds``, but raises ``ActionStopped`` as soon as the run is stopped: the engine is stopping and
        its grace is over, or the server no longer counts the action as RUNNING (e.g. its run was cancelled)."""
        if seconds < 0:
            raise ValueError("cannot sleep a negative time: %r" % (seconds,))
        deadline = time.monotonic() + seconds
        with self._stopped:
            while self._stop_reason is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._stopped.wait(left)
        self.raise_if_stopped()

    def raise_if_stopped(self):
        """Raises ``ActionStopped`` when the run was stopped; long loops call it to give up in time."""
        reason = self._stop_reason
        if reason is not None:
            raise ActionStopped(reason)

    @property
    def stopped(self):
        return self._stop_reason is not None

    @property
    def stop_reason(self):
        """Why the run was stopped; None while it was not."""
        return self._stop_reason

    def stop(self, reason):
        """Stops the run: waits end at once with ``ActionStopped``. Only the first reason is kept."""
        with self._stopped:
            if self._stop_reason is None:
                self._stop_reason = reason
            self._stopped.notify_all()

    def _fence(self, reason):
        """Gives the action up without checking it in (the runner's call), for lack of contact with the server or
        because the server already handed it out again: stops it, and leaves it to the server as lost work."""
        self._fenced = True
        self.stop(reason)

    @property
    def settled(self):
        """Whether the run's outcome is being (or was) checked in."""
        with self._stopped:
            return self._checkin_claimed

    def claim_checkin(self):
        """True for the one caller that may check this run in: its worker, or a stop that releases it."""
        with self._stopped:
            if self._checkin_claimed:
                return False
            self._checkin_claimed = True
            return True
