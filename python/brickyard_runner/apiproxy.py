"""Loopback forwarder to the workspace API inside the notebook sandbox.

With a private network the sandbox has only its own loopback interface: nothing of the host is
reachable.  The server binds the directory of its API Unix socket into the sandbox and passes its
path as ``BRICKYARD_API_SOCKET``; ``start_from_env`` listens on the host and port of
``DATABRICKS_HOST`` (127.0.0.1:<API port>) and forwards every connection to that socket, so the
runner's client, the Databricks SDK and plain HTTP code reach the API at the usual URL.

The variable is removed from the environment once the forwarder runs: child runners
(``dbutils.notebook.run``) and ``%sh`` commands share the sandbox's network and use this one.
"""

import os
import socket
import threading
from urllib.parse import urlsplit

_BUFFER = 64 * 1024


def start_from_env(environ=None):
    """Starts the forwarder when ``BRICKYARD_API_SOCKET`` is set; returns the listening socket or None.

    Raises OSError when it cannot listen (the caller reports it: the API would be unreachable).
    """
    environ = os.environ if environ is None else environ
    path = environ.pop("BRICKYARD_API_SOCKET", None)
    if not path:
        return None
    url = urlsplit(environ.get("DATABRICKS_HOST", ""))
    host = url.hostname or "127.0.0.1"
    port = url.port or (443 if url.scheme == "https" else 80)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError:
        listener.close()
        raise
    thread = threading.Thread(target=_accept_loop, args=(listener, path), name="brickyard-api-forwarder", daemon=True)
    thread.start()
    return listener


def _accept_loop(listener, path):
    while True:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=_connect, args=(client, path), name="brickyard-api-connection", daemon=True).start()


def _connect(client, path):
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(path)
    except OSError:
        # the client sees a closed connection, as it would from a server that is gone
        upstream.close()
        client.close()
        return
    pair = _Pair(client, upstream)
    threading.Thread(target=pair.pump, args=(upstream, client), name="brickyard-api-pump", daemon=True).start()
    pair.pump(client, upstream)


class _Pair(object):
    """Both directions of one connection; the sockets close when both have ended."""

    def __init__(self, a, b):
        self._sockets = (a, b)
        self._open = 2
        self._lock = threading.Lock()

    def pump(self, src, dst):
        try:
            while True:
                data = src.recv(_BUFFER)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        with self._lock:
            self._open -= 1
            done = self._open == 0
        if done:
            for s in self._sockets:
                s.close()
