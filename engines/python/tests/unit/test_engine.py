import threading
import time
import unittest

from dartmart import ActionContext, ActionStopped, DartApiError, Engine
from dartmart._backoff import Backoff
from dartmart._runner import Runner, message_of


def work(args=None, datastore_args=None):
    return {"engine": {"id": "E"}, "action": {"id": "A1", "data": {"action_type_name": "t", "args": args}},
            "datastore": None if datastore_args is None else {"id": "D", "data": {"args": datastore_args}},
            "parameters": {"day": "2026-12-01"}}


class EngineDeclarationTest(unittest.TestCase):
    def test_the_registration_lists_types_in_order_with_their_schemas(self):
        engine = Engine("my_engine", "does things", {"type": "object"}, api_url="http://h", api_key="k:s")

        @engine.action_type("second", "two", {"type": "object", "required": ["x"]})
        def second(ctx):
            pass

        engine.add_action_type("first", lambda ctx: None)
        self.assertEqual({
            "name": "my_engine", "description": "does things", "options_json_schema": {"type": "object"},
            "supported_action_types": [
                {"name": "second", "description": "two",
                 "params_json_schema": {"type": "object", "required": ["x"]}},
                {"name": "first", "description": None, "params_json_schema": None}]}, engine.registration)
        self.assertNotIn("launcher", engine.registration, "unset, the stored launcher is kept")
        self.assertIsNone(Engine("e", launcher=None).registration["launcher"], "None registers pull mode")

    def test_bad_declarations_are_refused(self):
        with self.assertRaises(ValueError):
            Engine("my engine")
        engine = Engine("e")
        engine.add_action_type("t", lambda ctx: None)
        with self.assertRaises(ValueError):
            engine.add_action_type("t", lambda ctx: None)
        with self.assertRaises(ValueError):
            engine.add_action_type("u", lambda ctx: None, params_schema=["not", "an", "object"])
        with self.assertRaises(ValueError):
            Engine("e", pull_batch=101)

    def test_the_api_is_read_from_the_environment_when_first_needed(self):
        engine = Engine("e", api_url="", api_key="k:s")
        with self.assertRaises(ValueError) as caught:
            engine.register()
        self.assertIn("DART_API_URL", str(caught.exception))


class ActionContextTest(unittest.TestCase):
    def test_the_work_package_is_read_as_the_handler_needs_it(self):
        ctx = ActionContext(None, work(None, {"region": "x"}))
        self.assertEqual(("A1", "t", {}, {"region": "x"}, {"day": "2026-12-01"}),
                         (ctx.action_id, ctx.action_type_name, ctx.args, ctx.datastore_args, ctx.parameters))
        self.assertIsNone(ActionContext(None, work()).datastore_args)
        with self.assertRaises(ValueError):
            ActionContext(None, {"action": {}})

    def test_sleep_ends_at_once_when_the_run_is_stopped(self):
        ctx = ActionContext(None, work())
        threading.Timer(0.05, ctx.stop, ["the engine is stopping"]).start()
        started = time.monotonic()
        with self.assertRaises(ActionStopped) as caught:
            ctx.sleep(30)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual("the engine is stopping", str(caught.exception))
        ctx.stop("another reason")
        self.assertEqual("the engine is stopping", ctx.stop_reason, "the first reason is kept")

    def test_one_caller_only_may_check_a_run_in(self):
        ctx = ActionContext(None, work())
        self.assertTrue(ctx.claim_checkin())
        self.assertFalse(ctx.claim_checkin())

    def test_progress_outside_zero_to_one_is_refused(self):
        with self.assertRaises(ValueError):
            ActionContext(None, work()).progress(1.5)


class _TakenBack:
    """The engine protocol as a server answers it once it took ``taken`` back from this engine (after the first
    handler ran): heartbeats for it are refused, and check-ins are recorded."""

    def __init__(self, taken):
        self.taken = taken
        self.first_ran = False
        self.checked_in = []

    def heartbeat(self, action_id, attempt, timeout):
        if self.first_ran and action_id == self.taken:
            raise DartApiError("PUT", "/engine/action/%s/heartbeat" % action_id, 400,
                               "action '%s' is QUEUED, not RUNNING" % action_id)

    def checkin(self, engine_name, outcomes, take, wait_seconds):
        self.checked_in.extend(outcomes)
        return [None] * len(outcomes), []


class _Unreachable:
    """The engine protocol while the server cannot be reached for heartbeats; check-ins are recorded."""

    def __init__(self):
        self.checked_in = []

    def heartbeat(self, action_id, attempt, timeout):
        raise DartApiError("PUT", "/engine/action/%s/heartbeat" % action_id, 503, "the database is restarting")

    def checkin(self, engine_name, outcomes, take, wait_seconds):
        self.checked_in.extend(outcomes)
        return [None] * len(outcomes), []


class _Superseded:
    """The engine protocol once the server counted this engine's attempt lost and handed the action out again:
    heartbeats of that attempt are refused with 409; heartbeats and check-ins are recorded."""

    def __init__(self, current_attempt):
        self.current_attempt = current_attempt
        self.beats = []
        self.checked_in = []

    def heartbeat(self, action_id, attempt, timeout):
        self.beats.append(attempt)
        if attempt != self.current_attempt:
            raise DartApiError("PUT", "/engine/action/%s/heartbeat" % action_id, 409,
                               "action '%s' is in attempt %d, not %d" % (action_id, self.current_attempt, attempt))

    def checkin(self, engine_name, outcomes, take, wait_seconds):
        self.checked_in.extend(outcomes)
        return [None] * len(outcomes), []


class RunnerTest(unittest.TestCase):
    def test_a_failures_message_is_the_exceptions_or_its_class(self):
        self.assertEqual("disk full", message_of(OSError("disk full")))
        self.assertEqual("KeyError", message_of(KeyError()))

    def test_an_action_that_waited_past_a_heartbeat_period_is_confirmed_before_it_starts(self):
        protocol = _TakenBack("A2")
        started = []

        def slow(ctx):
            started.append(ctx.action_id)
            time.sleep(0.3)
            protocol.first_ran = True

        runner = Runner(protocol, "e", {"slow": slow, "quick": lambda ctx: started.append(ctx.action_id)},
                        heartbeat_interval=0.1, checkin_backoff=(0.01, 0.1))
        first = {"action": {"id": "A1", "data": {"action_type_name": "slow"}}}
        second = {"action": {"id": "A2", "data": {"action_type_name": "quick"}}}
        runner.execute_all([runner.new_run(first), runner.new_run(second)], lambda: 0)
        self.assertEqual(["A1"], started, "a handler ran for an action the server had taken back")
        self.assertTrue(protocol.checked_in[1].error.startswith("the action was stopped before it started"),
                        protocol.checked_in[1].error)


    def _given_up(self, protocol, work):
        """Runs ``work`` with a handler that sleeps 30 s unless stopped; answers why it was stopped, after checking
        that it was stopped soon and not checked in."""
        stopped = []

        def slow(ctx):
            try:
                ctx.sleep(30)
            except ActionStopped as e:
                stopped.append(str(e))
                raise

        runner = Runner(protocol, "e", {"slow": slow}, heartbeat_interval=0.1, checkin_backoff=(0.01, 0.1))
        work["action"]["data"] = {"action_type_name": "slow"}
        started = time.monotonic()
        runner.execute_all([runner.new_run(work, time.monotonic())], lambda: 0)
        self.assertLess(time.monotonic() - started, 5, "given up, not by the 30 s sleep")
        self.assertEqual([], protocol.checked_in, "the given-up action was checked in")
        return stopped[0]

    def test_an_action_whose_heartbeats_fail_is_given_up_before_the_servers_timeout_and_not_checked_in(self):
        why = self._given_up(_Unreachable(), {"action": {"id": "CUT"}, "heartbeat_timeout_seconds": 0.6})
        self.assertIn("heartbeat timeout", why)


    def test_heartbeats_and_outcomes_name_their_attempt(self):
        protocol = _Superseded(current_attempt=3)

        def beating(ctx):
            deadline = time.monotonic() + 5
            while not protocol.beats and time.monotonic() < deadline:
                ctx.sleep(0.05)

        runner = Runner(protocol, "e", {"beating": beating}, heartbeat_interval=0.1, checkin_backoff=(0.01, 0.1))
        work = {"action": {"id": "A", "data": {"action_type_name": "beating"}}, "attempt": 3}
        runner.execute_all([runner.new_run(work, time.monotonic())], lambda: 0)
        self.assertEqual(3, protocol.beats[0])
        self.assertEqual({"action_id": "A", "attempt": 3, "state": "SUCCESS"}, protocol.checked_in[0].wire())

    def test_an_attempt_the_server_superseded_is_given_up_and_not_checked_in(self):
        why = self._given_up(_Superseded(current_attempt=2), {"action": {"id": "OLD"}, "attempt": 1})
        self.assertIn("handed the action out again", why)


class BackoffTest(unittest.TestCase):
    def test_delays_double_up_to_the_cap_with_jitter_below(self):
        top = Backoff(1.0, 5.0, rand=lambda: 0.999999)
        self.assertEqual([1, 2, 4, 5, 5], [round(top.next()) for _ in range(5)])
        bottom = Backoff(1.0, 5.0, rand=lambda: 0.0)
        self.assertEqual([0.5, 1.0, 2.0], [bottom.next() for _ in range(3)])
        bottom.reset()
        self.assertEqual(0.5, bottom.next())


if __name__ == "__main__":
    unittest.main()
