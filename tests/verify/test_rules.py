"""No false negatives: each broken manifest is caught with its code on the marked line;
and every rule of argo-rules.md that rcc implements is mapped to a code and a case."""

from __future__ import annotations

import pytest

from compiler.diagnostics import Diagnostics
from compiler.frontend.load import load_documents
from compiler.verify import lint_documents, verify_manifest

from cases import BASE, CASES, COLUMNS, FIXED, LONG_POD_NAMES

# argo-rules.md rule -> (code, failing case in cases.CASES)
RULES = {
    "workflow/WT/CWT metadata.name <= 63": ("RCC0801", "workflow-name-long"),
    "CronWorkflow name <= 52": ("RCC0801", "cron-name-long"),
    "template names required/unique/pattern/128": ("RCC0802", "template-name-pattern"),
    "template names unique": ("RCC0803", "template-name-duplicate"),
    "steps: name required": ("RCC0804", "step-name-missing"),
    "DAG tasks: unique names": ("RCC0803", "task-name-duplicate"),
    "DAG task may not start with a digit with depends": ("RCC0805", "task-name-digit"),
    "parameter & artifact names pattern": ("RCC0802", "parameter-name-pattern"),
    "outputs globalName pattern": ("RCC0802", "globalname-pattern"),
    "containerSet container names / reserved": ("RCC0806", "container-name-reserved"),
    "metric names/labels/help": ("RCC0807", "metric-name"),
    "strict parsing: unknown fields": ("RCC0810", "unknown-field"),
    "strict parsing: duplicate keys": ("RCC0003", "duplicate-key"),
    "schema types": ("RCC0811", "wrong-type"),
    "schema required fields": ("RCC0812", "missing-required"),
    "spec.entrypoint required": ("RCC0815", "entrypoint-missing"),
    "referenced template must exist": ("RCC0816", "template-undefined"),
    "templateRef needs name+template": ("RCC0817", "templateRef-incomplete".lower()),
    "templateRef template not found": ("RCC0818", "templateref-missing-in-bundle"),
    "templateRef outside the bundle (rcc)": ("RCC0819", "templateref-external"),
    "template+templateRef together forbidden": ("RCC0820", "template-and-templateref"),
    "spec.templates forbidden with workflowTemplateRef": ("RCC0821", "templates-with-wftref"),
    "exactly one template type": ("RCC0822", "template-two-types"),
    "hooks need expression except exit": ("RCC0823", "hook-without-expression"),
    "DAG >= 1 task": ("RCC0825", "dag-empty"),
    "cannot mix depends & dependencies": ("RCC0826", "depends-and-dependencies"),
    "continueOn forbidden with depends": ("RCC0827", "continueon-with-depends"),
    "dependency names must exist": ("RCC0828", "dependency-missing"),
    ".AnySucceeded/.AllFailed only with loops": ("RCC0829", "anysucceeded-without-loop"),
    "depends grammar (rcc: full parse)": ("RCC0830", "depends-parse"),
    "depends result names": ("RCC0830", "depends-result"),
    "cycles": ("RCC0831", "dag-cycle"),
    "target names must exist": ("RCC0832", "dag-target"),
    "{{tasks.X}} argument needs X ancestor": ("RCC0833", "argument-from-non-ancestor"),
    "template scope inputs.parameters": ("RCC0835", "variable-input"),
    "global scope workflow.parameters": ("RCC0835", "variable-workflow-param"),
    "DAG tasks.X.status only for ancestors": ("RCC0835", "variable-task-status"),
    "item outside a loop": ("RCC0835", "variable-item-outside-loop"),
    "withItems maps -> item.<key>": ("RCC0835", "variable-withitems-key"),
    "when parses (rcc)": ("RCC0836", "when-parse"),
    "literal read as expression (rcc)": ("RCC0837", "when-hyphen"),
    "at most one of withItems/withParam/withSequence": ("RCC0840", "two-loops"),
    "withSequence count XOR end": ("RCC0841", "sequence-count-end"),
    "activeDeadlineSeconds only on leaf": ("RCC0845", "deadline-non-leaf"),
    "activeDeadlineSeconds negative rejected": ("RCC0845", "deadline-negative"),
    "timeout only on leaf": ("RCC0846", "timeout-non-leaf"),
    "timeout not a bare integer": ("RCC0846", "timeout-no-unit"),
    "parallelism only on steps/dag": ("RCC0847", "parallelism-leaf"),
    "podResources only cpu/memory/hugepages": ("RCC0848", "podresources-key"),
    "container/script image required": ("RCC0849", "image-missing"),
    "volumeMount / artifact path collisions": ("RCC0850", "mount-collision"),
    "resource.action": ("RCC0851", "resource-action"),
    "retryPolicy values": ("RCC0852", "retry-policy"),
    "step/task arguments need value": ("RCC0855", "argument-no-value"),
    "argument enum must contain value": ("RCC0856", "argument-enum"),
    "argument artifacts need a source": ("RCC0857", "argument-artifact-source"),
    "output params valueFrom per template type": ("RCC0858", "output-source"),
    "inputs artifact `from` not allowed": ("RCC0859", "input-artifact-from"),
    "argument with no matching input (rcc)": ("RCC0860", "argument-without-input"),
    "missing input parameter without default": ("RCC0861", "input-not-supplied"),
    "CronWorkflow >= 1 schedule": ("RCC0865", "cron-no-schedule"),
    "schedule parses (ParseStandard)": ("RCC0866", "cron-bad-schedule"),
    "timezone via LoadLocation": ("RCC0867", "cron-timezone"),
    "concurrencyPolicy values": ("RCC0868", "cron-policy"),
    "startingDeadlineSeconds >= 0": ("RCC0869", "cron-deadline"),
    "manifest under 1 MiB": ("RCC0870", "manifest-too-large"),
    "large inline parameters (warning)": ("RCC0871", "large-parameter"),
    "pod name is a lower-case DNS name (pod_name.go + API server, warning)": ("RCC0872", "pod-name-uppercase"),
    # added from validate.go, v1alpha1, the controller and the API server
    "output parameter needs value or valueFrom (validateOutputParameter)": ("RCC0858", "output-no-value"),
    "steps.X.outputs.result only where HasOutput": ("RCC0835", "steps-result-of-suspend"),
    "tasks.X.exitCode only where HasOutput": ("RCC0835", "tasks-exitcode-of-resource"),
    "steps.X.ip only from a daemon": ("RCC0835", "steps-ip-not-daemon"),
    "steps.X.outputs.parameters.Y declared by X's template": ("RCC0835", "steps-undeclared-output"),
    "withSequence defines only {{item}} (addItemsToScope)": ("RCC0835", "sequence-item-field"),
    "timeout/pendingTimeout not on suspend (IsLeaf)": ("RCC0846", "timeout-suspend"),
    "containerSet with inputs/outputs needs `main`": ("RCC0873", "containerset-no-main"),
    "containerSet dependency defined (ContainerSetTemplate.Validate)": ("RCC0873", "containerset-dependency-undefined"),
    "sidecar names wait/supervisor/artifact-plugin-* reserved": ("RCC0806", "sidecar-reserved-name"),
    "containerSet names artifact-plugin-* reserved": ("RCC0806", "containerset-reserved-plugin-prefix"),
    "plugin names exactly one plugin (Plugin.UnmarshalJSON)": ("RCC0874", "plugin-two-keys"),
    "real-time gauge not on resourcesDuration (ValidateMetricValues)": ("RCC0807", "gauge-realtime-resources-duration"),
    "metric names without ':' (IsValidMetricName)": ("RCC0807", "metric-name-colon"),
    "podGC.strategy known (PodGCStrategy.IsValid)": ("RCC0875", "podgc-strategy"),
    "volumeMount names a volume (addVolumeReferences)": ("RCC0876", "volume-mount-undefined"),
    "metadata.name or generateName (API server)": ("RCC0877", "workflow-no-name"),
    "metadata.name a DNS subdomain (API server)": ("RCC0877", "workflow-name-not-dns"),
    "label values (API server)": ("RCC0877", "label-value-invalid"),
    "quantity grammar: 4GB": ("RCC0878", "quantity-memory-gb"),
    "quantity grammar: 2 cores": ("RCC0878", "quantity-cpu-cores"),
    "quantity non-negative": ("RCC0878", "quantity-negative"),
    "request <= limit (API server)": ("RCC0879", "request-above-limit"),
    "spec.podResources keys (validatePodResources)": ("RCC0848", "spec-podresources-key"),
    "podResources without claims (validatePodResources)": ("RCC0848", "podresources-claims"),
    "manifestFrom artifact is an input (validateLeaf)": ("RCC0851", "manifestfrom-undefined"),
    "leaf artifacts need a path (Artifact.CleanPath)": ("RCC0859", "artifact-no-path"),
    "artifact path without .. traversal (Artifact.CleanPath)": ("RCC0859", "artifact-path-traversal"),
    "argument valueFrom only default/configMapKeyRef/supplied/event": ("RCC0856", "argument-valuefrom-source"),
    "argument artifact not both from and fromExpression": ("RCC0857", "argument-from-and-expression"),
    "resourceClaims only on pod templates": ("RCC0848", "resourceclaims-non-pod"),
    "containerSet without a dependency cycle": ("RCC0873", "containerset-cycle"),
    "containerSet has containers": ("RCC0873", "containerset-empty"),
    "output artifact path only on leaves": ("RCC0859", "output-artifact-path-non-leaf"),
}

# Every check of Argo v4's validation (workflow/validate/validate.go and what it calls:
# v1alpha1's ContainerSetTemplate.Validate, Artifact.CleanPath, Plugin.UnmarshalJSON,
# metrics.ValidateMetricValues), of the controller when it builds a pod or stores the
# workflow, and of the API server on create: the rule of RULES that catches it, or None
# with the reason it is left out. The closing figure is caught/total.
GO_RULES: dict[str, str | tuple[None, str]] = {
    "Workflow/WorkflowTemplate/ClusterWorkflowTemplate name <= 63": "workflow/WT/CWT metadata.name <= 63",
    "CronWorkflow name <= 52": "CronWorkflow name <= 52",
    "WorkflowTemplateRefFields: no templates": "spec.templates forbidden with workflowTemplateRef",
    "workflowTemplateRef target exists": "templateRef outside the bundle (rcc)",
    "validateWorkflowFieldNames(spec.templates)": "template names required/unique/pattern/128",
    "validateExecutorPlugins": (None, "executor plugins are configured in the controller's namespace, not offline"),
    "spec.arguments names": "parameter & artifact names pattern",
    "arguments valueFrom sources": "argument valueFrom only default/configMapKeyRef/supplied/event",
    "arguments enum non-empty, value in enum": "argument enum must contain value",
    "argument artifacts from/location/key": "argument artifacts need a source",
    "argument artifacts not from+fromExpression": "argument artifact not both from and fromExpression",
    "spec.entrypoint required": "spec.entrypoint required",
    "entrypoint/onExit/step template defined": "referenced template must exist",
    "validateHooks: expression": "hooks need expression except exit",
    "podGC.strategy valid": "podGC.strategy known (PodGCStrategy.IsValid)",
    "podGC.labelSelector parses": (None, "needs Kubernetes' label-selector grammar; not written yet"),
    "spec.podResources": "spec.podResources keys (validatePodResources)",
    "cron: at least one schedule": "CronWorkflow >= 1 schedule",
    "cron: schedule parses": "schedule parses (ParseStandard)",
    "cron: timezone loads": "timezone via LoadLocation",
    "cron: concurrencyPolicy": "concurrencyPolicy values",
    "cron: startingDeadlineSeconds >= 0": "startingDeadlineSeconds >= 0",
    "validateInitContainers: names": "schema required fields",
    "validateTemplateType: exactly one": "exactly one template type",
    "template podResources: not on http/plugin, keys": "podResources only cpu/memory/hugepages",
    "template podResources: no claims": "podResources without claims (validatePodResources)",
    "validateInputs: names": "parameter & artifact names pattern",
    "input artifact path only on leaves, no from": "inputs artifact `from` not allowed",
    "Artifact.CleanPath: a path": "leaf artifacts need a path (Artifact.CleanPath)",
    "Artifact.CleanPath: no traversal": "artifact path without .. traversal (Artifact.CleanPath)",
    "validateArtifactLocation: git.repo": "schema required fields",
    "validateArtifactLocation: hdfs": (None, "HDFS artifact settings (addresses, krb options): rarely used, not written"),
    "resourceClaims only on pod templates": "resourceClaims only on pod templates",
    "timeout only on leaves (not suspend)": "timeout/pendingTimeout not on suspend (IsLeaf)",
    "timeout not a bare integer": "timeout not a bare integer",
    "pendingTimeout only on leaves": "timeout only on leaf",
    "validateOutputs: names": "template names required/unique/pattern/128",
    "output artifact path only on leaves": "output artifact path only on leaves",
    "outputs globalName": "outputs globalName pattern",
    "validateOutputParameter: not value and valueFrom": "output params valueFrom per template type",
    "validateOutputParameter: value or valueFrom": "output parameter needs value or valueFrom (validateOutputParameter)",
    "validateOutputParameter: one valueFrom type": "output params valueFrom per template type",
    "output valueFrom per template type": "output params valueFrom per template type",
    "metric name": "metric names/labels/help",
    "metric name without ':'": "metric names without ':' (IsValidMetricName)",
    "metric help": "metric names/labels/help",
    "metric values: no real-time resourcesDuration": "real-time gauge not on resourcesDuration (ValidateMetricValues)",
    "resolveAllVariables: inputs": "template scope inputs.parameters",
    "resolveAllVariables: workflow globals": "global scope workflow.parameters",
    "resolveAllVariables: items outside loops": "item outside a loop",
    "template and templateRef together": "template+templateRef together forbidden",
    "templateRef name and template": "templateRef needs name+template",
    "templateRef template found": "templateRef template not found",
    "retryPolicy": "retryPolicy values",
    "activeDeadlineSeconds not on steps/dag": "activeDeadlineSeconds only on leaf",
    "activeDeadlineSeconds value": "activeDeadlineSeconds negative rejected",
    "mountPath collisions": "volumeMount / artifact path collisions",
    "container/script image": "container/script image required",
    "containerSet: containers": "containerSet has containers",
    "containerSet: container names": "containerSet container names / reserved",
    "containerSet: dependencies defined": "containerSet dependency defined (ContainerSetTemplate.Validate)",
    "containerSet: no cycle": "containerSet without a dependency cycle",
    "containerSet: main for inputs/outputs": "containerSet with inputs/outputs needs `main`",
    "containerSet: reserved names": "containerSet names artifact-plugin-* reserved",
    "sidecars: reserved names": "sidecar names wait/supervisor/artifact-plugin-* reserved",
    "resource action": "resource.action",
    "resource manifest or manifestFrom, not both, valid YAML": "resource.action",
    "resource manifestFrom artifact exists": "manifestFrom artifact is an input (validateLeaf)",
    "parallelism not on leaves": "parallelism only on steps/dag",
    "step/task arguments have values": "step/task arguments need value",
    "steps: names required/unique/valid": "steps: name required",
    "addItemsToScope: one loop kind": "at most one of withItems/withParam/withSequence",
    "addItemsToScope: count xor end": "withSequence count XOR end",
    "addItemsToScope: withItems element types": (None, "YAML can only write the types Argo accepts, except null; not written"),
    "addItemsToScope: withSequence defines item only": "withSequence defines only {{item}} (addItemsToScope)",
    "addOutputsToScope: result/exitCode where HasOutput": "steps.X.outputs.result only where HasOutput",
    "addOutputsToScope: ip only of daemons": "steps.X.ip only from a daemon",
    "addOutputsToScope: declared outputs": "steps.X.outputs.parameters.Y declared by X's template",
    "DAG: at least one task": "DAG >= 1 task",
    "DAG: task names": "DAG tasks: unique names",
    "DAG: no digit first with depends": "DAG task may not start with a digit with depends",
    "DAG: depends xor dependencies": "cannot mix depends & dependencies",
    "DAG: continueOn not with depends": "continueOn forbidden with depends",
    "DAG: ValidateTaskResults": "depends result names",
    "DAG: dependencies defined": "dependency names must exist",
    "DAG: items-based conditions need items": ".AnySucceeded/.AllFailed only with loops",
    "DAG: no cycles": "cycles",
    "DAG: targets defined": "target names must exist",
    "DAG: argument dependency is an ancestor": "{{tasks.X}} argument needs X ancestor",
    "DAG: tasks.X.status only of ancestors": "DAG tasks.X.status only for ancestors",
    "Plugin.UnmarshalJSON: one key": "plugin names exactly one plugin (Plugin.UnmarshalJSON)",
    "controller: volume mounts name volumes": "volumeMount names a volume (addVolumeReferences)",
    "controller: pod name a DNS subdomain": "pod name is a lower-case DNS name (pod_name.go + API server, warning)",
    "controller: MAX_WORKFLOW_SIZE": "manifest under 1 MiB",
    "strict decoding: unknown fields": "strict parsing: unknown fields",
    "strict decoding: duplicate keys": "strict parsing: duplicate keys",
    "decoding: types": "schema types",
    "API server: name or generateName": "metadata.name or generateName (API server)",
    "API server: DNS subdomain names": "metadata.name a DNS subdomain (API server)",
    "API server: label keys and values": "label values (API server)",
    "API server: quantities": "quantity grammar: 4GB",
    "API server: non-negative quantities": "quantity non-negative",
    "API server: request <= limit": "request <= limit (API server)",
}
CAUGHT, TOTAL = 99, 103


def _lint(text: str) -> list:
    diags = Diagnostics()
    docs = load_documents(text, "case.yaml", diags)
    lint_documents(docs, diags)
    return diags.sorted()


def test_base_is_clean():
    assert _lint(BASE) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_is_caught_on_its_line(name):
    code, text = CASES[name]
    marked = [i + 1 for i, line in enumerate(text.splitlines()) if "#!" in line]
    assert len(marked) == 1, "a case marks exactly one line"
    found = [(d.code, d.span.line) for d in _lint(text) if d.span]
    assert (code, marked[0]) in found, found


def test_every_rule_maps_to_a_case_with_its_code():
    for rule, (code, case) in RULES.items():
        assert case in CASES, rule
        assert CASES[case][0] == code, rule
    assert len(RULES) >= 60


def test_verify_manifest_reports_errors_with_paths_and_no_spans():
    diags = Diagnostics()
    data = load_documents(CASES["dag-cycle"][1], "c.yaml", diags)[0].data
    found = verify_manifest(data)
    assert [d.code for d in found] == ["RCC0831"]
    assert found[0].span is None and "spec.templates[0].dag.tasks" in found[0].message


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_case_is_caught_at_its_column(name):
    code, text = CASES[name]
    line = next(i + 1 for i, row in enumerate(text.splitlines()) if "#!" in row)
    found = [(d.code, d.span.line, d.span.column) for d in _lint(text) if d.span]
    assert (code, line, COLUMNS[name]) in found, found


@pytest.mark.parametrize("name", sorted(FIXED))
def test_fixed_twin_lints_clean(name):
    assert [(d.code, d.message) for d in _lint(FIXED[name])] == []


def test_long_pod_names_are_no_finding():
    """Argo cuts a pod name's prefix to 242 characters and Kubernetes' limit is 253."""
    assert _lint(LONG_POD_NAMES) == []


def test_image_left_to_template_defaults_is_no_finding():
    """The false positive of the schema's `required: [image]` (Argo's validateLeaf accepts it)."""
    defaults = "  templateDefaults:\n    container:\n      image: alpine:3.19\n"
    text = BASE.replace("      image: alpine:3.19\n", "").replace("  templates:\n", defaults + "  templates:\n")
    assert _lint(text) == []
    without = text.replace(defaults, "")
    assert [d.code for d in _lint(without)] == ["RCC0849"]


def test_every_go_rule_is_caught_by_a_rule_with_a_case_or_says_why_not():
    caught = [site for site, rule in GO_RULES.items() if isinstance(rule, str)]
    for site in caught:
        assert GO_RULES[site] in RULES, site
    for site, rule in GO_RULES.items():
        if not isinstance(rule, str):
            assert rule[0] is None and rule[1], site
    assert (len(caught), len(GO_RULES)) == (CAUGHT, TOTAL)
