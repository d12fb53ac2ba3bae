"""Registered pipelines."""


def register_pipelines():
    raise ValueError("Pipeline input(s) {'raw'} not found in the DataCatalog")
