"""An example dart engine in Python: profiles CSV files in S3 (rows, and per column how many values are empty,
distinct, numeric, and the numeric minimum, maximum and mean), with no library beyond Python's own.

    DART_API_URL=http://localhost:5000 DART_API_KEY=key:secret python3 -m dartmart.examples.csv_profiler

Action types:
  profile_csv           every object under ``s3_path`` whose key ends with ``suffix``
  consume_subscription  the files of the action's subscription elements (a batch of a dataset's new files)
Each writes the profile to the action's ``extra_data`` (and to ``output_s3_path`` as JSON when set). The datastore
says where S3 is (``endpoint``, ``region``) and how to sign (``access_key_id``, ``secret_access_key``, a secret);
unset, ``DART_S3_ENDPOINT``, ``AWS_REGION``, ``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY`` apply.
"""
import csv
import io
import json
import os

from dartmart import Engine
from dartmart.examples.s3 import S3, split_s3_path
from dartmart.process import main as run_engine

NAME = "python_csv_profiler"
# per column, distinct values are counted up to this many: the memory a profile takes stays bounded
MAX_DISTINCT = 1000

OPTIONS_SCHEMA = {
    "type": "object",
    "properties": {
        "endpoint": {"type": "string", "pattern": "^https?://", "description": "An S3-compatible endpoint"},
        "region": {"type": "string", "default": "us-east-1"},
        "access_key_id": {"type": "string"},
        "secret_access_key": {"type": "string", "x-dart-secret": True},
    },
    "additionalProperties": False,
}
COMMON_ARGS = {
    "delimiter": {"type": "string", "minLength": 1, "maxLength": 1, "default": ","},
    "max_rows": {"type": "integer", "minimum": 1, "maximum": 10000000, "default": 1000000,
                 "description": "Rows read per file at most"},
    "output_s3_path": {"type": "string", "pattern": "^s3://.+/.+$", "description": "Where to write the profile"},
}

class ColumnProfile:
    def __init__(self):
        self.empty = 0
        self.numeric = 0
        self.total = 0.0
        self.minimum = None
        self.maximum = None
        self.distinct = set()
        self.distinct_capped = False

    def add(self, value):
        if value == "":
            self.empty += 1
            return
        if len(self.distinct) < MAX_DISTINCT:
            self.distinct.add(value)
        elif value not in self.distinct:
            self.distinct_capped = True
        try:
            number = float(value)
        except ValueError:
            return
        if number != number or number in (float("inf"), float("-inf")):
            return
        self.numeric += 1
        self.total += number
        self.minimum = number if self.minimum is None else min(self.minimum, number)
        self.maximum = number if self.maximum is None else max(self.maximum, number)

    def summary(self):
        out = {"empty": self.empty, "distinct": len(self.distinct), "distinct_capped": self.distinct_capped,
               "numeric": self.numeric}
        if self.numeric:
            out.update(min=self.minimum, max=self.maximum, mean=self.total / self.numeric)
        return out


def profile_csv(text_lines, delimiter=",", max_rows=1000000):
    """Profiles CSV text whose first row is the header: ``{"rows", "truncated", "columns": {name: {...}}}``."""
    reader = csv.reader(text_lines, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        return {"rows": 0, "truncated": False, "columns": {}}
    columns = [ColumnProfile() for _ in header]
    rows = 0
    truncated = False
    for row in reader:
        if rows >= max_rows:
            truncated = True
            break
        rows += 1
        for i, column in enumerate(columns):
            column.add(row[i] if i < len(row) else "")
    return {"rows": rows, "truncated": truncated,
            "columns": {name: c.summary() for name, c in zip(header, columns)}}


def s3_of(ctx):
    options = ctx.datastore_args or {}
    return S3(options.get("endpoint") or os.environ.get("DART_S3_ENDPOINT"),
              options.get("region") or os.environ.get("AWS_REGION", "us-east-1"),
              options.get("access_key_id") or os.environ.get("AWS_ACCESS_KEY_ID"),
              options.get("secret_access_key") or os.environ.get("AWS_SECRET_ACCESS_KEY"))


def profile_files(ctx, s3_paths):
    """Profiles each file, reporting progress after each; stores the profiles as the action's extra_data."""
    s3 = s3_of(ctx)
    profiles = {}
    for done, s3_path in enumerate(s3_paths, start=1):
        ctx.raise_if_stopped()
        bucket, key = split_s3_path(s3_path)
        with s3.open(bucket, key) as body:
            profiles[s3_path] = profile_csv(io.TextIOWrapper(body, encoding="utf-8", newline=""),
                                            ctx.args["delimiter"], ctx.args["max_rows"])
        ctx.progress(done / len(s3_paths))
    if not profiles:
        raise ValueError("no CSV file to profile")
    result = {"files": profiles}
    ctx.extra_data(result)
    if ctx.args.get("output_s3_path"):
        bucket, key = split_s3_path(ctx.args["output_s3_path"])
        s3.put(bucket, key, json.dumps(result, indent=2).encode("utf-8"))


def profile_prefix(ctx):
    bucket, prefix = split_s3_path(ctx.args["s3_path"])
    keys = [key for key, _ in s3_of(ctx).list(bucket, prefix) if key.endswith(ctx.args["suffix"])]
    if not keys:
        raise ValueError("no object under %s ends with %s" % (ctx.args["s3_path"], ctx.args["suffix"]))
    profile_files(ctx, ["s3://%s/%s" % (bucket, key) for key in keys])


def profile_subscription(ctx):
    profile_files(ctx, [e["data"]["s3_path"] for e in ctx.subscription_elements()])


def build(**settings):
    """The engine; ``settings`` are ``Engine``'s keyword arguments (``api_url``, ``api_key``, tuning)."""
    engine = Engine(NAME, "Profiles CSV files in S3 (an example engine written in Python)", OPTIONS_SCHEMA,
                    **settings)
    engine.add_action_type("profile_csv", profile_prefix, "Profiles every CSV file under an S3 prefix", {
        "type": "object",
        "properties": dict(COMMON_ARGS, s3_path={"type": "string", "pattern": "^s3://.+/"},
                           suffix={"type": "string", "default": ".csv"}),
        "required": ["s3_path"],
        "additionalProperties": False,
    })
    engine.add_action_type("consume_subscription", profile_subscription,
                           "Profiles the files of the subscription elements given to the action", {
                               "type": "object",
                               "properties": dict(COMMON_ARGS, subscription_id={"type": "string"}),
                               "required": ["subscription_id"],
                               "additionalProperties": False,
                           })
    return engine


def main():
    run_engine(build())


if __name__ == "__main__":
    main()
