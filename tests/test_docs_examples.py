"""Every YAML example of docs/language.md and docs/configuration.md builds as the page says.

A reference users copy from must not drift from the compiler. Examples are fenced blocks
whose info string names the file they stand for, plus optional attributes:

    ```yaml pipeline.yaml [runtime=NAME] [expect=RCCnnnn]
    ```yaml argo-config.yaml [expect=RCCnnnn]
    ```yaml argo-pipeline.yaml excerpt

(the file-name convention of compiler/explain/README.md; attributes are rcc's own).

A configuration block is built with examples/hello/pipeline.yaml and becomes the
configuration of the pipeline blocks after it (until the next one; before the first,
examples/hello/argo-config.yaml). Without `expect` the build must succeed with no
error; with it, the code must be reported and nothing written. An excerpt must match a
template of the manifest the block before it built (mappings as subsets, list entries
each matching one entry).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
DOCS = ("docs/language.md", "docs/configuration.md")
HELLO = ROOT / "examples" / "hello"
FENCE = re.compile(r"^```yaml[ \t]+((?:pipeline|argo-config|argo-pipeline)\.yaml\b.*?)\n(.*?)^```", re.M | re.S)


@dataclass
class Block:
    doc: str
    line: int
    title: str
    attrs: dict[str, str] = field(default_factory=dict)
    text: str = ""


def blocks(doc: str) -> list[Block]:
    source = (ROOT / doc).read_text(encoding="utf-8")
    out = []
    for m in FENCE.finditer(source):
        title, *words = m.group(1).split()
        attrs = dict(w.split("=", 1) if "=" in w else (w, "") for w in words)
        out.append(Block(doc, source.count("\n", 0, m.start()) + 1, title, attrs, m.group(2)))
    return out


def cases() -> list[tuple[Block, str, str]]:
    """(block, pipeline text, configuration text) for every block that is built."""
    out = []
    hello_pipeline = (HELLO / "pipeline.yaml").read_text(encoding="utf-8")
    for doc in DOCS:
        config = (HELLO / "argo-config.yaml").read_text(encoding="utf-8")
        for b in blocks(doc):
            if b.title == "argo-config.yaml":
                out.append((b, hello_pipeline, b.text))
                if "expect" not in b.attrs:
                    config = b.text
            elif b.title == "pipeline.yaml":
                out.append((b, b.text, config))
    return out


def _build(tmp: Path, pipeline: str, config: str, runtime: str | None) -> tuple[int, list[dict], Path]:
    (tmp / "pipeline.yaml").write_text(pipeline, encoding="utf-8")
    (tmp / "argo-config.yaml").write_text(config, encoding="utf-8")
    (tmp / ".git").mkdir(exist_ok=True)  # the project root: paths relative to it, no outside-root note
    out = tmp / "argo-pipeline.yaml"
    cmd = [sys.executable, "-m", "compiler.cli", "build", "pipeline.yaml", "-c", "argo-config.yaml",
           "-o", str(out), "--format", "json"] + (["--runtime", runtime] if runtime else [])
    proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=120)
    diags = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    return proc.returncode, diags, out


def test_the_docs_have_labelled_examples() -> None:
    built = cases()
    assert sum(1 for b, _, _ in built if b.doc == "docs/language.md") >= 10
    assert sum(1 for b, _, _ in built if b.doc == "docs/configuration.md") >= 6
    assert any("expect" in b.attrs for b, _, _ in built)
    assert any(b.title == "argo-pipeline.yaml" for doc in DOCS for b in blocks(doc))


@pytest.mark.parametrize("block,pipeline,config", [pytest.param(*c, id=f"{c[0].doc}:{c[0].line}") for c in cases()])
def test_example_builds_as_documented(tmp_path, block: Block, pipeline: str, config: str) -> None:
    code, diags, out = _build(tmp_path, pipeline, config, block.attrs.get("runtime"))
    errors = [d for d in diags if d["severity"] == "error"]
    where = f"{block.doc}:{block.line}"
    expect = block.attrs.get("expect")
    if expect:
        assert code == 1 and expect in {d["code"] for d in diags}, f"{where}: expected {expect}, got {diags}"
        assert not out.exists(), f"{where}: a manifest was written despite the error"
    else:
        assert code == 0 and not errors, f"{where}: {errors or diags}"
        assert out.exists()


def _matches(want, got) -> bool:
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and _matches(v, got[k]) for k, v in want.items())
    if isinstance(want, list):
        return isinstance(got, list) and all(any(_matches(w, g) for g in got) for w in want)
    return str(want) == str(got)


def test_worked_example_excerpt_is_what_rcc_builds(tmp_path) -> None:
    yaml = YAML(typ="safe")
    for doc in DOCS:
        found = blocks(doc)
        for i, b in enumerate(found):
            if b.title != "argo-pipeline.yaml":
                continue
            pipeline = next(p for p in reversed(found[:i]) if p.title == "pipeline.yaml")
            config = next(c for c in reversed(found[:i]) if c.title == "argo-config.yaml")
            code, diags, out = _build(tmp_path, pipeline.text, config.text, pipeline.attrs.get("runtime"))
            assert code == 0, diags
            manifest = yaml.load(out.read_text(encoding="utf-8"))
            want = yaml.load(b.text)
            assert any(_matches(want, t) for t in manifest["spec"]["templates"]), \
                f"{doc}:{b.line}: no template of the manifest matches the excerpt"
