"""Where the seed data is: a `seed_data` folder in the working directory, else the copy shipped
inside the package (read through importlib.resources, so a non-editable install has it too).

The rule, for every command that takes a dataset folder: a path that exists is used as given;
the bare name `seed_data` that does not exist here means the packaged seed dataset.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from graph.errors import InsiktError

SEED_NAME = "seed_data"
"""The package (and folder) that holds the seed dataset."""


def seed_dir() -> Path:
    """The packaged seed dataset's folder on disk."""
    root = resources.files(SEED_NAME)
    path = Path(str(root))
    if not (path / "dataset.yaml").is_file():
        raise InsiktError(f"the packaged seed data is not a folder on disk ({root}); install "
                          "Insiktsgrafen unzipped (pip install does) or give a dataset folder")
    return path


def dataset_folder(path: str | Path) -> Path:
    """The folder a command should read for `path` (see the module docstring)."""
    p = Path(path)
    if str(path).rstrip("/\\") != SEED_NAME:
        return p  # any other path is the reader's to check (and to report when unreadable)
    return p if p.exists() else seed_dir()
