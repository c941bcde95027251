"""Runs checked-out actions: each handler, a heartbeat for every action held, then the check-in of the outcomes.
Shared by pull workers and launched mode; keeps every run the engine holds, so that a stop can end or release them."""
import logging
import threading
import time

from ._backoff import Backoff
from ._protocol import Outcome
from .context import ActionContext
from .errors import ActionStopped, DartApiError

LOG = logging.getLogger("dartmart.engine")
# check-in is the one call whose loss loses the outcome: it is retried on transient errors
_CHECKIN_ATTEMPTS = 6
# heartbeat answers that mean the server no longer counts the action as ours and RUNNING
_GONE = (400, 403, 404)
_FINISHED_STATES = ("FINISHING", "COMPLETED", "FAILED")


def message_of(exc):
    """The error_message for a handler's exception: its message, or its class name when it has none."""
    text = str(exc).strip()
    return text if text else type(exc).__name__


class Runner:
    def __init__(self, protocol, engine_name, handlers, heartbeat_interval, checkin_backoff):
        self._protocol = protocol
        self._engine_name = engine_name
        self._handlers = dict(handlers)
        self._interval = heartbeat_interval
        self._checkin_backoff = checkin_backoff
        self._lock = threading.Condition()
        self._held = {}   # action id -> [run, next heartbeat due (monotonic)]
        self._beater = None
        # action id -> [when the latest request the server answered as still ours was sent (monotonic), the
        # server's heartbeat timeout or None, when the request that handed it out was sent]: the server's lease on
        # the action runs from no earlier than the first
        self._leases = {}
        self._handed_out_at = {}   # action id -> when the check-in that handed it out was sent

    def new_run(self, work, requested_at=None):
        """A run of ``work``, handed out by a request sent at ``requested_at`` (time.monotonic(); for actions a
        check-in of this runner handed out, it knows)."""
        run = ActionContext(self._protocol, work)
        sent = self._handed_out_at.pop(run.action_id, None) if requested_at is None else requested_at
        timeout = work.get("heartbeat_timeout_seconds")
        with self._lock:
            handed_out = time.monotonic() if sent is None else sent
            self._leases[run.action_id] = [handed_out,
                                           timeout if isinstance(timeout, (int, float)) and timeout > 0 else None,
                                           handed_out]
        return run

    # ---- what the engine holds

    def held(self):
        with self._lock:
            return [entry[0] for entry in self._held.values()]

    def _hold(self, runs):
        with self._lock:
            due = time.monotonic() + self._interval
            for run in runs:
                self._held[run.action_id] = [run, due]
            if self._beater is None:
                self._beater = threading.Thread(target=self._beat_forever, name="dart-%s-heartbeat"
                                                % self._engine_name, daemon=True)
                self._beater.start()
            self._lock.notify_all()

    def _drop(self, runs):
        with self._lock:
            for run in runs:
                self._held.pop(run.action_id, None)
                self._leases.pop(run.action_id, None)

    def _beat_forever(self):
        while True:
            with self._lock:
                now = time.monotonic()
                due = [entry for entry in self._held.values() if entry[1] <= now]
                for entry in due:
                    entry[1] = now + self._interval
                if not due:
                    soonest = min((entry[1] for entry in self._held.values()), default=now + self._interval)
                    self._lock.wait(max(soonest - now, 0.01))
                    continue
            for run, _ in due:
                self._beat(run)

    def _past_lease(self, run):
        """The server counts an action lost once no heartbeat reached it for its timeout, and hands it out again;
        checked once a heartbeat period, a run gives it up a period before that (fences itself), so that two engines
        never work on it. Answers whether it did."""
        with self._lock:
            lease = self._leases.get(run.action_id)
        if lease is None or lease[1] is None:
            return False
        waited = time.monotonic() - lease[0]
        if waited <= lease[1] - self._interval:
            return False
        LOG.warning("action %s: no heartbeat answered for %.1f s, near the server's heartbeat timeout of %.1f s;"
                    " giving the action up", run.action_id, waited, lease[1])
        run._fence("no heartbeat reached the server for %.1f s, near its heartbeat timeout of %.1f s; it hands the"
                   " action to another engine" % (waited, lease[1]))
        return True

    def _beat(self, run):
        if run._fenced or self._past_lease(run):
            return
        with self._lock:
            lease = self._leases.get(run.action_id)
        sent = time.monotonic()
        try:
            self._protocol.heartbeat(run.action_id, run.attempt, timeout=max(self._interval, 1.0))
            with self._lock:
                if lease is not None:
                    lease[0] = max(lease[0], sent)
        except DartApiError as e:
            if run.settled:
                return   # the beat crossed the check-in: the refusal is about an action that is done
            if e.status == 409:
                # another attempt began: this one was counted lost, and the action is another engine's now
                LOG.warning("action %s: attempt %d was superseded (%s); giving the action up", run.action_id,
                            run.attempt, e)
                run._fence("the server handed the action out again: %s" % e.error_message)
            elif e.status in _GONE:
                LOG.warning("action %s: the server refused a heartbeat (%s); stopping the run", run.action_id, e)
                run.stop("the server no longer counts it as RUNNING: %s" % e.error_message)
            else:
                LOG.warning("action %s: a heartbeat failed: %s", run.action_id, e)
        except OSError as e:
            LOG.warning("action %s: a heartbeat failed: %s", run.action_id, e)

    def _confirm_still_held(self, run):
        """A run that waited longer than a heartbeat period since the request that handed it out was sent (behind
        earlier actions of its batch, or in a process that was suspended) may have been given to another engine
        meanwhile: one heartbeat, awaited, tells before its handler starts, instead of racing the periodic one. Only
        a refusal stops it. A run that went unconfirmed for nearly the server's timeout gives the action up unasked: a
        server of the original's protocol cannot tell its attempt from a later one."""
        with self._lock:
            lease = self._leases.get(run.action_id)
        if run.stop_reason is not None or lease is None or time.monotonic() - lease[2] <= self._interval:
            return
        if not self._past_lease(run):
            self._beat(run)

    # ---- running

    def execute(self, run):
        """Launched mode: runs the handler on the calling thread and checks the outcome in; answers whether the
        check-in went through (the handler's failure is an outcome like success, not an error of this method)."""
        checked_in, _ = self.execute_all([run], lambda: 0)
        return checked_in == 1

    def execute_all(self, runs, take_next):
        """Runs the handlers of ``runs`` one after the other, heartbeating every run held, then checks all outcomes in
        with one request that also takes up to ``take_next()`` next actions (already checked out: the caller must
        run them). Answers (how many outcomes were checked in, the next work packages)."""
        self._hold(runs)
        handled = []
        fatal = None
        try:
            for run in runs:
                if fatal is not None:
                    run.stop("the worker is exiting: %s" % message_of(fatal))
                self._confirm_still_held(run)
                outcome, raised = self._handle(run)
                fatal = fatal or raised
                handled.append((run, outcome))
            result = self._checkin(handled, 0 if fatal else take_next())
        finally:
            self._drop(runs)
        if fatal is not None:
            raise fatal
        return result

    def _handle(self, run):
        """Runs one handler; answers its outcome, and the SystemExit or KeyboardInterrupt it raised, if any, which
        the caller raises again once the outcomes are checked in."""
        if run.stop_reason is not None:
            return Outcome(run.action_id, "the action was stopped before it started: " + run.stop_reason,
                           run.attempt), None
        handler = self._handlers.get(run.action_type_name)
        LOG.info("action %s (%s) started", run.action_id, run.action_type_name)
        try:
            if handler is None:
                raise LookupError("engine '%s' has no handler for action type '%s'; it handles %s"
                                  % (self._engine_name, run.action_type_name, ", ".join(sorted(self._handlers))))
            handler(run)
            LOG.info("action %s (%s) succeeded", run.action_id, run.action_type_name)
            return Outcome(run.action_id, attempt=run.attempt), None
        except BaseException as e:   # a handler fails by raising anything; the message is the outcome
            if run.stop_reason is not None and isinstance(e, ActionStopped):
                error = "the action was stopped before it finished: " + run.stop_reason
            else:
                error = message_of(e)
            LOG.info("action %s (%s) failed: %s", run.action_id, run.action_type_name, error)
            LOG.debug("action %s failed", run.action_id, exc_info=True)
            return Outcome(run.action_id, error, run.attempt), None if isinstance(e, Exception) else e

    def _checkin(self, handled, take):
        """Checks the outcomes in (but those a stop already released), retrying transient failures."""
        kept = []
        for run, outcome in handled:
            # a fenced run's action is the server's to hand out again as lost work: checking in its failure would
            # count the platform's loss as the user's
            if not run._fenced and run.claim_checkin():
                kept.append((run, outcome))
        outcomes = [o for _, o in kept]
        if not outcomes and take == 0:
            return 0, []
        ids = [o.action_id for o in outcomes]
        backoff = Backoff(*self._checkin_backoff)
        uncertain = False
        for attempt in range(1, _CHECKIN_ATTEMPTS + 1):
            try:
                # after an uncertain attempt, ask for no next action: a lost answer could have carried some
                sent = time.monotonic()
                refusals, following = self._protocol.checkin(self._engine_name, outcomes, 0 if uncertain else take, 0)
                for work in following:
                    self._handed_out_at[work["action"]["id"]] = sent
                return self._settled(outcomes, refusals, uncertain), following
            except DartApiError as e:
                # 409: the transaction collided with a concurrent one and was rolled back whole; send it again
                if not (e.retryable or e.status == 409) or attempt == _CHECKIN_ATTEMPTS:
                    LOG.error("check-in of %s refused: %s", ids, e)
                    return 0, []
                LOG.warning("check-in of %s failed, retrying: %s", ids, e)
            except OSError as e:
                uncertain = True
                if attempt == _CHECKIN_ATTEMPTS:
                    LOG.error("check-in of %s failed %d times, giving up: %s", ids, attempt, e)
                    return 0, []
                LOG.warning("check-in of %s failed, retrying: %s", ids, e)
            time.sleep(backoff.next())
        return 0, []

    def _settled(self, outcomes, refusals, uncertain):
        checked_in = 0
        for outcome, refusal in zip(outcomes, refusals):
            state = "SUCCESS" if outcome.success else "FAILURE"
            # an earlier attempt may have reached the server although its answer was lost
            if refusal is None or (uncertain and refusal.status == 400 and self._already_in(outcome.action_id)):
                LOG.info("action %s checked in %s", outcome.action_id, state)
                checked_in += 1
            else:
                LOG.error("action %s: check-in of %s refused: %s", outcome.action_id, state, refusal)
        return checked_in

    def _already_in(self, action_id):
        try:
            return self._protocol.action(action_id).get("data", {}).get("state") in _FINISHED_STATES
        except (DartApiError, OSError):
            return False

    # ---- stopping

    def release(self, reason):
        """Checks in as FAILURE every held run whose handler did not give up after being stopped, so the server
        retries or fails it now rather than after missing heartbeats. Answers how many were released."""
        runs = [run for run in self.held() if run.claim_checkin()]
        if not runs:
            return 0
        outcomes = [Outcome(run.action_id, "the action was released unfinished: " + reason, run.attempt)
                    for run in runs]
        try:
            refusals, _ = self._protocol.checkin(self._engine_name, outcomes, 0, 0)
        except (DartApiError, OSError) as e:
            LOG.error("releasing %s failed: %s", [o.action_id for o in outcomes], e)
            return 0
        self._drop(runs)
        return self._settled(outcomes, refusals, False)
