"""Release hygiene: the distribution name, the licence, and no promise of a tag that does not exist.

`pip install rcc` installs an unrelated package from the public index, so rcc's
distribution has its own name while the command stays `rcc`. The documentation must only
point pip and pre-commit at revisions that exist: rcc has no release tag yet.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "rcc-argo"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_distribution_is_not_the_taken_name_and_the_command_is_rcc() -> None:
    project = _project()
    assert project["name"] == DISTRIBUTION
    assert project["scripts"] == {"rcc": "compiler.cli:main"}


def test_installed_metadata_names_the_distribution_and_its_licence_file() -> None:
    dist = importlib.metadata.distribution(DISTRIBUTION)
    assert dist.metadata["Name"] == DISTRIBUTION
    assert [e.value for e in dist.entry_points if e.name == "rcc"] == ["compiler.cli:main"]
    assert "LICENSE" in (dist.metadata.get_all("License-File") or [])


def test_licence_file_matches_the_declared_licence() -> None:
    assert _project()["license"] == {"text": "Apache-2.0"}
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text


def test_changelog_says_nothing_is_released() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" in text
    assert not re.search(r"^## \[?v?\d+\.\d+", text, re.M), "a released version is listed but no tag exists"


def _tags() -> list[str]:
    proc = subprocess.run(["git", "-C", str(ROOT), "tag", "--list"], capture_output=True, text=True)
    return proc.stdout.split() if proc.returncode == 0 else []


def test_docs_point_only_at_revisions_that_exist() -> None:
    tags = set(_tags())
    files = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for rev in re.findall(r"^\s*rev:\s*(\S+)", text, re.M) + re.findall(r"/rcc@([^\"\s]+)", text):
            assert rev in tags or rev == "<commit-sha>" or re.fullmatch(r"[0-9a-f]{40}", rev) \
                or rev.startswith("{"), f"{path.name} promises revision {rev!r}, which is not a tag of rcc"
        assert "pip install rcc " not in text and "pip install rcc\n" not in text, \
            f"{path.name} tells users to install the unrelated `rcc` from PyPI"
