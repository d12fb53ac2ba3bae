"""The kedro venv (kedro 1.7, argo-kedro 0.1.41, kedro-datasets): installed by .ci/run.

Found by RCC_KEDRO_VENV (default ~/.cache/rcc/kedro). Missing, the tests skip locally
and fail under CI, where .ci/run must have installed it.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

VENV = Path(os.environ.get("RCC_KEDRO_VENV", Path.home() / ".cache" / "rcc" / "kedro"))
PROJECT = Path(__file__).resolve().parent / "project"


@pytest.fixture(scope="session")
def kedro_venv() -> Path:
    if not (VENV / "bin" / "kedro").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"kedro is not installed in {VENV}: .ci/run installs it")
        pytest.skip(f"kedro is not installed in {VENV} (set RCC_KEDRO_VENV)")
    return VENV


@pytest.fixture(scope="module")
def project(tmp_path_factory, kedro_venv) -> Path:
    """A fresh copy of the test project for each test module (its pods write datasets into it)."""
    root = tmp_path_factory.mktemp("fleet") / "fleet"
    shutil.copytree(PROJECT, root)
    return root
