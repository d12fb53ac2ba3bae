"""The pipeline: two independent cleaning nodes, a fused pair, a GPU node, a node in a
custom template (with a sidecar) and a report."""

from __future__ import annotations

from argo_kedro.pipeline import FusedPipeline, Node
from kedro.pipeline import Pipeline

from fleet import nodes


def create_pipeline() -> Pipeline:
    return Pipeline([
        Node(nodes.clean_companies, "companies", "clean_companies", name="clean_companies_node"),
        Node(nodes.clean_shuttles, "shuttles", "clean_shuttles", name="clean_shuttles_node", machine_type="small"),
        FusedPipeline(
            [
                Node(nodes.join_tables, ["clean_companies", "clean_shuttles"], "joined", name="join_tables_node"),
                Node(nodes.add_features, "joined", "features", name="add_features_node"),
            ],
            name="features_fused",
            machine_type="small",
        ),
        Node(nodes.train_model, ["features", "params:epochs"], "model", name="train_model_node", machine_type="gpu"),
        Node(nodes.score_model, ["model", "features"], "scores", name="score_model_node", template="graphdb"),
        Node(nodes.report, ["scores", "model"], "report", name="report_node"),
    ])
