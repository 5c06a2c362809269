"""Secret redaction for everything the task writes to stdout/stderr.

Every secret value fetched through ``dbutils.secrets`` is registered with the
shared :class:`Redactor`; ``sys.stdout``/``sys.stderr`` are replaced by
:class:`RedactingStream` wrappers that substitute ``[REDACTED]`` for any
occurrence.  A wrapper holds back a trailing fragment that could be the start
of a secret until the next write or flush, so a secret written in several
``write()`` calls is still caught (an explicit ``flush()`` in the middle of a
secret, or writes to the raw file descriptors, are not).
"""

import re
import threading

REDACTED = "[REDACTED]"


class Redactor(object):
    def __init__(self):
        self._secrets = set()
        self._pattern = None
        self._maxlen = 0
        self._lock = threading.Lock()

    def register(self, value):
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                return
        if not isinstance(value, str) or not value:
            return
        with self._lock:
            if value in self._secrets:
                return
            self._secrets.add(value)
            ordered = sorted(self._secrets, key=len, reverse=True)
            self._pattern = re.compile("|".join(re.escape(s) for s in ordered))
            self._maxlen = len(ordered[0])

    @property
    def active(self):
        return self._pattern is not None

    def redact(self, text):
        if self._pattern is None or not text:
            return text
        if not isinstance(text, str):
            return text
        return self._pattern.sub(REDACTED, text)

    def split_safe(self, text):
        """Return (emit, keep): ``emit`` redacted, ``keep`` a raw tail that may
        be the beginning of a secret continued by the next write."""
        pattern = self._pattern
        if pattern is None:
            return text, ""
        last_end = 0
        out = []
        for m in pattern.finditer(text):
            out.append(text[last_end:m.start()])
            out.append(REDACTED)
            last_end = m.end()
        hold = len(text)
        limit = min(self._maxlen - 1, len(text) - last_end)
        for k in range(limit, 0, -1):
            tail = text[len(text) - k:]
            if any(s.startswith(tail) for s in self._secrets):
                hold = len(text) - k
                break
        out.append(text[last_end:hold])
        return "".join(out), text[hold:]


class RedactingStream(object):
    """A text stream wrapper that redacts registered secrets."""

    def __init__(self, inner, redactor):
        self._inner = inner
        self._redactor = redactor
        self._pending = ""
        self._lock = threading.RLock()

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        with self._lock:
            if not self._redactor.active:
                if self._pending:
                    s = self._pending + s
                    self._pending = ""
                self._inner.write(s)
                return len(s)
            emit, self._pending = self._redactor.split_safe(self._pending + s)
            if emit:
                self._inner.write(emit)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        with self._lock:
            if self._pending:
                self._inner.write(self._redactor.redact(self._pending))
                self._pending = ""
            try:
                self._inner.flush()
            except (OSError, ValueError):
                pass

    def isatty(self):
        return False

    def writable(self):
        return True

    def readable(self):
        return False

    @property
    def closed(self):
        return getattr(self._inner, "closed", False)

    def __getattr__(self, name):
        # encoding, errors, fileno, buffer ... (raw buffer/fd writes bypass redaction)
        return getattr(self._inner, name)
