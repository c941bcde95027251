"""The ``main`` of an engine process, in its two modes, as the Java SDK's EngineProcess: with ``DART_ACTION_ID`` set,
run that one launched action; otherwise run pull workers until SIGTERM or Ctrl-C. Both register first."""
import logging
import os
import signal
import sys
import threading
import time

from .errors import DartApiError

LOG = logging.getLogger("dartmart.engine")
_STOPPING = "the engine is stopping"


def register(engine, attempts):
    """Registers, retrying while the API cannot be reached or answers 5xx; False when it never succeeded."""
    delay = 1.0
    for attempt in range(1, attempts + 1):
        try:
            engine.register()
            return True
        except DartApiError as e:
            if not e.retryable or attempt == attempts:
                LOG.error("registering %s failed: %s", engine.name, e)
                return False
            LOG.warning("registering %s failed, retrying in %.0f s: %s", engine.name, delay, e)
        except OSError as e:
            if attempt == attempts:
                LOG.error("registering %s failed: %s", engine.name, e)
                return False
            LOG.warning("registering %s failed, retrying in %.0f s: %s", engine.name, delay, e)
        time.sleep(delay)
        delay = min(delay * 2, 30.0)
    return False


def _on_stop_signals(callback):
    """Calls ``callback`` (once) on SIGTERM or SIGINT; answers an Event set when one came."""
    came = threading.Event()

    def handle(signum, _frame):
        if not came.is_set():
            came.set()
            LOG.info("signal %d: stopping", signum)
            callback()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return came


def run_pull_workers(engine, workers):
    """Registers, starts ``workers`` pull workers and blocks until SIGTERM or SIGINT, then closes them (see
    ``PullWorkers.close``). Answers the exit code: 1 at once when registration failed, else 0."""
    if not register(engine, 10):
        print("%s: registration failed; see the log" % engine.name, file=sys.stderr)
        return 1
    pool = engine.start_pull_workers(workers)
    came = _on_stop_signals(lambda: None)
    came.wait()
    pool.close()
    return 0


def run_launched(engine, action_id):
    """Launched mode: registers (a failure is logged but does not strand the action), then checks out, runs and
    checks in ``action_id``. On SIGTERM the handler gets the shutdown grace, is then stopped, and its action is
    released (checked in as FAILURE) when it has not returned ``stop_wait`` seconds later. Answers the exit code:
    0 when the outcome was checked in, else 1."""
    register(engine, 3)

    def stop_later():
        time.sleep(engine.shutdown_grace)
        engine.stop_launched(_STOPPING)
        time.sleep(engine.stop_wait)
        if engine.release_launched(_STOPPING):
            os._exit(1)

    _on_stop_signals(lambda: threading.Thread(target=stop_later, daemon=True, name="dart-stop").start())
    try:
        return 0 if engine.run_launched(action_id) else 1
    except (DartApiError, OSError) as e:
        LOG.error("action %s could not be checked out: %s", action_id, e)
        print("%s: action %s could not be checked out: %s" % (engine.name, action_id, e), file=sys.stderr)
        return 1


def main(engine, workers=None):
    """Runs ``engine`` as its process's ``main`` and exits with its code: ``DART_ACTION_ID`` set runs that launched
    action; otherwise ``workers`` (default ``DART_ENGINE_WORKERS``, else 2) pull workers until SIGTERM or Ctrl-C.
    The API is ``DART_API_URL`` and ``DART_API_KEY`` unless the engine was given others."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(threadName)s %(message)s")
    action_id = os.environ.get("DART_ACTION_ID", "").strip()
    try:
        engine.protocol
        if workers is None:
            workers = int(os.environ.get("DART_ENGINE_WORKERS", "2"))
        if not 1 <= workers <= 64:
            raise ValueError("DART_ENGINE_WORKERS must be 1 to 64, got %d" % workers)
    except ValueError as e:
        print("%s: %s" % (engine.name, e), file=sys.stderr)
        sys.exit(2)
    sys.exit(run_launched(engine, action_id) if action_id else run_pull_workers(engine, workers))
