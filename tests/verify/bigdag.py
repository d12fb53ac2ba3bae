"""A generated DAG manifest of N tasks, the shape rcc emits for large pipelines."""

from __future__ import annotations


def big_dag(n: int) -> dict:
    tasks = []
    for i in range(n):
        task: dict = {
            "name": f"step-{i}",
            "template": "run",
            "arguments": {"parameters": [{"name": "step", "value": f"step-{i}"},
                                         {"name": "upstream", "value": "{{workflow.parameters.run-id}}"}]},
        }
        if i:
            task["depends"] = f"step-{i - 1}.Succeeded" if i % 3 else f"step-{i - 1} || step-{max(0, i - 2)}.Failed"
        tasks.append(task)
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "big-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "run-id", "value": "r1"}]},
            "templates": [
                {"name": "main", "dag": {"tasks": tasks}},
                {"name": "run",
                 "inputs": {"parameters": [{"name": "step"}, {"name": "upstream", "default": ""}]},
                 "container": {"image": "python:3.12", "command": ["run"],
                               "args": ["{{inputs.parameters.step}}", "{{inputs.parameters.upstream}}",
                                        "{{workflow.name}}", "{{pod.name}}"]},
                 "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/tmp/out"}}]}},
            ],
        },
    }
