"""``dbutils.widgets``: notebook input widgets fed by the task's parameters.

In a job run the value of a widget is the task parameter with the same name
(``base_parameters`` merged with job parameters, resolved by the server) or,
when no such parameter exists, the widget's default.  Parameters are visible
through ``get`` even when no widget was declared, as on Databricks.
"""

from brickyard_runner.errors import InputWidgetNotDefined


def _not_defined(name):
    return InputWidgetNotDefined("No input widget named %s is defined" % name)


class Widgets(object):
    def __init__(self, parameters=None):
        self._params = dict((str(k), _as_str(v)) for k, v in (parameters or {}).items())
        self._overlays = []  # parameter overlays pushed by `%run ./nb $x="1"`
        self._widgets = {}  # name -> dict(type, default, choices, label)

    # -- declarations -------------------------------------------------------
    def text(self, name, defaultValue="", label=None, **kwargs):
        self._declare("text", name, kwargs.get("default", defaultValue), None, label)

    def dropdown(self, name, defaultValue=None, choices=None, label=None, **kwargs):
        self._declare("dropdown", name, kwargs.get("default", defaultValue), choices, label, strict=True)

    def combobox(self, name, defaultValue="", choices=None, label=None, **kwargs):
        self._declare("combobox", name, kwargs.get("default", defaultValue), choices, label)

    def multiselect(self, name, defaultValue=None, choices=None, label=None, **kwargs):
        self._declare("multiselect", name, kwargs.get("default", defaultValue), choices, label, strict=True)

    def _declare(self, kind, name, default, choices, label, strict=False):
        name = _check_name(name)
        default = _as_str(default) if default is not None else ""
        choices = [_as_str(c) for c in (choices or [])]
        if strict and choices is not None:
            if not choices:
                raise ValueError("%s widget %s needs a non-empty list of choices" % (kind, name))
            if default not in choices:
                raise ValueError("Default value %s is not in the list of choices for widget %s" % (default, name))
        self._widgets[name] = {"type": kind, "default": default, "choices": choices, "label": label or name}

    # -- reads --------------------------------------------------------------
    def _lookup(self, name):
        for overlay in reversed(self._overlays):
            if name in overlay:
                return True, overlay[name]
        if name in self._params:
            return True, self._params[name]
        w = self._widgets.get(name)
        if w is not None:
            return True, w["default"]
        return False, None

    def get(self, name):
        found, value = self._lookup(_check_name(name))
        if not found:
            raise _not_defined(name)
        return value

    def getArgument(self, name, defaultValue=None, **kwargs):
        found, value = self._lookup(_check_name(name))
        if found:
            return value
        return kwargs.get("default", defaultValue)

    def getAll(self):
        values = dict((n, w["default"]) for n, w in self._widgets.items())
        values.update(self._params)
        for overlay in self._overlays:
            values.update(overlay)
        return values

    def has(self, name):
        return self._lookup(name)[0]

    # -- removal ------------------------------------------------------------
    def remove(self, name):
        if name not in self._widgets:
            raise _not_defined(name)
        del self._widgets[name]

    def removeAll(self):
        self._widgets.clear()

    # -- %run arguments -----------------------------------------------------
    def push_overlay(self, values):
        self._overlays.append(dict((str(k), _as_str(v)) for k, v in values.items()))

    def pop_overlay(self):
        self._overlays.pop()

    def help(self, method=None):
        print(
            "dbutils.widgets: text(name, defaultValue, label), dropdown(name, defaultValue, choices, label), "
            "combobox(...), multiselect(...), get(name), getArgument(name, default), getAll(), remove(name), removeAll()\n"
            "Values come from the task's parameters (local workspace)."
        )

    def __repr__(self):
        return "<dbutils.widgets %d declared>" % len(self._widgets)


def _check_name(name):
    if not isinstance(name, str) or not name:
        raise ValueError("widget name must be a non-empty string")
    return name


def _as_str(v):
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return ""
    return str(v)
