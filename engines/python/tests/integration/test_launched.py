"""Launched mode: the engine worker starts a Python process per action with DART_ACTION_ID; the process checks the
action out, runs it and checks it in, and what it prints becomes the action's logs."""
import os
import sys

from . import steps
from .support import ADMIN_KEY, API_URL, ServerTest, await_true, unique

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "src"))
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


class LaunchedTest(ServerTest):
    def test_each_action_runs_in_its_own_process_and_its_output_is_kept(self):
        name = unique("py_launched")
        # how an engine is launched is an operator's decision: only an admin key may set it
        launcher = {"type": "local_process", "command": [sys.executable, "-m", "tests.integration.steps"],
                    "environment": {"PYTHONPATH": os.pathsep.join([SRC, ROOT]), "DART_TEST_ENGINE": name}}
        engine = steps.build(name, api_url=API_URL, api_key=ADMIN_KEY,
                             launcher=launcher)
        engine.register()
        workflow = self.workflow(name, [
            {"name": "speak", "action_type_name": "shout", "args": {"words": "hello from python"}},
            {"name": "count", "action_type_name": "add", "args": {"numbers": [4]}}])
        instance, actions = self.run_to_end(workflow)
        self.assertEqual("COMPLETED", instance["data"]["state"], actions)
        self.assertEqual(40, actions[1]["data"]["extra_data"]["sum"])
        self.assertTrue(actions[0]["data"]["launch_handle"].startswith("pid:"), actions[0])

        lines = await_true("the launched process's output is kept", lambda: [
            (line["stream"], line["line"]) for line in self.admin.action_logs(actions[0]["id"])
            if "shout" in line["line"] or "stderr" in line["line"]])
        self.assertIn(("stdout", "shouting: hello from python"), lines)
        await_true("stderr too", lambda: ("stderr", "and to stderr") in [
            (line["stream"], line["line"]) for line in self.admin.action_logs(actions[0]["id"])])
        registered = self.admin.engines.find(name)
        self.assertEqual(launcher, registered["data"]["launcher"], "the launched process kept the launcher")
