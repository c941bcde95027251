"""Pull workers of a Python engine take the steps of real runs, in order, and check them in."""
from dartmart import DartApiError, Engine

from . import steps
from .support import API_URL, ServerTest, unique


class PullWorkersTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.name = unique("py_steps")
        cls.key = cls.admin.create_engine_key("py@example.com", cls.name)
        cls.engine = steps.build(cls.name, api_url=API_URL, api_key=cls.key, launcher=None, poll_wait_seconds=5,
                                 heartbeat_interval=0.2, pull_batch=2)
        cls.engine.register()
        cls.workers = cls.engine.start_pull_workers(2)

    @classmethod
    def tearDownClass(cls):
        cls.workers.close()

    def test_registering_again_updates_the_one_registration(self):
        again = steps.build(self.name, api_url=API_URL, api_key=self.key)
        again.description = "described anew"
        again.register()
        found = list(self.admin.engines.iterate(filters=["name = " + self.name]))
        self.assertEqual(1, len(found))
        self.assertEqual("described anew", found[0]["data"]["description"])
        self.assertEqual(["add", "fail", "sleep", "stubborn", "shout"],
                         [t["name"] for t in found[0]["data"]["supported_action_types"]])
        self.assertIsNone(found[0]["data"]["launcher"], "a registration that sets no launcher keeps the stored one")

    def test_another_engines_key_cannot_register_it(self):
        other = Engine(self.name, api_url=API_URL, api_key=self.admin.create_engine_key("x@example.com", "other"))
        with self.assertRaises(DartApiError) as caught:
            other.register()
        self.assertEqual(403, caught.exception.status)
        self.assertTrue(caught.exception.error_message)

    def test_a_workflow_of_python_steps_completes_with_args_defaults_secrets_and_parameters(self):
        workflow = self.workflow(self.name, [
            {"name": "first", "action_type_name": "add", "args": {"numbers": [1, 2]}},
            {"name": "second", "action_type_name": "add", "args": {"numbers": [3], "label": "total"}}],
            {"token": "s3cr3t"})
        instance, actions = self.run_to_end(workflow, {"day": "2026-12-03"})
        self.assertEqual("COMPLETED", instance["data"]["state"], actions)
        self.assertEqual(["COMPLETED", "COMPLETED"], [a["data"]["state"] for a in actions])
        first, second = (a["data"] for a in actions)
        self.assertEqual({"sum": 30, "token": "s3cr3t", "parameters": {"day": "2026-12-03"}}, first["extra_data"],
                         "the handler got the label's default, the secret in clear and the run's parameters")
        self.assertEqual(30, second["extra_data"]["total"])
        self.assertEqual(1, first["progress"])
        self.assertLessEqual(first["end_time"], second["start_time"], "steps run in order")

    def test_a_failing_step_fails_the_run_with_the_exceptions_message(self):
        workflow = self.workflow(self.name, [
            {"name": "breaks", "action_type_name": "fail", "args": {"why": "the input is empty"}},
            {"name": "never", "action_type_name": "add", "args": {"numbers": [1]}}])
        instance, actions = self.run_to_end(workflow)
        self.assertEqual("FAILED", instance["data"]["state"])
        self.assertEqual(["FAILED", "SKIPPED"], [a["data"]["state"] for a in actions])
        self.assertEqual("asked to fail: the input is empty", actions[0]["data"]["error_message"])

    def test_workers_take_actions_in_batches_and_check_them_in_together(self):
        # created INACTIVE, queued by hand, then activated: the platform itself queues ad-hoc actions one at a time
        datastore = self.admin.datastores.create({"name": unique("ds"), "engine_name": self.name, "state": "INACTIVE",
                                                  "concurrency": 4, "args": {}})
        actions = self.admin.actions.create([{"name": "n%d" % i, "action_type_name": "add", "args": {"numbers": [i]}}
                                             for i in range(6)], datastore_id=datastore["id"])
        for action in actions:
            self.admin.actions.patch(action["id"], [{"op": "replace", "path": "/data/state", "value": "QUEUED"}])
        self.admin.datastores.patch(datastore["id"], [{"op": "replace", "path": "/data/state", "value": "ACTIVE"}])
        done = [self.await_action(a["id"], "COMPLETED")["data"]["extra_data"]["sum"] for a in actions]
        self.assertEqual([i * 10 for i in range(6)], done)
