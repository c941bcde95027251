"""What the integration tests share: the server the test command started (DART_API_URL, an admin key in
DART_ADMIN_KEY) and its S3 (DART_TEST_S3_*)."""
import os
import time
import unittest
import uuid

from dartmart import Client

API_URL = os.environ.get("DART_API_URL")
ADMIN_KEY = os.environ.get("DART_ADMIN_KEY")
RUN_DEADLINE = 60


def unique(prefix):
    return "%s_%s" % (prefix, uuid.uuid4().hex[:8])


def await_true(what, condition, timeout=RUN_DEADLINE, interval=0.1):
    """Waits until ``condition()`` answers something true, and answers it; fails naming ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("%s: not within %s s" % (what, timeout))
        time.sleep(interval)


class ServerTest(unittest.TestCase):
    """A test against the running server; skipped with a reason when the test command did not start one."""

    @classmethod
    def setUpClass(cls):
        if not API_URL or not ADMIN_KEY:
            raise unittest.SkipTest("DART_API_URL and DART_ADMIN_KEY are not set: run these through ./dart test")
        cls.admin = Client(API_URL, ADMIN_KEY)

    def workflow(self, engine_name, steps, datastore_args=None, state="TEMPLATE"):
        """A datastore of the engine (a TEMPLATE by default) and an ACTIVE workflow of ``steps`` on it."""
        datastore = self.admin.datastores.create({"name": unique("ds"), "engine_name": engine_name, "state": state,
                                                  "args": datastore_args or {}})
        workflow = self.admin.workflows.create({"name": unique("wf"), "state": "ACTIVE"},
                                               datastore_id=datastore["id"])
        self.admin.actions.create(steps, workflow_id=workflow["id"])
        return workflow["id"]

    def await_action(self, action_id, state):
        """Waits until the action is in ``state``, and answers it."""
        def now():
            action = self.admin.actions.get(action_id)
            return action if action["data"]["state"] == state else None
        return await_true("action %s is %s" % (action_id, state), now)

    def run_to_end(self, workflow_id, parameters=None):
        """Runs the workflow and answers (its instance once ended, its actions in step order)."""
        instance = self.admin.run_workflow(workflow_id, parameters)
        ended = self.admin.await_run(instance["id"], RUN_DEADLINE)
        return ended, self.admin.run_actions(instance["id"])
