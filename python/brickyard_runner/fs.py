"""``dbutils.fs`` through the workspace API, with the run's token.

Path mapping (anything else is refused):

* ``/Volumes/c/s/v/x`` and ``dbfs:/Volumes/c/s/v/x`` -> the Files API (Unity Catalog volumes)
* ``dbfs:/x``, ``/dbfs/x``, ``/x`` and relative ``x`` -> the DBFS API (``/x`` in the DBFS root)
* ``file:/x`` -> the driver's local ``/x`` (inside the notebook sandbox), as on Databricks

The server checks everything that decides access: volume grants (READ VOLUME / WRITE VOLUME),
``..`` (refused) and symlinks leading out of a volume or the DBFS root (refused).  So notebook
code reaches exactly what its run-as principal may reach through the API.
"""

import collections
import posixpath

from brickyard_runner.fs_backends import DbfsBackend, LocalBackend, VolumesBackend

FileInfo = collections.namedtuple("FileInfo", ["path", "name", "size", "modificationTime"])
MountInfo = collections.namedtuple("MountInfo", ["mountPoint", "source", "encryptionType"])


class _Resolved(object):
    __slots__ = ("display", "path", "backend")

    def __init__(self, display, path, backend):
        self.display = display  # canonical URI shown to the user, e.g. dbfs:/a/b
        self.path = path  # the backend's own path
        self.backend = backend


class FsUtils(object):
    def __init__(self, client):
        self._dbfs = DbfsBackend(client)
        self._volumes = VolumesBackend(client)
        self._local = LocalBackend()

    # -- path resolution ----------------------------------------------------
    def resolve(self, path):
        if hasattr(path, "path") and not isinstance(path, str):
            path = path.path  # accept FileInfo
        if not isinstance(path, str) or not path:
            raise ValueError("path must be a non-empty string")
        p = path.strip()
        if p.startswith("file:"):
            rest = p[len("file:"):]
            while rest.startswith("//"):
                rest = rest[1:]
            local = posixpath.join("/", rest or "/")
            return _Resolved("file:" + local, local, self._local)
        if p.startswith("dbfs:"):
            rest = p[len("dbfs:"):]
        elif "://" in p or (":" in p.split("/", 1)[0]):
            scheme = p.split(":", 1)[0]
            raise ValueError("Unsupported filesystem scheme %r in %s: the local workspace serves dbfs:/, /Volumes and file:/ only" % (scheme, path))
        elif p == "/dbfs" or p.startswith("/dbfs/"):
            rest = p[len("/dbfs"):]
        else:
            rest = p
        # names are passed on as given ('..' included): the server normalises and refuses
        names = [s for s in rest.split("/") if s not in ("", ".")]
        api_path = "/" + "/".join(names)
        backend = self._volumes if names and names[0] == "Volumes" else self._dbfs
        return _Resolved("dbfs:" + api_path, api_path, backend)

    def _stat(self, r):
        st = r.backend.stat(r.path)
        if st is None:
            raise FileNotFoundError("File %s does not exist." % r.display)
        return st

    @staticmethod
    def _join(r, name):
        sep = "" if r.path.endswith("/") else "/"
        return _Resolved(r.display.rstrip("/") + "/" + name, r.path + sep + name, r.backend)

    # -- operations ---------------------------------------------------------
    def ls(self, dir="dbfs:/"):
        r = self.resolve(dir)
        st = self._stat(r)
        if not st.is_dir:
            return [FileInfo(r.display, posixpath.basename(r.display.rstrip("/")), st.size, st.mtime)]
        base = r.display.rstrip("/")
        return [
            FileInfo(base + "/" + e.name + ("/" if e.is_dir else ""), e.name + ("/" if e.is_dir else ""), 0 if e.is_dir else e.size, e.mtime)
            for e in sorted(r.backend.list(r.path), key=lambda e: e.name)
        ]

    def head(self, file, maxBytes=65536):
        r = self.resolve(file)
        st = self._stat(r)
        if st.is_dir:
            raise IsADirectoryError("Cannot head a directory: %s" % r.display)
        data = r.backend.read(r.path, int(maxBytes))
        if len(data) == int(maxBytes) and st.size > len(data):
            print("[Truncated to first %d bytes]" % len(data))
        return data.decode("utf-8", "replace")

    def put(self, file, contents, overwrite=False):
        r = self.resolve(file)
        data = contents.encode("utf-8") if isinstance(contents, str) else bytes(contents)
        st = r.backend.stat(r.path)
        if st is not None and st.is_dir:
            raise IsADirectoryError("Cannot write to a directory: %s" % r.display)
        if st is not None and not overwrite:
            raise FileExistsError("File %s already exists. Use overwrite=True to replace it." % r.display)
        r.backend.write(r.path, data, bool(overwrite))
        print("Wrote %d bytes." % len(data))
        return True

    def mkdirs(self, dir):
        r = self.resolve(dir)
        r.backend.mkdirs(r.path)
        return True

    def rm(self, dir, recurse=False):
        r = self.resolve(dir)
        if r.backend.stat(r.path) is None:
            return False
        r.backend.delete(r.path, bool(recurse))
        return True

    def cp(self, from_, to, recurse=False):
        src, dst = self.resolve(from_), self.resolve(to)
        st = self._stat(src)
        if st.is_dir:
            if not recurse:
                raise IsADirectoryError("%s is a directory; use recurse=True to copy it" % src.display)
            self._copy_tree(src, dst)
            return True
        self._copy_file(src, self._into(src, dst))
        return True

    def mv(self, from_, to, recurse=False):
        src, dst = self.resolve(from_), self.resolve(to)
        st = self._stat(src)
        if st.is_dir and not recurse:
            raise IsADirectoryError("%s is a directory; use recurse=True to move it" % src.display)
        target = self._into(src, dst)
        if src.backend is target.backend and src.backend.move is not None:
            src.backend.move(src.path, target.path)
            return True
        # across filesystems (or within volumes, where the Files API has no move): copy, then delete
        if st.is_dir:
            self._copy_tree(src, target)
        else:
            self._copy_file(src, target)
        src.backend.delete(src.path, True)
        return True

    def mounts(self):
        return [MountInfo("/", "DatabricksRoot", ""), MountInfo("/Volumes", "UnityCatalogVolumes", "")]

    def help(self, method=None):
        print(
            "dbutils.fs (local workspace): ls(dir), head(file, maxBytes), put(file, contents, overwrite), "
            "cp(from, to, recurse), mv(from, to, recurse), rm(dir, recurse), mkdirs(dir), mounts().\n"
            "dbfs:/ and /dbfs/ go through the DBFS API, /Volumes/ through the Files API, with the run's "
            "token and grants; file:/ is the driver's local disk."
        )

    # -- helpers ------------------------------------------------------------
    def _into(self, src, dst):
        """A copy or move onto an existing directory lands inside it, under the source's name."""
        st = dst.backend.stat(dst.path)
        if st is not None and st.is_dir:
            return self._join(dst, posixpath.basename(src.path.rstrip("/")))
        return dst

    @staticmethod
    def _copy_file(src, dst):
        dst.backend.write(dst.path, src.backend.read(src.path), True)

    def _copy_tree(self, src, dst):
        dst.backend.mkdirs(dst.path)
        for e in src.backend.list(src.path):
            s, d = self._join(src, e.name), self._join(dst, e.name)
            if e.is_dir:
                self._copy_tree(s, d)
            else:
                self._copy_file(s, d)


# Databricks' Python signatures use ``from`` as a keyword; expose it via kwargs.
def _kw_from(method):
    def wrapper(self, *args, **kwargs):
        if "from" in kwargs:
            kwargs["from_"] = kwargs.pop("from")
        return method(self, *args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


FsUtils.cp = _kw_from(FsUtils.cp)
FsUtils.mv = _kw_from(FsUtils.mv)
