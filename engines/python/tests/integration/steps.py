"""The engine the integration tests run: small Python steps. Its name is DART_TEST_ENGINE; run as a process (pull
workers, or one launched action) with ``python3 -m tests.integration.steps``."""
import os
import sys
import time

from dartmart import Engine
from dartmart.process import main

OPTIONS = {"type": "object", "properties": {"token": {"type": "string", "x-dart-secret": True},
                                            "factor": {"type": "integer", "default": 10}}}


def build(name, **tuning):
    engine = Engine(name, "Python steps for the integration tests", OPTIONS, **tuning)

    @engine.action_type("add", "adds its numbers, times the datastore's factor", {
        "type": "object",
        "properties": {"numbers": {"type": "array", "items": {"type": "number"}},
                       "label": {"type": "string", "default": "sum"}},
        "required": ["numbers"]})
    def add(ctx):
        ctx.progress(0.5)
        ctx.extra_data({ctx.args["label"]: sum(ctx.args["numbers"]) * ctx.datastore_args["factor"],
                        "token": ctx.datastore_args.get("token"), "parameters": ctx.parameters})
        ctx.progress(1)

    @engine.action_type("fail", "fails with its message", {"type": "object"})
    def fail(ctx):
        raise ValueError("asked to fail: %s" % ctx.args.get("why", "no reason"))

    @engine.action_type("sleep", "sleeps, giving up when stopped", {"type": "object"})
    def sleep(ctx):
        ctx.sleep(ctx.args.get("seconds", 60))

    @engine.action_type("stubborn", "sleeps without listening to a stop", {"type": "object"})
    def stubborn(ctx):
        time.sleep(ctx.args.get("seconds", 60))

    @engine.action_type("shout", "prints its words", {"type": "object"})
    def shout(ctx):
        print("shouting: %s" % ctx.args.get("words"), flush=True)
        print("and to stderr", file=sys.stderr, flush=True)

    return engine


if __name__ == "__main__":
    main(build(os.environ["DART_TEST_ENGINE"], shutdown_grace=float(os.environ.get("DART_TEST_GRACE", "30")),
               stop_wait=float(os.environ.get("DART_TEST_STOP_WAIT", "10")), poll_wait_seconds=5))
