"""The example engine against the server's S3: profiles a prefix, and the files of a subscription's elements as a
consume_subscription step, which consumes them."""
import json
import os

from dartmart import ActionContext
from dartmart._protocol import Protocol
from dartmart.examples import csv_profiler
from dartmart.examples.s3 import S3

from .support import API_URL, ServerTest, await_true, unique

S3_SETTINGS = {"endpoint": os.environ.get("DART_TEST_S3_ENDPOINT"), "region": "us-east-1",
               "access_key_id": os.environ.get("DART_TEST_S3_ACCESS_KEY"),
               "secret_access_key": os.environ.get("DART_TEST_S3_SECRET_KEY")}
BUCKET = os.environ.get("DART_TEST_S3_BUCKET")


class CsvProfilerTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        engine = csv_profiler.build(api_url=API_URL, poll_wait_seconds=5,
                                    api_key=cls.admin.create_engine_key("csv@example.com", csv_profiler.NAME))
        engine.register()
        cls.workers = engine.start_pull_workers(1)
        cls.s3 = S3(S3_SETTINGS["endpoint"], "us-east-1", S3_SETTINGS["access_key_id"],
                    S3_SETTINGS["secret_access_key"])

    @classmethod
    def tearDownClass(cls):
        cls.workers.close()

    def test_a_consume_subscription_step_profiles_the_new_files_page_by_page_and_consumes_them(self):
        folder = unique("orders")
        for i in range(3):
            self.s3.put(BUCKET, "%s/in/%d.csv" % (folder, i), b"id,amount\n1,10\n2,%d\n" % (20 + i))
        dataset = self.admin.datasets.create({"name": unique("orders"), "location": "s3://%s/%s/in/" % (BUCKET, folder),
                                              "data_format": {"file_format": "TEXTFILE", "row_format": "DELIMITED",
                                                              "delimited_by": ",", "num_header_rows": 1}})
        subscription = self.admin.subscriptions.create({"name": "new orders"}, dataset_id=dataset["id"])
        await_true("the subscription listed the files", lambda: self.admin.subscriptions.get(
            subscription["id"])["data"]["state"] == "ACTIVE")
        output = "s3://%s/%s/profile.json" % (BUCKET, folder)
        workflow = self.workflow(csv_profiler.NAME, [
            {"name": "profile new", "action_type_name": "consume_subscription",
             "args": {"subscription_id": subscription["id"]}},
            {"name": "profile all", "action_type_name": "profile_csv",
             "args": {"s3_path": "s3://%s/%s/in/" % (BUCKET, folder), "output_s3_path": output}}], S3_SETTINGS)

        instance, actions = self.run_to_end(workflow)
        self.assertEqual("COMPLETED", instance["data"]["state"], actions)
        profiles = actions[0]["data"]["extra_data"]["files"]
        self.assertEqual(["s3://%s/%s/in/%d.csv" % (BUCKET, folder, i) for i in range(3)], sorted(profiles))
        self.assertEqual({"empty": 0, "distinct": 2, "distinct_capped": False, "numeric": 2, "min": 10.0,
                          "max": 22.0, "mean": 16.0}, profiles["s3://%s/%s/in/2.csv" % (BUCKET, folder)]
                         ["columns"]["amount"])
        self.assertEqual(["CONSUMED"] * 3, [e["data"]["state"] for e in self.admin.subscription_elements(
            subscription["id"])])
        paged = ActionContext(Protocol(self.admin.transport), {"action": actions[0]})
        self.assertEqual(sorted(profiles), sorted(e["data"]["s3_path"] for e in paged.subscription_elements(2)),
                         "the elements read two at a time are the ones the engine read")
        with self.s3.open(BUCKET, "%s/profile.json" % folder) as body:
            self.assertEqual(actions[1]["data"]["extra_data"], json.load(body))
        self.assertEqual("********", self.admin.datastores.get(actions[0]["data"]["datastore_id"])
                         ["data"]["args"]["secret_access_key"], "the secret is stored hidden")

    def test_an_empty_prefix_fails_saying_what_was_looked_for(self):
        workflow = self.workflow(csv_profiler.NAME, [
            {"name": "nothing", "action_type_name": "profile_csv",
             "args": {"s3_path": "s3://%s/%s/" % (BUCKET, unique("nothing"))}}], S3_SETTINGS)
        instance, actions = self.run_to_end(workflow)
        self.assertEqual("FAILED", instance["data"]["state"])
        self.assertRegex(actions[0]["data"]["error_message"], r"^no object under s3://.+ ends with \.csv$")
