"""``dbutils.secrets`` backed by the workspace Secrets API.

Every value fetched is registered with the redactor so it never shows up in
the task's stdout/stderr (or in the error text of the result file).
"""

import base64
import collections

SecretMetadata = collections.namedtuple("SecretMetadata", ["key"])
SecretScope = collections.namedtuple("SecretScope", ["name"])


class SecretsUtils(object):
    def __init__(self, client, redactor):
        self._client = client
        self._redactor = redactor

    def getBytes(self, scope, key):
        resp = self._client.get("/api/2.0/secrets/get", {"scope": scope, "key": key})
        encoded = resp.get("value") or ""
        try:
            value = base64.b64decode(encoded)
        except (ValueError, TypeError):
            value = encoded.encode("utf-8")
        self._redactor.register(value)
        self._redactor.register(encoded)  # the base64 form is just as secret
        return value

    def get(self, scope, key):
        data = self.getBytes(scope, key)
        text = data.decode("utf-8", "replace")
        self._redactor.register(text)
        return text

    def list(self, scope):
        resp = self._client.get("/api/2.0/secrets/list", {"scope": scope})
        return [SecretMetadata(s.get("key")) for s in resp.get("secrets") or []]

    def listScopes(self):
        resp = self._client.get("/api/2.0/secrets/scopes/list")
        return [SecretScope(s.get("name")) for s in resp.get("scopes") or []]

    def help(self, method=None):
        print("dbutils.secrets: get(scope, key), getBytes(scope, key), list(scope), listScopes()")

    def __repr__(self):
        return "<dbutils.secrets>"
