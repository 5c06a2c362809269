"""Where ``dbutils.fs`` paths live: the DBFS API, the Files API (volumes) or the driver's disk.

Each backend answers the same small set of calls on its own path strings; ``fs.py`` maps a user's
path to one of them.  The DBFS and Files backends go through the workspace API with the run's
token, so the server checks every grant, ``..`` and symlink: nothing here decides access.
"""

import base64
import collections
import email.utils
import json
import os
import shutil
import urllib.parse

from brickyard_runner.errors import DatabricksApiError

#: what one DBFS put/add-block/read call may carry (the DBFS API's 1 MB)
DBFS_BLOCK = 1024 * 1024

Stat = collections.namedtuple("Stat", ["is_dir", "size", "mtime"])
Entry = collections.namedtuple("Entry", ["name", "is_dir", "size", "mtime"])


def api_error(err):
    """The DatabricksApiError as the Python exception users expect, keeping its code and message."""
    text = "%s: %s" % (err.error_code, err.message)
    if err.status == 404 or err.error_code in ("RESOURCE_DOES_NOT_EXIST", "NOT_FOUND"):
        exc = FileNotFoundError(text)
    elif err.error_code in ("RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS"):
        exc = FileExistsError(text)
    elif err.status == 403 or err.error_code == "PERMISSION_DENIED":
        exc = PermissionError(text)
    elif err.error_code in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST"):
        exc = ValueError(text)
    elif err.error_code in ("IO_ERROR", "DIRECTORY_NOT_EMPTY"):
        exc = OSError(text)
    else:
        return err
    exc.error_code = err.error_code
    exc.status = err.status
    return exc


class DbfsBackend(object):
    """The DBFS API: paths are ``/a/b`` inside the workspace's DBFS root."""

    def __init__(self, client):
        self._client = client

    def _call(self, method, path, body=None, query=None):
        try:
            return self._client.request(method, "/api/2.0/dbfs/" + path, body=body, query=query)
        except DatabricksApiError as e:
            raise api_error(e) from None

    def stat(self, path):
        try:
            info = self._call("GET", "get-status", query={"path": path})
        except FileNotFoundError:
            return None
        return Stat(bool(info.get("is_dir")), int(info.get("file_size") or 0), int(info.get("modification_time") or 0))

    def list(self, path):
        files = self._call("GET", "list", query={"path": path}).get("files") or []
        return [
            Entry(f["path"].rstrip("/").rsplit("/", 1)[-1], bool(f.get("is_dir")), int(f.get("file_size") or 0), int(f.get("modification_time") or 0))
            for f in files
        ]

    def read(self, path, limit=None):
        chunks, offset = [], 0
        while limit is None or offset < limit:
            length = DBFS_BLOCK if limit is None else min(DBFS_BLOCK, limit - offset)
            got = self._call("GET", "read", query={"path": path, "offset": offset, "length": length})
            data = base64.b64decode(got.get("data") or "")
            if not data:
                break
            chunks.append(data)
            offset += len(data)
        return b"".join(chunks)

    def write(self, path, data, overwrite):
        if len(data) <= DBFS_BLOCK:
            self._call("POST", "put", {"path": path, "contents": base64.b64encode(data).decode("ascii"), "overwrite": overwrite})
            return
        handle = self._call("POST", "create", {"path": path, "overwrite": overwrite})["handle"]
        for start in range(0, len(data), DBFS_BLOCK):
            block = data[start:start + DBFS_BLOCK]
            self._call("POST", "add-block", {"handle": handle, "data": base64.b64encode(block).decode("ascii")})
        self._call("POST", "close", {"handle": handle})

    def mkdirs(self, path):
        self._call("POST", "mkdirs", {"path": path})

    def delete(self, path, recursive):
        self._call("POST", "delete", {"path": path, "recursive": recursive})

    def move(self, src, dst):
        self._call("POST", "move", {"source_path": src, "destination_path": dst})


class VolumesBackend(object):
    """The Files API: paths are ``/Volumes/<catalog>/<schema>/<volume>/...``."""

    def __init__(self, client):
        self._client = client

    @staticmethod
    def _url(kind, path):
        # each name percent-encoded: the server sees exactly the names given (and refuses '..')
        return "/api/2.0/fs/%s%s" % (kind, "".join("/" + urllib.parse.quote(s, safe="") for s in path.split("/") if s))

    def _raw(self, method, kind, path, data=None, query=None, headers=None):
        try:
            return self._client.request_raw(method, self._url(kind, path), data=data, query=query, headers=headers)
        except DatabricksApiError as e:
            if method == "HEAD" and e.status not in (0, 404):
                # a HEAD answer has no body: ask again with GET for Databricks' code and message
                self._raw("GET", "directories", path, query={"page_size": 1})
            raise api_error(e) from None

    def stat(self, path):
        try:
            self._raw("HEAD", "directories", path)
            return Stat(True, 0, 0)
        except FileNotFoundError:
            pass
        try:
            _, headers, _ = self._raw("HEAD", "files", path)
        except FileNotFoundError:
            return None
        modified = headers.get("last-modified")
        mtime = int(email.utils.parsedate_to_datetime(modified).timestamp() * 1000) if modified else 0
        return Stat(False, int(headers.get("content-length") or 0), mtime)

    def list(self, path):
        out, token = [], None
        while True:
            query = {"page_token": token} if token else None
            _, _, body = self._raw("GET", "directories", path, query=query)
            page = _json(body)
            for e in page.get("contents") or []:
                out.append(Entry(e["name"], bool(e.get("is_directory")), int(e.get("file_size") or 0), int(e.get("last_modified") or 0)))
            token = page.get("next_page_token")
            if not token:
                return out

    def read(self, path, limit=None):
        _, _, body = self._raw("GET", "files", path)
        return body if limit is None else body[:limit]

    def write(self, path, data, overwrite):
        self._raw("PUT", "files", path, data=bytes(data), query={"overwrite": overwrite}, headers={"Content-Type": "application/octet-stream"})

    def mkdirs(self, path):
        self._raw("PUT", "directories", path)

    def delete(self, path, recursive):
        st = self.stat(path)
        if st is None:
            return
        if not st.is_dir:
            self._raw("DELETE", "files", path)
            return
        if recursive:
            for e in self.list(path):
                self.delete(path.rstrip("/") + "/" + e.name, True)
        self._raw("DELETE", "directories", path)

    move = None  # no server-side move: fs.py copies, then deletes


class LocalBackend(object):
    """``file:/`` paths: the driver's own disk (inside the notebook sandbox)."""

    def stat(self, path):
        try:
            st = os.stat(path)
        except OSError:
            return None
        return Stat(os.path.isdir(path), 0 if os.path.isdir(path) else st.st_size, int(st.st_mtime * 1000))

    def list(self, path):
        out = []
        for name in sorted(os.listdir(path)):
            st = self.stat(os.path.join(path, name))
            if st is not None:
                out.append(Entry(name, st.is_dir, st.size, st.mtime))
        return out

    def read(self, path, limit=None):
        with open(path, "rb") as f:
            return f.read() if limit is None else f.read(limit)

    def write(self, path, data, overwrite):
        if os.path.exists(path) and (os.path.isdir(path) or not overwrite):
            raise FileExistsError("File file:%s already exists." % path)
        os.makedirs(os.path.dirname(path) or "/", exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)

    def mkdirs(self, path):
        os.makedirs(path, exist_ok=True)

    def delete(self, path, recursive):
        if os.path.isdir(path) and not os.path.islink(path):
            if os.listdir(path) and not recursive:
                raise OSError("Directory file:%s is not empty; use recurse=True" % path)
            shutil.rmtree(path)
        elif os.path.lexists(path):
            os.remove(path)

    def move(self, src, dst):
        if os.path.exists(dst):
            raise FileExistsError("File file:%s already exists." % dst)
        os.makedirs(os.path.dirname(dst) or "/", exist_ok=True)
        shutil.move(src, dst)


def _json(body):
    return json.loads(body.decode("utf-8")) if body and body.strip() else {}
