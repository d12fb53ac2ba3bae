"""Registered pipelines."""


def register_pipelines():
    return {"__default__": None, "fleet": None}
