"""The one way the SDK and the client talk to the API: JSON over HTTP/1.1, ``Authorization: Bearer key:secret``.

Answers are parsed JSON; error statuses become ``DartApiError`` with the server's ``error_message``; transport
failures stay ``OSError``. Nothing here is public API.
"""
import http.client
import json
import os
import re
import socket
import threading
import urllib.parse

from .errors import DartApiError, VersionConflict

API_ROOT = "/api/1"
JSON = "application/json"
JSON_PATCH = "application/json-patch+json"
_MAX_ERROR_TEXT = 500
_KEY_PATTERN = re.compile(r"^\S+$")


def server_of(api_url):
    """The server's root URL (scheme, host, port and any path before ``/api/1``), without a trailing slash."""
    if not api_url:
        raise ValueError("the API URL is missing: pass api_url or set DART_API_URL")
    parts = urllib.parse.urlsplit(api_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("the API URL must be an absolute http(s) URL such as http://localhost:5000, got %r"
                         % api_url)
    if parts.query or parts.fragment:
        raise ValueError("the API URL must have no query or fragment, got %r" % api_url)
    path = parts.path.rstrip("/")
    if path.endswith(API_ROOT):
        path = path[:-len(API_ROOT)]
    return "%s://%s%s" % (parts.scheme, parts.netloc, path)


def check_key(api_key):
    """Checks that a key is there and is one token, without ever putting it in a message."""
    if not api_key:
        raise ValueError("the API key is missing: pass api_key or set DART_API_KEY (key:secret)")
    if not _KEY_PATTERN.match(api_key):
        raise ValueError("the API key must be one token such as key:secret, without spaces")
    return api_key


def segment(value):
    """A URL path segment: ids and names are plain, but nothing a caller passes may change the path."""
    if not value:
        raise ValueError("an id or name is missing")
    return urllib.parse.quote(str(value), safe="")


def query(params):
    """A query string from a dict; lists and dicts (filters, order_by) are sent as JSON, None values are left out."""
    pairs = []
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, (list, dict)):
            value = json.dumps(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((name, str(value)))
    return "?" + urllib.parse.urlencode(pairs) if pairs else ""


def error_message(text):
    """The message of an error body: its ``error_message``, else the body itself (shortened), else None."""
    if not text or not text.strip():
        return None
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("error_message", "message"):
            if isinstance(body.get(key), str):
                return body[key]
        errors = (body.get("_embedded") or {}).get("errors") if isinstance(body.get("_embedded"), dict) else None
        if errors and isinstance(errors[0], dict) and isinstance(errors[0].get("message"), str):
            return errors[0]["message"]
    text = text.strip()
    return text if len(text) <= _MAX_ERROR_TEXT else text[:_MAX_ERROR_TEXT] + "..."


class Abort:
    """Lets another thread end a request in flight (an idle worker's long poll) by shutting its socket down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._connection = None
        self._aborted = False

    def attach(self, connection):
        with self._lock:
            self._connection = connection
            if self._aborted:
                self._shutdown()

    def detach(self):
        with self._lock:
            self._connection = None

    def abort(self):
        with self._lock:
            self._aborted = True
            self._shutdown()

    @property
    def aborted(self):
        with self._lock:
            return self._aborted

    def _shutdown(self):
        sock = self._connection.sock if self._connection is not None else None
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Transport:
    """Calls the API at ``api_url`` with ``api_key``; both default to ``DART_API_URL`` and ``DART_API_KEY``."""

    def __init__(self, api_url=None, api_key=None, timeout=30.0):
        self.server = server_of(api_url if api_url is not None else os.environ.get("DART_API_URL", "").strip())
        key = check_key(api_key if api_key is not None else os.environ.get("DART_API_KEY", "").strip())
        self._authorization = "Bearer " + key
        self.timeout = timeout
        parts = urllib.parse.urlsplit(self.server)
        self._https = parts.scheme == "https"
        self._netloc = parts.netloc
        self._prefix = parts.path

    def call(self, method, path, body=None, content_type=JSON, timeout=None, abort=None):
        """One call of ``path`` (under the server root, with its query). Answers ``(status, parsed body or None)``."""
        timeout = self.timeout if timeout is None else timeout
        connection_class = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        connection = connection_class(self._netloc, timeout=timeout)
        headers = {"Authorization": self._authorization, "Accept": JSON, "Connection": "close"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = content_type
        bare = path.split("?", 1)[0]
        try:
            if abort is not None:
                connection.connect()
                abort.attach(connection)
            connection.request(method, self._prefix + path, body=payload, headers=headers)
            response = connection.getresponse()
            status = response.status
            text = response.read().decode("utf-8", errors="replace")
        except http.client.HTTPException as e:
            raise ConnectionError("%s %s failed: %s" % (method, bare, e or type(e).__name__)) from e
        finally:
            if abort is not None:
                abort.detach()
            connection.close()
        if status >= 400:
            error = VersionConflict if status == 409 else DartApiError
            raise error(method, bare, status, error_message(text))
        if status < 200 or status >= 300:
            raise ConnectionError("%s %s answered an unexpected %d" % (method, bare, status))
        if not text.strip():
            return status, None
        try:
            return status, json.loads(text)
        except ValueError:
            raise ConnectionError("%s %s answered %d with a body that is not JSON: %s"
                                  % (method, bare, status, text[:_MAX_ERROR_TEXT])) from None

    def results(self, method, path, body=None, **kwargs):
        """A call whose answer is ``{"results": ...}``: answers the results."""
        _, answer = self.call(method, API_ROOT + path, body, **kwargs)
        return answer.get("results") if isinstance(answer, dict) else None

    def page(self, path, params):
        """One page of a list: ``{"results", "limit", "offset", "total"}``."""
        _, answer = self.call("GET", API_ROOT + path + query(params))
        return answer
