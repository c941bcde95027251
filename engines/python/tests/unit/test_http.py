import json
import threading
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from dartmart import Client, DartApiError, VersionConflict
from dartmart._http import error_message, query, server_of, Transport


class ServerOfTest(unittest.TestCase):
    def test_the_api_root_and_trailing_slashes_are_dropped(self):
        self.assertEqual("http://h:5000", server_of("http://h:5000/api/1/"))
        self.assertEqual("https://h/dart", server_of("https://h/dart/api/1"))
        self.assertEqual("http://h:5000", server_of("http://h:5000"))

    def test_a_url_that_is_not_absolute_http_is_refused(self):
        for bad in ("localhost:5000", "ftp://h", "http://h/?x=1", ""):
            with self.assertRaises(ValueError, msg=bad):
                server_of(bad)

    def test_a_key_with_spaces_is_refused_without_showing_it(self):
        with self.assertRaises(ValueError) as caught:
            Transport("http://h", "key: secret")
        self.assertNotIn("secret", str(caught.exception).replace("key:secret", ""))


class QueryTest(unittest.TestCase):
    def test_lists_are_json_and_none_is_left_out(self):
        self.assertEqual('?filters=%5B%22name+%3D+a+b%22%5D&limit=5',
                         query({"filters": ["name = a b"], "order_by": None, "limit": 5}))


class ErrorMessageTest(unittest.TestCase):
    def test_the_servers_error_message_is_taken(self):
        self.assertEqual("bad", error_message('{"results": "ERROR", "error_message": "bad"}'))

    def test_a_body_that_is_not_json_is_kept_shortened(self):
        self.assertEqual("<html>" + "x" * 494 + "...", error_message("<html>" + "x" * 1000))
        self.assertIsNone(error_message("  "))


class Recording(BaseHTTPRequestHandler):
    """Answers each request with what the test queued, and records what came."""

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append((self.command, self.path, dict(self.headers),
                                 json.loads(self.rfile.read(length)) if length else None))
        status, body = self.server.answers.pop(0)
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = do_PATCH = do_DELETE = _answer

    def log_message(self, *args):
        pass


class ClientOverHttpTest(unittest.TestCase):
    def setUp(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Recording)
        self.server.seen, self.server.answers = [], []
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.client = Client("http://127.0.0.1:%d/api/1" % self.server.server_port, "k:s")

    def tearDown(self):
        self.server.shutdown()
        self.server.server_close()

    def test_a_put_sends_the_version_read_and_a_409_is_a_version_conflict(self):
        self.server.answers.append((409, {"results": "ERROR", "error_message": "version_id 3 is stale"}))
        with self.assertRaises(VersionConflict) as caught:
            self.client.workflows.put({"id": "W1", "version_id": 3, "data": {"name": "n"}})
        self.assertEqual("version_id 3 is stale", caught.exception.error_message)
        method, path, headers, body = self.server.seen[0]
        self.assertEqual(("PUT", "/api/1/workflow/W1"), (method, path))
        self.assertEqual({"data": {"name": "n"}, "version_id": 3}, body)
        self.assertEqual("Bearer k:s", headers["Authorization"])

    def test_lists_page_until_the_total(self):
        self.server.answers += [(200, {"results": [{"id": "a"}, {"id": "b"}], "total": 3, "limit": 2, "offset": 0}),
                                (200, {"results": [{"id": "c"}], "total": 3, "limit": 2, "offset": 2})]
        got = [e["id"] for e in self.client.datasets.iterate(filters=["name ~ x"], page_size=2)]
        self.assertEqual(["a", "b", "c"], got)
        self.assertEqual(2, len(self.server.seen))
        self.assertIn("offset=2", self.server.seen[1][1])

    def test_an_error_carries_status_and_message(self):
        self.server.answers.append((400, {"results": "ERROR", "error_message": "/data/args: required"}))
        with self.assertRaises(DartApiError) as caught:
            self.client.actions.patch("A1", [{"op": "add", "path": "/data/progress", "value": 2}])
        self.assertEqual(400, caught.exception.status)
        self.assertFalse(caught.exception.retryable)
        self.assertEqual("application/json-patch+json", self.server.seen[0][2]["Content-Type"])

    def test_actions_are_created_under_a_parent_only(self):
        with self.assertRaises(ValueError):
            self.client.actions.create({"name": "x"})
        with self.assertRaises(ValueError):
            self.client.datasets.create({"name": "x"}, workflow_id="W")
        self.server.answers.append((200, {"results": [{"id": "A1"}]}))
        self.client.actions.create([{"name": "x"}], workflow_id="W 1")
        self.assertEqual("/api/1/workflow/W%201/action", self.server.seen[0][1])
        self.assertEqual([{"data": {"name": "x"}}], self.server.seen[0][3])


if __name__ == "__main__":
    unittest.main()
