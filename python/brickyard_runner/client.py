"""Minimal Databricks REST client over urllib (standard library only).

Authenticates with ``Authorization: Bearer $DATABRICKS_TOKEN``.  The token is
never printed, logged or included in exception messages.
"""

import json
import platform
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from brickyard_runner import __version__
from brickyard_runner.errors import DatabricksApiError

_RETRY_STATUSES = (429, 503)
_MAX_RETRIES = 3


class ApiClient(object):
    def __init__(self, host, token, timeout=90.0):
        host = (host or "").strip().rstrip("/")
        if host and "://" not in host:
            host = "https://" + host
        self.host = host
        self._token = token or ""
        self.timeout = timeout
        self.user_agent = "brickyard-runner/%s python/%s" % (__version__, platform.python_version())

    def __repr__(self):
        return "ApiClient(host=%r)" % self.host

    def get(self, path, query=None):
        return self.request("GET", path, query=query)

    def post(self, path, body=None, query=None):
        return self.request("POST", path, body=body if body is not None else {}, query=query)

    def _url(self, method, path, query):
        if not self.host:
            raise DatabricksApiError(
                0, "NOT_CONFIGURED", "DATABRICKS_HOST is not set; the runner cannot reach the workspace API", method, path
            )
        url = self.host + path
        if query:
            items = [(k, _query_value(v)) for k, v in query.items() if v is not None]
            url += "?" + urllib.parse.urlencode(items)
        return url

    def request(self, method, path, body=None, query=None):
        url = self._url(method, path, query)
        data = None
        headers = {"Accept": "application/json", "User-Agent": self.user_agent}
        if self._token:
            headers["Authorization"] = "Bearer " + self._token
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method=method, headers=headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read()
                return _decode_json(raw)
            except urllib.error.HTTPError as e:
                raw = _safe_read(e)
                if e.code in _RETRY_STATUSES and attempt < _MAX_RETRIES:
                    attempt += 1
                    time.sleep(_retry_after(e, attempt))
                    continue
                code, message = _parse_error(e.code, raw)
                raise DatabricksApiError(e.code, code, message, method, path)
            except (urllib.error.URLError, socket.timeout, ConnectionError) as e:
                reason = getattr(e, "reason", e)
                raise DatabricksApiError(
                    0, "CONNECTION_ERROR", "%s %s failed: %s" % (method, path, reason), method, path
                )

    def request_raw(self, method, path, data=None, query=None, headers=None):
        """A non-JSON call (the Files API): returns (status, headers, body bytes).

        Error answers raise DatabricksApiError like ``request``; a HEAD error has no body, so its
        code comes from the status.
        """
        url = self._url(method, path, query)
        sent = {"User-Agent": self.user_agent}
        if self._token:
            sent["Authorization"] = "Bearer " + self._token
        sent.update(headers or {})
        req = urllib.request.Request(url, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            code, message = _parse_error(e.code, _safe_read(e))
            raise DatabricksApiError(e.code, code, message, method, path)
        except (urllib.error.URLError, socket.timeout, ConnectionError) as e:
            reason = getattr(e, "reason", e)
            raise DatabricksApiError(0, "CONNECTION_ERROR", "%s %s failed: %s" % (method, path, reason), method, path)


def _query_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _decode_json(raw):
    if not raw or not raw.strip():
        return {}
    try:
        return json.loads(raw.decode("utf-8"))
    except ValueError:
        raise DatabricksApiError(0, "INVALID_RESPONSE", "workspace API answered with a non-JSON body")


def _safe_read(e):
    try:
        return e.read()
    except Exception:
        return b""


def _retry_after(e, attempt):
    try:
        value = float(e.headers.get("Retry-After", ""))
        return max(0.0, min(value, 10.0))
    except (TypeError, ValueError, AttributeError):
        return min(0.5 * attempt, 2.0)


def _parse_error(status, raw):
    text = raw.decode("utf-8", "replace") if raw else ""
    try:
        body = json.loads(text) if text else {}
    except ValueError:
        body = None
    if isinstance(body, dict):
        if body.get("error_code") or body.get("message"):
            return body.get("error_code") or _status_code(status), body.get("message") or ""
        if body.get("error"):
            return _status_code(status), str(body["error"])
        if body.get("detail"):
            return "SCIM_%s" % body.get("status", status), str(body["detail"])
    if text and ":" in text.split("\n", 1)[0] and len(text) < 2000:
        code, _, msg = text.partition(":")
        if code.strip().replace("_", "").isalnum() and code.strip().isupper():
            return code.strip(), msg.strip()
    return _status_code(status), (text[:500] if text else "HTTP %d" % status)


def _status_code(status):
    return {
        400: "BAD_REQUEST",
        401: "UNAUTHENTICATED",
        403: "PERMISSION_DENIED",
        404: "NOT_FOUND",
        409: "RESOURCE_CONFLICT",
        429: "TOO_MANY_REQUESTS",
        500: "INTERNAL_ERROR",
        501: "NOT_IMPLEMENTED",
        503: "TEMPORARILY_UNAVAILABLE",
    }.get(status, "HTTP_%d" % status)
