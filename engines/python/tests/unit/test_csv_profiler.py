import datetime
import unittest

from dartmart.examples.csv_profiler import MAX_DISTINCT, build, profile_csv
from dartmart.examples.s3 import sign, split_s3_path


class ProfileTest(unittest.TestCase):
    def test_columns_are_counted_and_numbers_summarised(self):
        profile = profile_csv(["id,amount,city\n", "1,10,Paris\n", "2,,Lyon\n", "3,20.5,Paris\n"])
        self.assertEqual(3, profile["rows"])
        self.assertEqual({"empty": 1, "distinct": 2, "distinct_capped": False, "numeric": 2,
                          "min": 10.0, "max": 20.5, "mean": 15.25}, profile["columns"]["amount"])
        self.assertEqual({"empty": 0, "distinct": 2, "distinct_capped": False, "numeric": 0},
                         profile["columns"]["city"])

    def test_short_rows_count_as_empty_and_rows_past_the_limit_are_not_read(self):
        profile = profile_csv(["a;b", "1", "2;3", "4;5"], delimiter=";", max_rows=2)
        self.assertEqual((2, True), (profile["rows"], profile["truncated"]))
        self.assertEqual(1, profile["columns"]["b"]["empty"])

    def test_distinct_values_are_counted_up_to_a_cap(self):
        profile = profile_csv(["v"] + [str(i) for i in range(MAX_DISTINCT + 5)])
        self.assertEqual((MAX_DISTINCT, True), (profile["columns"]["v"]["distinct"],
                                                profile["columns"]["v"]["distinct_capped"]))

    def test_an_empty_file_has_no_columns(self):
        self.assertEqual({"rows": 0, "truncated": False, "columns": {}}, profile_csv([]))

    def test_the_engine_registers_its_two_types_and_a_secret_option(self):
        registration = build().registration
        self.assertEqual(["profile_csv", "consume_subscription"],
                         [t["name"] for t in registration["supported_action_types"]])
        self.assertTrue(registration["options_json_schema"]["properties"]["secret_access_key"]["x-dart-secret"])


class SigV4Test(unittest.TestCase):
    def test_the_aws_documentation_example_signs_the_same(self):
        # "Example: GET Object" of the AWS S3 Signature Version 4 documentation
        authorization, _ = sign(
            "GET", "examplebucket.s3.amazonaws.com", "/test.txt", {}, {"Range": "bytes=0-9"},
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "us-east-1",
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            datetime.datetime(2013, 5, 24, tzinfo=datetime.timezone.utc))
        self.assertEqual(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41", authorization)

    def test_s3_paths_split_into_bucket_and_key(self):
        self.assertEqual(("b", "a/c.csv"), split_s3_path("s3://b/a/c.csv"))
        with self.assertRaises(ValueError):
            split_s3_path("/b/a")


if __name__ == "__main__":
    unittest.main()
