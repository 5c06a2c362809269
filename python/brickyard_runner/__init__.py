"""Brickyard local-workspace task runner.

Executes Databricks notebook tasks (SOURCE format) and spark_python_task files in
a plain local Python process, with ``dbutils``/``spark``/``display`` shims that talk
to the Brickyard local workspace over its REST API.  Standard library only;
supports Python >= 3.9.  Entry point: ``python3 <repo>/python/brickyard_runner <task.json>``.
"""

__version__ = "0.1.0"
