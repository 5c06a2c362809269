"""Local tests of the notebooks: `python -m unittest discover -s tests` (no workspace needed)."""
import pathlib
import unittest

from notebook_harness import NOTEBOOKS, cells, run_notebook


class EveryNotebook(unittest.TestCase):
    def test_every_cell_compiles(self):
        notebooks = sorted(p for p in NOTEBOOKS.iterdir() if p.suffix in (".py", ".ipynb"))
        self.assertTrue(notebooks)
        for path in notebooks:
            for source in cells(path):
                with self.subTest(notebook=path.name):
                    compile(source, str(path), "exec")


class Train(unittest.TestCase):
    def test_linear_regression_fits_the_synthetic_data(self):
        r2 = float(run_notebook("train.ipynb", {"model_type": "linear_regression", "test_size": "0.2"}))
        self.assertGreater(r2, 0.99)

    def test_random_forest_is_selected_by_the_widget(self):
        r2 = float(run_notebook("train.ipynb", {"model_type": "random_forest", "test_size": "0.3"}))
        self.assertGreater(r2, 0.8)

    def test_an_unknown_model_type_is_refused(self):
        with self.assertRaisesRegex(ValueError, "unknown model_type"):
            run_notebook("train.ipynb", {"model_type": "xgboost"})


if __name__ == "__main__":
    unittest.main()
