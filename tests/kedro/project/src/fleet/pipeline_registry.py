"""Registered pipelines: `__default__` is the fleet pipeline."""

from __future__ import annotations

from kedro.pipeline import Pipeline

from fleet.pipelines.fleet import create_pipeline


def register_pipelines() -> dict[str, Pipeline]:
    fleet = create_pipeline()
    return {"__default__": fleet, "fleet": fleet}
