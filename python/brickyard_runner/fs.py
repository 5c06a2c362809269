"""``dbutils.fs`` over local directories.

Path mapping (anything else is refused):

* ``dbfs:/x``, ``/dbfs/x``, ``/x`` and relative ``x`` -> ``$BRICKYARD_DBFS_ROOT/x``
* ``/Volumes/c/s/v/x`` and ``dbfs:/Volumes/c/s/v/x`` -> ``$BRICKYARD_VOLUMES_ROOT/c/s/v/x``
* ``file:/x`` -> the runner host's local ``/x`` (the "driver" filesystem, as on Databricks)

A ``..`` that would climb out of the root, or a symlink resolving outside it,
is refused with PermissionError.
"""

import collections
import os
import shutil

FileInfo = collections.namedtuple("FileInfo", ["path", "name", "size", "modificationTime"])
MountInfo = collections.namedtuple("MountInfo", ["mountPoint", "source", "encryptionType"])


class _Resolved(object):
    __slots__ = ("display", "local", "root")

    def __init__(self, display, local, root):
        self.display = display  # canonical URI shown to the user, e.g. dbfs:/a/b
        self.local = local  # absolute local path
        self.root = root  # containing root (None for file:)


def _segments(rel, original):
    out = []
    for seg in rel.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if not out:
                raise PermissionError("Path %s escapes its root; '..' above the root is not allowed" % original)
            out.pop()
            continue
        out.append(seg)
    return out


class FsUtils(object):
    def __init__(self, dbfs_root, volumes_root):
        self._dbfs_root = os.path.abspath(dbfs_root) if dbfs_root else None
        self._volumes_root = os.path.abspath(volumes_root) if volumes_root else None

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
            local = os.path.abspath(rest or "/")
            return _Resolved("file:" + local, local, None)
        if p.startswith("dbfs:"):
            rest = p[len("dbfs:"):]
        elif "://" in p or (":" in p.split("/", 1)[0]):
            scheme = p.split(":", 1)[0]
            raise ValueError("Unsupported filesystem scheme %r in %s: the local workspace serves dbfs:/, /Volumes and file:/ only" % (scheme, path))
        elif p == "/dbfs" or p.startswith("/dbfs/"):
            rest = p[len("/dbfs"):]
        else:
            rest = p
        segs = _segments(rest, path)
        if segs and segs[0] == "Volumes":
            root = self._require(self._volumes_root, "BRICKYARD_VOLUMES_ROOT", path)
            segs = segs[1:]
            display = "dbfs:/Volumes/" + "/".join(segs) if segs else "dbfs:/Volumes"
        else:
            root = self._require(self._dbfs_root, "BRICKYARD_DBFS_ROOT", path)
            display = "dbfs:/" + "/".join(segs)
        local = os.path.join(root, *segs) if segs else root
        self._contain(root, local, path)
        return _Resolved(display, local, root)

    @staticmethod
    def _require(root, env, path):
        if not root:
            raise RuntimeError("%s is not set; the runner cannot access %s" % (env, path))
        return root

    @staticmethod
    def _contain(root, local, original):
        real_root = os.path.realpath(root)
        real = os.path.realpath(local)
        if real != real_root and not real.startswith(real_root.rstrip(os.sep) + os.sep):
            raise PermissionError("Path %s resolves outside its root" % original)

    @staticmethod
    def _info(display, local, name=None):
        st = os.stat(local)
        is_dir = os.path.isdir(local)
        if name is None:
            name = display.rstrip("/").rsplit("/", 1)[-1]
        if is_dir:
            display = display.rstrip("/") + "/"
            name = name.rstrip("/") + "/"
        return FileInfo(display, name, 0 if is_dir else st.st_size, int(st.st_mtime * 1000))

    def _missing(self, r):
        return FileNotFoundError("File %s does not exist." % r.display)

    # -- operations ---------------------------------------------------------
    def ls(self, dir="dbfs:/"):
        r = self.resolve(dir)
        if r.root is not None and r.local == r.root and not os.path.exists(r.local):
            os.makedirs(r.local, exist_ok=True)
        if not os.path.exists(r.local):
            raise self._missing(r)
        if not os.path.isdir(r.local):
            return [self._info(r.display, r.local)]
        base = r.display.rstrip("/")
        out = []
        for entry in sorted(os.listdir(r.local)):
            out.append(self._info(base + "/" + entry, os.path.join(r.local, entry), entry))
        return out

    def head(self, file, maxBytes=65536):
        r = self.resolve(file)
        if not os.path.exists(r.local):
            raise self._missing(r)
        if os.path.isdir(r.local):
            raise IsADirectoryError("Cannot head a directory: %s" % r.display)
        with open(r.local, "rb") as f:
            data = f.read(int(maxBytes))
        if len(data) == int(maxBytes) and os.path.getsize(r.local) > len(data):
            print("[Truncated to first %d bytes]" % len(data))
        return data.decode("utf-8", "replace")

    def put(self, file, contents, overwrite=False):
        r = self.resolve(file)
        if os.path.isdir(r.local):
            raise IsADirectoryError("Cannot write to a directory: %s" % r.display)
        if os.path.exists(r.local) and not overwrite:
            raise FileExistsError("File %s already exists. Use overwrite=True to replace it." % r.display)
        data = contents.encode("utf-8") if isinstance(contents, str) else bytes(contents)
        os.makedirs(os.path.dirname(r.local), exist_ok=True)
        with open(r.local, "wb") as f:
            f.write(data)
        print("Wrote %d bytes." % len(data))
        return True

    def mkdirs(self, dir):
        r = self.resolve(dir)
        if os.path.exists(r.local) and not os.path.isdir(r.local):
            raise FileExistsError("Cannot create directory %s: a file exists at that path" % r.display)
        os.makedirs(r.local, exist_ok=True)
        return True

    def rm(self, dir, recurse=False):
        r = self.resolve(dir)
        if r.root is not None and r.local == r.root:
            raise PermissionError("Refusing to delete the root %s" % r.display)
        if not os.path.lexists(r.local):
            return False
        if os.path.isdir(r.local) and not os.path.islink(r.local):
            if os.listdir(r.local) and not recurse:
                raise OSError("Directory %s is not empty; use recurse=True" % r.display)
            shutil.rmtree(r.local)
        else:
            os.remove(r.local)
        return True

    def cp(self, from_, to, recurse=False):
        src, dst = self.resolve(from_), self.resolve(to)
        if not os.path.exists(src.local):
            raise self._missing(src)
        if os.path.isdir(src.local):
            if not recurse:
                raise IsADirectoryError("%s is a directory; use recurse=True to copy it" % src.display)
            _copy_tree(src.local, dst.local)
        else:
            target = dst.local
            if os.path.isdir(target):
                target = os.path.join(target, os.path.basename(src.local))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copyfile(src.local, target)
        return True

    def mv(self, from_, to, recurse=False):
        src, dst = self.resolve(from_), self.resolve(to)
        if not os.path.exists(src.local):
            raise self._missing(src)
        if os.path.isdir(src.local) and not recurse:
            raise IsADirectoryError("%s is a directory; use recurse=True to move it" % src.display)
        target = dst.local
        if os.path.isdir(target):
            target = os.path.join(target, os.path.basename(src.local))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.move(src.local, target)
        return True

    def mounts(self):
        return [MountInfo("/", "local:%s" % (self._dbfs_root or ""), "")]

    def help(self, method=None):
        print(
            "dbutils.fs (local workspace): ls(dir), head(file, maxBytes), put(file, contents, overwrite), "
            "cp(from, to, recurse), mv(from, to, recurse), rm(dir, recurse), mkdirs(dir).\n"
            "dbfs:/ and /dbfs/ map to BRICKYARD_DBFS_ROOT, /Volumes/ to BRICKYARD_VOLUMES_ROOT."
        )


def _copy_tree(src, dst):
    os.makedirs(dst, exist_ok=True)
    for entry in os.listdir(src):
        s, d = os.path.join(src, entry), os.path.join(dst, entry)
        if os.path.isdir(s):
            _copy_tree(s, d)
        else:
            shutil.copyfile(s, d)


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
