"""SIGTERM stops a Python engine process gracefully: idle polls end, a handler that listens is stopped and checked
in, one that does not is released, and the process exits."""
import os
import signal
import subprocess
import sys

from . import steps
from .support import ADMIN_KEY, API_URL, ServerTest, await_true, unique
from .test_launched import ROOT, SRC


class SigtermTest(ServerTest):
    def test_sigterm_mid_action_checks_in_or_releases_what_the_process_holds(self):
        name = unique("py_sigterm")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([SRC, ROOT]), DART_TEST_ENGINE=name, DART_API_URL=API_URL,
                   DART_API_KEY=self.admin.create_engine_key("s@example.com", name), DART_ENGINE_WORKERS="3",
                   DART_TEST_GRACE="0.5", DART_TEST_STOP_WAIT="1")
        env.pop("DART_ACTION_ID", None)
        process = subprocess.Popen([sys.executable, "-m", "tests.integration.steps"], env=env, cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            await_true("the engine registered", lambda: self.admin.engines.find(name))
            datastore = self.admin.datastores.create({"name": unique("ds"), "engine_name": name, "state": "INACTIVE",
                                                      "concurrency": 2, "args": {}})
            ids = [a["id"] for a in self.admin.actions.create(
                [{"name": t, "action_type_name": t, "args": {"seconds": 60}} for t in ("sleep", "stubborn")],
                datastore_id=datastore["id"])]
            for i in ids:
                self.admin.actions.patch(i, [{"op": "replace", "path": "/data/state", "value": "QUEUED"}])
            self.admin.datastores.patch(datastore["id"], [{"op": "replace", "path": "/data/state", "value": "ACTIVE"}])
            for i in ids:
                self.await_action(i, "RUNNING")
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        self.assertEqual(0, process.returncode, output)
        sleeping, stubborn = (self.admin.actions.get(i)["data"] for i in ids)
        self.assertEqual("FAILED", sleeping["state"])
        self.assertEqual("the action was stopped before it finished: the engine is stopping",
                         sleeping["error_message"])
        self.assertEqual("FAILED", stubborn["state"])
        self.assertEqual("the action was released unfinished: the engine is stopping", stubborn["error_message"])

    def test_sigterm_stops_a_launched_action_and_checks_it_in(self):
        name = unique("py_launched_stop")
        launcher = {"type": "local_process", "command": [sys.executable, "-m", "tests.integration.steps"],
                    "environment": {"PYTHONPATH": os.pathsep.join([SRC, ROOT]), "DART_TEST_ENGINE": name,
                                    "DART_TEST_GRACE": "0.5"}}
        steps.build(name, api_url=API_URL, api_key=ADMIN_KEY,
                    launcher=launcher).register()
        datastore = self.admin.datastores.create({"name": unique("ds"), "engine_name": name, "state": "ACTIVE",
                                                  "args": {}})
        # the platform queues an ad-hoc action on an ACTIVE datastore by itself
        action = self.admin.actions.create([{"name": "long", "action_type_name": "sleep", "args": {"seconds": 60}}],
                                           datastore_id=datastore["id"])[0]
        running = self.await_action(action["id"], "RUNNING")
        os.kill(int(running["data"]["launch_handle"][len("pid:"):]), signal.SIGTERM)
        ended = self.await_action(action["id"], "FAILED")
        self.assertEqual("the action was stopped before it finished: the engine is stopping",
                         ended["data"]["error_message"])
