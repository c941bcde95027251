"""Just enough of the S3 REST API for the example engine: list, get (streamed) and put objects, signed with AWS
Signature Version 4 (HMAC-SHA256 from the standard library). Path-style addressing, so it works against any
S3-compatible endpoint (S3Proxy, MinIO) as well as AWS."""
import contextlib
import datetime
import hashlib
import hmac
import http.client
import urllib.parse
import xml.etree.ElementTree as ElementTree

_NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"
_ALGORITHM = "AWS4-HMAC-SHA256"


def split_s3_path(s3_path):
    """``s3://bucket/key`` -> ``(bucket, key)``."""
    parts = urllib.parse.urlsplit(s3_path)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError("expected s3://bucket/key, got %r" % (s3_path,))
    return parts.netloc, parts.path.lstrip("/")


def _quote(text, safe):
    return urllib.parse.quote(text, safe=safe)


def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sign(method, host, path, params, headers, payload_sha256, region, access_key, secret_key, now):
    """The ``Authorization`` header of a request: ``path`` already URI-encoded, ``headers`` those to sign (``host``,
    ``x-amz-date`` and ``x-amz-content-sha256`` are added), ``now`` a UTC datetime."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    signed = {k.lower(): " ".join(str(v).split()) for k, v in headers.items()}
    signed.update({"host": host, "x-amz-date": amz_date, "x-amz-content-sha256": payload_sha256})
    names = sorted(signed)
    canonical = "\n".join([
        method,
        path,
        "&".join("%s=%s" % (_quote(k, "-_.~"), _quote(v, "-_.~")) for k, v in sorted(params.items())),
        "".join("%s:%s\n" % (n, signed[n]) for n in names),
        ";".join(names),
        payload_sha256,
    ])
    scope = "%s/%s/s3/aws4_request" % (amz_date[:8], region)
    to_sign = "\n".join([_ALGORITHM, amz_date, scope, hashlib.sha256(canonical.encode("utf-8")).hexdigest()])
    key = _hmac(("AWS4" + secret_key).encode("utf-8"), amz_date[:8])
    for part in (region, "s3", "aws4_request"):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    return "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        _ALGORITHM, access_key, scope, ";".join(names), signature), amz_date


class S3Error(Exception):
    pass


class S3:
    def __init__(self, endpoint, region, access_key, secret_key, timeout=60.0):
        if not access_key or not secret_key:
            raise ValueError("S3 credentials are missing: set access_key_id and secret_access_key on the datastore, "
                             "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        endpoint = endpoint or "https://s3.%s.amazonaws.com" % region
        parts = urllib.parse.urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("the S3 endpoint must be an http(s) URL, got %r" % (endpoint,))
        self._https = parts.scheme == "https"
        self._host = parts.netloc
        self._region = region
        self._keys = (access_key, secret_key)
        self._timeout = timeout

    def _send(self, method, bucket, key, params=None, body=b""):
        params = params or {}
        path = "/" + _quote(bucket, "") + ("/" + _quote(key, "-_.~/") if key else "")
        payload_sha256 = hashlib.sha256(body).hexdigest()
        authorization, amz_date = sign(method, self._host, path, params, {}, payload_sha256, self._region,
                                       self._keys[0], self._keys[1], datetime.datetime.now(datetime.timezone.utc))
        connection = (http.client.HTTPSConnection if self._https else http.client.HTTPConnection)(
            self._host, timeout=self._timeout)
        target = path + ("?" + urllib.parse.urlencode(sorted(params.items()), quote_via=urllib.parse.quote)
                         if params else "")
        connection.request(method, target, body=body or None, headers={
            "Authorization": authorization, "x-amz-date": amz_date, "x-amz-content-sha256": payload_sha256})
        response = connection.getresponse()
        if response.status >= 300:
            text = response.read().decode("utf-8", errors="replace")
            connection.close()
            raise S3Error("S3 %s s3://%s/%s answered %d: %s" % (method, bucket, key, response.status, text[:300]))
        return connection, response

    def list(self, bucket, prefix):
        """Every object under ``prefix``: ``(key, size)`` pairs in key order."""
        token = None
        while True:
            params = {"list-type": "2", "prefix": prefix}
            if token:
                params["continuation-token"] = token
            connection, response = self._send("GET", bucket, "", params)
            try:
                root = ElementTree.fromstring(response.read())
            finally:
                connection.close()
            for item in root.iter(_NS + "Contents"):
                yield item.findtext(_NS + "Key"), int(item.findtext(_NS + "Size") or 0)
            token = root.findtext(_NS + "NextContinuationToken")
            if root.findtext(_NS + "IsTruncated") != "true" or not token:
                return

    @contextlib.contextmanager
    def open(self, bucket, key):
        """A streamed object, as a binary file-like answer: ``with s3.open(b, k) as f: ...``."""
        connection, response = self._send("GET", bucket, key)
        try:
            yield response
        finally:
            connection.close()

    def put(self, bucket, key, body):
        connection, response = self._send("PUT", bucket, key, body=body)
        response.read()
        connection.close()
