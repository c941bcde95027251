"""Pull-mode workers: each thread long-polls ``POST /engine/{name}/action/checkins`` for up to a batch of actions,
runs them one after the other and checks them in with one request that also takes the next batch. Failures to reach
the API back off (capped, exponential); nothing spins."""
import logging
import threading
import time

from ._backoff import Backoff
from ._http import Abort
from ._protocol import Outcome
from .errors import DartApiError

LOG = logging.getLogger("dartmart.engine")
# an empty poll answered sooner than this (a server or proxy that does not hold polls) counts as a failure
_MIN_EMPTY_POLL = 0.5
_STOPPING = "the engine is stopping"


class PullWorkers:
    """The pull-mode worker threads of an engine, from ``Engine.start_pull_workers``. ``close()`` stops them."""

    def __init__(self, engine, runner):
        """Takes the engine's connection, name and tuning (poll wait, batch, back-off, shutdown grace, stop wait)."""
        self._engine = engine
        self._protocol = engine.protocol
        self._runner = runner
        self._engine_name = engine.name
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._closed = False
        self._threads = []
        self._polls = []

    def start(self, n):
        for i in range(1, n + 1):
            abort = Abort()
            thread = threading.Thread(target=self._work, args=(abort,), daemon=True,
                                      name="dart-%s-worker-%d" % (self._engine_name, i))
            self._polls.append(abort)
            self._threads.append(thread)
        for thread in self._threads:
            thread.start()
        LOG.info("engine %s: %d pull worker(s) started against %s", self._engine_name, n,
                 self._protocol.transport.server)
        return self

    def __len__(self):
        return len(self._threads)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def busy(self):
        """How many actions the engine holds right now."""
        return len(self._runner.held())

    def close(self):
        """Stops the workers: polls in flight are abandoned at once and no new action is taken; actions being worked
        on get the shutdown grace to finish and check in, then are stopped (``ActionContext.sleep`` raises) and
        checked in as FAILURE; a handler that still has not returned after ``stop_wait`` more seconds has its action
        released (checked in as FAILURE by this call). Idempotent.

        A poll abandoned at the very moment the server hands it an action leaves that action RUNNING with nobody on
        it; the server's lost-work detection (missing heartbeats) takes it back."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stopping.set()
        for abort in self._polls:
            abort.abort()
        if not self._join(self._engine.shutdown_grace):
            for run in reversed(self._runner.held()):
                run.stop(_STOPPING)
            if not self._join(self._engine.stop_wait):
                released = self._runner.release(_STOPPING)
                LOG.warning("engine %s: %d handler(s) did not stop in time; %d action(s) released",
                            self._engine_name, sum(t.is_alive() for t in self._threads), released)
        LOG.info("engine %s: pull workers stopped", self._engine_name)

    def _join(self, timeout):
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(max(deadline - time.monotonic(), 0))
        return not any(t.is_alive() for t in self._threads if t is not threading.current_thread())

    def _work(self, abort):
        backoff = Backoff(*self._engine.backoff)
        batch = self._engine.pull_batch
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                _, work = self._protocol.checkin(self._engine_name, [], batch, self._engine.poll_wait_seconds,
                                                 abort=abort)
            except (DartApiError, OSError) as e:
                if self._stopping.is_set():
                    return
                delay = backoff.next()
                LOG.warning("engine %s: polling failed (%s); retrying in %.1f s", self._engine_name, e, delay)
                self._stopping.wait(delay)
                continue
            if not work:
                if time.monotonic() - started >= _MIN_EMPTY_POLL:
                    backoff.reset()
                else:
                    self._stopping.wait(backoff.next())
                continue
            backoff.reset()
            while work:
                if self._stopping.is_set():
                    self._give_back(work)
                    return
                runs = [self._runner.new_run(w, started) for w in work]
                started = None   # the next batch comes from a check-in of the runner, which knows when it was sent
                _, work = self._runner.execute_all(runs, lambda: 0 if self._stopping.is_set() else batch)

    def _give_back(self, work):
        """Checks in as FAILURE actions taken while the pool began to close, so they are retried at once."""
        outcomes = [Outcome(w["action"]["id"], "the action was released unstarted: " + _STOPPING, w.get("attempt"))
                    for w in work]
        try:
            self._protocol.checkin(self._engine_name, outcomes, 0, 0)
        except (DartApiError, OSError) as e:
            LOG.error("releasing %s failed: %s", [o.action_id for o in outcomes], e)
