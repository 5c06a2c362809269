"""Entry script: ``python3 <repo>/python/brickyard_runner <task.json>``.

Running a directory puts the directory itself at ``sys.path[0]``.  Our module
names (``secrets``, ``fs``, ``sql`` ...) must not shadow the standard library or
user packages inside notebook code, so we replace that entry with the parent
directory and import everything as the ``brickyard_runner`` package.  Once the
runner is imported the parent directory is removed again so user code sees a
clean ``sys.path``.  ``python3 -m brickyard_runner`` (with ``python/`` on
PYTHONPATH) works too.
"""

import os
import sys


def _bootstrap():
    pkg_dir = os.path.dirname(os.path.abspath(__file__))
    parent = os.path.dirname(pkg_dir)
    added = False
    if not __package__:
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != pkg_dir]
        if parent not in sys.path:
            sys.path.insert(0, parent)
            added = True
    from brickyard_runner.main import main  # noqa: E402  (needs the path fix above)

    if added:
        try:
            sys.path.remove(parent)
        except ValueError:
            pass
    return main


if __name__ == "__main__":
    sys.exit(_bootstrap()(sys.argv[1:]))
