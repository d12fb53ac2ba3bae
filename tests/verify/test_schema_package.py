"""The shipped Argo schema is exactly what bin/package-schema makes from ../shared now."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO.parent / "shared" / "argo" / "schema.json"
SHIPPED = REPO / "compiler" / "verify" / "argo_schema.json"


def _script():
    loader = importlib.machinery.SourceFileLoader("package_schema", str(REPO / "bin" / "package-schema"))
    spec = importlib.util.spec_from_loader("package_schema", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.skipif(not SOURCE.exists(), reason="../shared/argo/schema.json is not available")
def test_shipped_schema_is_regenerated_from_source(tmp_path: Path) -> None:
    out = tmp_path / "argo_schema.json"
    assert _script().main([str(SOURCE), "-o", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes(), "run bin/package-schema and commit the result"


def test_packaged_schema_is_strict_and_reads_int_or_string() -> None:
    data = json.loads(SHIPPED.read_text())
    defs = data["definitions"]
    assert defs["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] == {"type": ["integer", "string"]}
    with_props = [d for d in defs.values() if "properties" in d]
    assert with_props and all(d["additionalProperties"] is False for d in with_props)
    kinds = {"Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"}
    assert {r["$ref"].rsplit(".", 1)[-1] for r in data["oneOf"]} == kinds
    assert not any("EventSource" in name or "Sensor" in name for name in defs)


def test_packaging_is_deterministic() -> None:
    mod = _script()
    src = json.loads(SOURCE.read_text()) if SOURCE.exists() else None
    if src is None:
        pytest.skip("no source schema")
    assert mod.render(mod.package(src)) == mod.render(mod.package(json.loads(SOURCE.read_text())))
