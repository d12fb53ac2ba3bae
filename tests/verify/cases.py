"""Broken manifests, one (at least) per rule of argo-rules.md.

Each case is YAML whose offending line carries the marker `#!`; the test expects the
case's code reported on exactly that line. `BASE` is a small valid workflow that most
cases mutate.
"""

from __future__ import annotations

BASE = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: base-
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: who
      value: world
  templates:
  - name: main
    dag:
      tasks:
      - name: a
        template: echo
        arguments:
          parameters:
          - name: message
            value: "{{workflow.parameters.who}}"
      - name: b
        depends: a.Succeeded
        template: echo
        arguments:
          parameters:
          - name: message
            value: "{{tasks.a.outputs.result}}"
  - name: echo
    inputs:
      parameters:
      - name: message
    container:
      image: alpine:3.19
      command: [echo, "{{inputs.parameters.message}}"]
"""


def mutate(old: str, new: str, text: str = BASE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


CRON = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: ["0 2 * * *"]
  timezone: Europe/Paris
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container:
        image: alpine
"""

CASES: dict[str, tuple[str, str]] = {
    "workflow-name-long": ("RCC0801", mutate("  generateName: base-", "  name: " + "w" * 64 + " #!")),
    "cron-name-long": ("RCC0801", mutate("  name: nightly", "  name: " + "c" * 53 + " #!", CRON)),
    "template-name-pattern": ("RCC0802", mutate("  - name: echo\n", "  - name: echo_x #!\n").replace("template: echo", "template: echo_x")),
    "template-name-duplicate": ("RCC0803", mutate("  - name: echo\n", "  - name: main #!\n").replace("template: echo", "template: main")),
    "step-name-missing": ("RCC0804", mutate("  - name: echo\n", "  - name: s\n    steps:\n    - - template: echo #!\n  - name: echo\n")),
    "task-name-duplicate": ("RCC0803", mutate("      - name: b\n", "      - name: a #!\n").replace("depends: a.Succeeded", "depends: ''")),
    "task-name-digit": ("RCC0805", mutate("      - name: a\n", "      - name: 1a #!\n").replace("a.Succeeded", "1a.Succeeded").replace("tasks.a.", "tasks.1a.")),
    "parameter-name-pattern": ("RCC0802", mutate("    - name: who\n", "    - name: who? #!\n").replace("workflow.parameters.who", "workflow.parameters.who?")),
    "globalname-pattern": ("RCC0802", mutate("      command:", "    outputs:\n      parameters:\n      - name: o\n        globalName: bad/name #!\n        valueFrom: {path: /o}\n    container2:").replace("container2:\n      image: alpine:3.19\n      command:", "container:\n      image: alpine:3.19\n      command:").replace("    container:\n      image: alpine:3.19\n    outputs", "    outputs")),
    "container-name-reserved": ("RCC0806", mutate("    container:\n      image: alpine:3.19\n      command: [echo, \"{{inputs.parameters.message}}\"]\n",
                                                  "    containerSet:\n      containers:\n      - name: wait #!\n        image: alpine\n")),
    "metric-name": ("RCC0807", mutate("  - name: echo\n", "  - name: echo\n    metrics:\n      prometheus:\n      - name: 1bad #!\n        help: h\n        counter: {value: '1'}\n")),
    "unknown-field": ("RCC0810", mutate("      image: alpine:3.19", "      imag: alpine:3.19 #!\n      image: x")),
    "wrong-type": ("RCC0811", mutate("  entrypoint: main", "  entrypoint: [main] #!")),
    "missing-required": ("RCC0812", mutate("      - name: b\n        depends", "      - template: echo #!\n        depends").replace("        template: echo\n        arguments:\n          parameters:\n          - name: message\n            value: \"{{tasks.a.outputs.result}}\"", "")),
    "entrypoint-missing": ("RCC0815", mutate("spec:\n  entrypoint: main\n", "spec: #!\n")),
    "template-undefined": ("RCC0816", mutate("        depends: a.Succeeded\n        template: echo", "        depends: a.Succeeded\n        template: ecoh #!")),
    "templateref-incomplete": ("RCC0817", mutate("        depends: a.Succeeded\n        template: echo", "        depends: a.Succeeded\n        templateRef: #!\n          name: shared")),
    "templateref-missing-in-bundle": ("RCC0818", mutate("        depends: a.Succeeded\n        template: echo", "        depends: a.Succeeded\n        templateRef:\n          name: shared\n          template: nope #!") + "---\napiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: shared\nspec:\n  templates:\n  - name: echo\n    container: {image: alpine}\n"),
    "templateref-external": ("RCC0819", mutate("        depends: a.Succeeded\n        template: echo", "        depends: a.Succeeded\n        templateRef:\n          name: elsewhere #!\n          template: x")),
    "template-and-templateref": ("RCC0820", mutate("        depends: a.Succeeded\n        template: echo", "        depends: a.Succeeded\n        template: echo\n        templateRef: #!\n          name: x\n          template: y")),
    "templates-with-wftref": ("RCC0821", mutate("  templates:", "  workflowTemplateRef:\n    name: shared\n  templates: #!")),
    "template-two-types": ("RCC0822", mutate("    container:\n      image: alpine:3.19", "    script: #!\n      image: alpine\n      source: echo\n    container:\n      image: alpine:3.19")),
    "hook-without-expression": ("RCC0823", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        hooks:\n          running: #!\n            template: echo\n")),
    "dag-empty": ("RCC0825", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: e}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks: [] #!\n"),
    "depends-and-dependencies": ("RCC0826", mutate("        depends: a.Succeeded\n        template: echo", "        dependencies: [a] #!\n        template: echo").replace("      - name: a\n        template: echo", "      - name: a\n        depends: ''\n        template: echo")),
    "continueon-with-depends": ("RCC0827", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        continueOn: #!\n          failed: true\n")),
    "dependency-missing": ("RCC0828", mutate("        depends: a.Succeeded", "        depends: c.Succeeded #!")),
    "anysucceeded-without-loop": ("RCC0829", mutate("        depends: a.Succeeded", "        depends: a.AnySucceeded #!")),
    "depends-parse": ("RCC0830", mutate("        depends: a.Succeeded", "        depends: a.Succeeded && #!")),
    "depends-result": ("RCC0830", mutate("        depends: a.Succeeded", "        depends: a.Succeed #!")),
    "dag-cycle": ("RCC0831", mutate("      - name: a\n        template: echo", "      - name: a #!\n        depends: b\n        template: echo")),
    "dag-target": ("RCC0832", mutate("    dag:\n", "    dag:\n      target: zz #!\n")),
    "argument-from-non-ancestor": ("RCC0833", mutate("        depends: a.Succeeded\n", "        depends: ''\n").replace("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{tasks.a.outputs.result}}\" #!")),
    "variable-input": ("RCC0835", mutate("      command: [echo, \"{{inputs.parameters.message}}\"]", "      command: [echo, \"{{inputs.parameters.mesage}}\"] #!")),
    "variable-workflow-param": ("RCC0835", mutate("            value: \"{{workflow.parameters.who}}\"", "            value: \"{{workflow.parameters.whom}}\" #!")),
    "variable-task-status": ("RCC0835", mutate("        depends: a.Succeeded\n", "        depends: ''\n").replace("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{tasks.a.status}}\" #!")),
    "variable-item-outside-loop": ("RCC0835", mutate("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{item.x}}\" #!")),
    "variable-withitems-key": ("RCC0835", mutate("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{item.nme}}\" #!\n        withItems:\n        - {name: x}")),
    "when-parse": ("RCC0836", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        when: \"({{tasks.a.outputs.result}} == x\" #!\n")),
    "when-hyphen": ("RCC0837", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        when: \"{{tasks.a.outputs.result}} == my-value\" #!\n")),
    "two-loops": ("RCC0840", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        withItems: [1]\n        withParam: \"[1]\" #!\n")),
    "sequence-count-end": ("RCC0841", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        withSequence: #!\n          count: '2'\n          end: '5'\n")),
    "deadline-non-leaf": ("RCC0845", mutate("    dag:\n", "    activeDeadlineSeconds: 10 #!\n    dag:\n")),
    "deadline-negative": ("RCC0845", mutate("    container:\n", "    activeDeadlineSeconds: -5 #!\n    container:\n")),
    "timeout-non-leaf": ("RCC0846", mutate("    dag:\n", "    timeout: 30s #!\n    dag:\n")),
    "timeout-no-unit": ("RCC0846", mutate("    container:\n", "    timeout: \"30\" #!\n    container:\n")),
    "parallelism-leaf": ("RCC0847", mutate("    container:\n", "    parallelism: 2 #!\n    container:\n")),
    "podresources-key": ("RCC0848", mutate("    container:\n", "    podResources:\n      limits:\n        gpu: '1' #!\n    container:\n")),
    "image-missing": ("RCC0849", mutate("      image: alpine:3.19\n", "").replace("    container:\n", "    container: #!\n")),
    "mount-collision": ("RCC0850", mutate("      command:", "      volumeMounts:\n      - {name: a, mountPath: /d}\n      - {name: b, mountPath: /d} #!\n      command:")),
    "resource-action": ("RCC0851", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: r}\nspec:\n  entrypoint: main\n  templates:\n  - name: main\n    resource:\n      action: launch #!\n      manifest: |\n        kind: ConfigMap\n"),
    "retry-policy": ("RCC0852", mutate("    container:\n", "    retryStrategy:\n      retryPolicy: Sometimes #!\n    container:\n")),
    "argument-no-value": ("RCC0855", mutate("          - name: message\n            value: \"{{workflow.parameters.who}}\"", "          - name: message #!")),
    "argument-enum": ("RCC0856", mutate("            value: \"{{workflow.parameters.who}}\"", "            value: c #!\n            enum: [a, b]")),
    "argument-artifact-source": ("RCC0857", mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        arguments:\n          artifacts:\n          - name: art #!\n").replace("        arguments:\n          parameters:\n          - name: message\n            value: \"{{tasks.a.outputs.result}}\"\n", "", 1)),
    "output-source": ("RCC0858", mutate("    container:\n", "    outputs:\n      parameters:\n      - name: o\n        valueFrom: #!\n          parameter: x\n    container:\n")),
    "input-artifact-from": ("RCC0859", mutate("      parameters:\n      - name: message\n    container", "      parameters:\n      - name: message\n      artifacts:\n      - name: i\n        path: /i\n        from: x #!\n    container")),
    "argument-without-input": ("RCC0860", mutate("          - name: message\n            value: \"{{workflow.parameters.who}}\"", "          - name: message\n            value: \"{{workflow.parameters.who}}\"\n          - name: mesage #!\n            value: x")),
    "input-not-supplied": ("RCC0861", mutate("      - name: a\n        template: echo\n        arguments:\n          parameters:\n          - name: message\n            value: \"{{workflow.parameters.who}}\"\n", "      - name: a\n        template: echo #!\n")),
    "cron-no-schedule": ("RCC0865", mutate('  schedules: ["0 2 * * *"]', "  schedules: [] #!", CRON)),
    "cron-bad-schedule": ("RCC0866", mutate('  schedules: ["0 2 * * *"]', '  schedules: ["61 2 * * *"] #!', CRON)),
    "cron-timezone": ("RCC0867", mutate("  timezone: Europe/Paris", "  timezone: Mars/Olympus #!", CRON)),
    "cron-policy": ("RCC0868", mutate("  timezone: Europe/Paris", "  timezone: Europe/Paris\n  concurrencyPolicy: Sometimes #!", CRON)),
    "cron-deadline": ("RCC0869", mutate("  timezone: Europe/Paris", "  timezone: Europe/Paris\n  startingDeadlineSeconds: -1 #!", CRON)),
    "manifest-too-large": ("RCC0870", mutate("      value: world", "      value: world\n    - name: big\n      description: " + "x" * (1024 * 1024 + 10)).replace("apiVersion", "apiVersion", 1).replace("apiVersion: argoproj.io/v1alpha1\n", "apiVersion: argoproj.io/v1alpha1 #!\n", 1)),
    "large-parameter": ("RCC0871", mutate("      value: world", "      value: " + "y" * (130 * 1024) + " #!")),
    "pod-name-long": ("RCC0872", mutate("  - name: echo\n", "  - name: " + "e" * 50 + " #!\n").replace("template: echo", "template: " + "e" * 50)),
    "duplicate-key": ("RCC0003", mutate("  entrypoint: main\n", "  entrypoint: main\n  entrypoint: main #!\n")),
}

# Rules added from Argo v4's validate.go, v1alpha1 types, the controller and Kubernetes'
# API server. Each has its fixed twin (FIXED, which lints clean) and the column of the
# offending token (COLUMNS), so a case pins the code, the line and the column.
STEPS = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: steps-
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: first
        template: first
    - - name: second
        template: echo
        arguments:
          parameters:
          - name: message
            value: "{{steps.first.outputs.result}}"
  - name: first
    suspend: {}
  - name: echo
    inputs:
      parameters:
      - name: message
    container:
      image: alpine:3.19
      command: [echo, "{{inputs.parameters.message}}"]
"""
CONTAINER_SET = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: cs-
spec:
  entrypoint: main
  templates:
  - name: main
    outputs:
      parameters:
      - name: out
        valueFrom: {path: /tmp/out}
    containerSet:
      containers:
      - name: prepare
        image: alpine
      - name: main
        image: alpine
        dependencies: [prepare]
"""
RESOURCES = mutate("      command: [echo, \"{{inputs.parameters.message}}\"]",
                   "      command: [echo, \"{{inputs.parameters.message}}\"]\n      resources:\n"
                   "        requests: {memory: 1Gi, cpu: 500m}\n        limits: {memory: 4Gi, cpu: \"2\"}")


def _twin(name: str, code: str, broken: str, fixed: str, column: int) -> None:
    CASES[name] = (code, broken)
    FIXED[name] = fixed
    COLUMNS[name] = column


FIXED: dict[str, str] = {}
COLUMNS: dict[str, int] = {}
_twin("output-no-value", "RCC0858",
      mutate("    container:\n", "    outputs:\n      parameters:\n      - name: o #!\n    container:\n"),
      mutate("    container:\n", "    outputs:\n      parameters:\n      - name: o\n        valueFrom: {path: /o}\n    container:\n"), 9)
_twin("steps-result-of-suspend", "RCC0835", STEPS.replace('outputs.result}}"', 'outputs.result}}" #!'),
      STEPS.replace("outputs.result}}", "finishedAt}}"), 20)
_twin("tasks-exitcode-of-resource", "RCC0835",
      mutate("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{tasks.a.exitCode}}\" #!")
      .replace("      - name: a\n        template: echo\n", "      - name: a\n        template: apply\n", 1)
      .replace("        arguments:\n          parameters:\n          - name: message\n            value: \"{{workflow.parameters.who}}\"\n", "", 1)
      + "  - name: apply\n    resource:\n      action: create\n      manifest: 'kind: ConfigMap'\n",
      mutate("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{tasks.a.status}}\"")
      .replace("      - name: a\n        template: echo\n", "      - name: a\n        template: apply\n", 1)
      .replace("        arguments:\n          parameters:\n          - name: message\n            value: \"{{workflow.parameters.who}}\"\n", "", 1)
      + "  - name: apply\n    resource:\n      action: create\n      manifest: 'kind: ConfigMap'\n", 20)
_twin("steps-ip-not-daemon", "RCC0835",
      STEPS.replace("outputs.result}}\"", "ip}}\" #!").replace("    suspend: {}\n", "    container: {image: nginx}\n"),
      STEPS.replace("outputs.result}}\"", "ip}}\"").replace("    suspend: {}\n", "    daemon: true\n    container: {image: nginx}\n"), 20)
_twin("steps-undeclared-output", "RCC0835",
      STEPS.replace("outputs.result}}\"", "outputs.parameters.nope}}\" #!").replace("    suspend: {}\n", "    container: {image: alpine}\n"),
      STEPS.replace("outputs.result}}\"", "outputs.parameters.out}}\"").replace(
          "    suspend: {}\n", "    outputs:\n      parameters:\n      - name: out\n        valueFrom: {path: /out}\n    container: {image: alpine}\n"), 20)
_twin("sequence-item-field", "RCC0835",
      mutate("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{item.n}}\" #!\n        withSequence: {count: '3'}"),
      mutate("            value: \"{{tasks.a.outputs.result}}\"", "            value: \"{{item}}\"\n        withSequence: {count: '3'}"), 20)
_twin("timeout-suspend", "RCC0846",
      STEPS.replace("    suspend: {}\n", "    timeout: 30s #!\n    suspend: {}\n").replace("outputs.result", "status"),
      STEPS.replace("    suspend: {}\n", "    suspend: {duration: 30s}\n").replace("outputs.result", "status"), 5)
_twin("containerset-no-main", "RCC0873", CONTAINER_SET.replace("    containerSet:\n      containers:\n", "    containerSet:\n      containers: #!\n")
      .replace("- name: main\n        image", "- name: work\n        image"), CONTAINER_SET, 7)
_twin("containerset-dependency-undefined", "RCC0873",
      CONTAINER_SET.replace("dependencies: [prepare]", "dependencies: [prepar] #!"), CONTAINER_SET, 24)
_twin("sidecar-reserved-name", "RCC0806",
      mutate("    container:\n", "    sidecars:\n    - name: supervisor #!\n      image: nginx\n    container:\n"),
      mutate("    container:\n", "    sidecars:\n    - name: proxy\n      image: nginx\n    container:\n"), 13)
_twin("containerset-reserved-plugin-prefix", "RCC0806",
      CONTAINER_SET.replace("- name: prepare", "- name: artifact-plugin-x #!").replace("[prepare]", "[artifact-plugin-x]"),
      CONTAINER_SET, 15)
_twin("plugin-two-keys", "RCC0874",
      mutate("    container:\n      image: alpine:3.19\n      command: [echo, \"{{inputs.parameters.message}}\"]\n",
             "    plugin: #!\n      hello: {text: hi}\n      other: {text: hi}\n"),
      mutate("    container:\n      image: alpine:3.19\n      command: [echo, \"{{inputs.parameters.message}}\"]\n",
             "    plugin:\n      hello: {text: \"{{inputs.parameters.message}}\"}\n"), 5)
_twin("gauge-realtime-resources-duration", "RCC0807",
      mutate("  - name: echo\n", "  - name: echo\n    metrics:\n      prometheus:\n      - name: cpu_used\n        help: h\n"
             "        gauge: {realtime: true, value: '{{resourcesDuration.cpu}}'} #!\n"),
      mutate("  - name: echo\n", "  - name: echo\n    metrics:\n      prometheus:\n      - name: cpu_used\n        help: h\n"
             "        gauge: {realtime: false, value: '{{resourcesDuration.cpu}}'}\n"), 27)
_twin("metric-name-colon", "RCC0807",
      mutate("  - name: echo\n", "  - name: echo\n    metrics:\n      prometheus:\n      - name: job:runs #!\n        help: h\n        counter: {value: '1'}\n"),
      mutate("  - name: echo\n", "  - name: echo\n    metrics:\n      prometheus:\n      - name: job_runs\n        help: h\n        counter: {value: '1'}\n"), 15)
_twin("podgc-strategy", "RCC0875", mutate("  entrypoint: main\n", "  entrypoint: main\n  podGC:\n    strategy: OnPodSucces #!\n"),
      mutate("  entrypoint: main\n", "  entrypoint: main\n  podGC:\n    strategy: OnPodSuccess\n"), 15)
_twin("volume-mount-undefined", "RCC0876",
      mutate("      command:", "      volumeMounts:\n      - {name: workdri, mountPath: /work} #!\n      command:")
      .replace("  templates:\n", "  volumes:\n  - {name: workdir, emptyDir: {}}\n  templates:\n", 1),
      mutate("      command:", "      volumeMounts:\n      - {name: workdir, mountPath: /work}\n      command:")
      .replace("  templates:\n", "  volumes:\n  - {name: workdir, emptyDir: {}}\n  templates:\n", 1), 16)
_twin("workflow-no-name", "RCC0877", mutate("metadata:\n  generateName: base-\n", "metadata: #!\n  labels:\n    generateName: base\n"),
      BASE, 1)
_twin("workflow-name-not-dns", "RCC0877", mutate("  generateName: base-", "  name: My_Workflow #!"),
      mutate("  generateName: base-", "  name: my-workflow"), 9)
_twin("label-value-invalid", "RCC0877", mutate("  generateName: base-", "  generateName: base-\n  labels:\n    team: data- #!"),
      mutate("  generateName: base-", "  generateName: base-\n  labels:\n    team: data"), 11)
_twin("quantity-memory-gb", "RCC0878", RESOURCES.replace("limits: {memory: 4Gi", "limits: {memory: 4GB").replace('"2"}', '"2"} #!'),
      RESOURCES, 26)
_twin("quantity-cpu-cores", "RCC0878", RESOURCES.replace('cpu: "2"}', 'cpu: 2 cores} #!'), RESOURCES, 36)
_twin("quantity-negative", "RCC0878", RESOURCES.replace("requests: {memory: 1Gi", "requests: {memory: -1Gi").replace("cpu: 500m}", "cpu: 500m} #!"),
      RESOURCES, 28)
_twin("request-above-limit", "RCC0879", RESOURCES.replace("cpu: 500m}", "cpu: '3'} #!"), RESOURCES, 38)
_twin("pod-name-uppercase", "RCC0872", mutate("  - name: echo\n", "  - name: Echo #!\n").replace("template: echo", "template: Echo"),
      BASE, 11)
# A long pod name is no error: Argo cuts the prefix to fit (workflow/util/pod_name.go).
LONG_POD_NAMES = CASES.pop("pod-name-long")[1].replace(" #!", "")
_twin("spec-podresources-key", "RCC0848", mutate("  entrypoint: main\n", "  entrypoint: main\n  podResources:\n    limits:\n      nvidia.com/gpu: '1' #!\n"),
      mutate("  entrypoint: main\n", "  entrypoint: main\n  podResources:\n    limits:\n      cpu: '1'\n"), 7)
_twin("podresources-claims", "RCC0848", mutate("    container:\n", "    podResources:\n      claims: #!\n      - name: gpu\n    container:\n"),
      mutate("    container:\n", "    podResources:\n      limits: {memory: 1Gi}\n    container:\n"), 7)
MANIFEST_FROM = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: apply-
spec:
  entrypoint: main
  templates:
  - name: main
    inputs:
      artifacts:
      - name: manifest
        path: /tmp/manifest.yaml
        raw: {data: 'kind: ConfigMap'}
    resource:
      action: create
      manifestFrom:
        artifact:
          name: manifest
"""
_twin("manifestfrom-undefined", "RCC0851", MANIFEST_FROM.replace("          name: manifest\n", "          name: manifests #!\n"),
      MANIFEST_FROM, 17)
_twin("artifact-no-path", "RCC0859", mutate("    container:\n", "    outputs:\n      artifacts:\n      - name: result #!\n    container:\n"),
      mutate("    container:\n", "    outputs:\n      artifacts:\n      - name: result\n        path: /tmp/result\n    container:\n"), 9)
_twin("artifact-path-traversal", "RCC0859",
      mutate("    container:\n", "    outputs:\n      artifacts:\n      - name: result\n        path: /tmp/safe/../../etc #!\n    container:\n"),
      mutate("    container:\n", "    outputs:\n      artifacts:\n      - name: result\n        path: /tmp/safe/result\n    container:\n"), 15)
_twin("argument-valuefrom-source", "RCC0856",
      mutate("            value: \"{{workflow.parameters.who}}\"", "            valueFrom:\n              path: /tmp/x #!"),
      mutate("            value: \"{{workflow.parameters.who}}\"", "            valueFrom:\n              configMapKeyRef: {name: cm, key: who}"), 15)
_twin("argument-from-and-expression", "RCC0857",
      mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        arguments:\n          artifacts:\n          - name: art\n"
             "            from: \"{{tasks.a.outputs.artifacts.out}}\"\n            fromExpression: \"tasks.a.outputs.artifacts.out\" #!\n")
      .replace("        arguments:\n          parameters:\n          - name: message\n            value: \"{{tasks.a.outputs.result}}\"\n", "", 1)
      .replace("    inputs:\n      parameters:\n      - name: message\n", "    inputs:\n      parameters:\n      - name: message\n        value: m\n      artifacts:\n      - {name: art, path: /a, optional: true}\n    outputs:\n      artifacts:\n      - {name: out, path: /o}\n"),
      mutate("        depends: a.Succeeded\n", "        depends: a.Succeeded\n        arguments:\n          artifacts:\n          - name: art\n"
             "            from: \"{{tasks.a.outputs.artifacts.out}}\"\n")
      .replace("        arguments:\n          parameters:\n          - name: message\n            value: \"{{tasks.a.outputs.result}}\"\n", "", 1)
      .replace("    inputs:\n      parameters:\n      - name: message\n", "    inputs:\n      parameters:\n      - name: message\n        value: m\n      artifacts:\n      - {name: art, path: /a, optional: true}\n    outputs:\n      artifacts:\n      - {name: out, path: /o}\n"), 13)
_twin("resourceclaims-non-pod", "RCC0848", STEPS.replace("    suspend: {}\n", "    resourceClaims: #!\n    - name: gpu\n    suspend: {}\n").replace("outputs.result", "status"),
      STEPS.replace("outputs.result", "status"), 5)
_twin("containerset-cycle", "RCC0873", CONTAINER_SET.replace("      - name: prepare\n        image: alpine\n",
                                                            "      - name: prepare\n        image: alpine\n        dependencies: [main] #!\n"),
      CONTAINER_SET, 9)
_twin("containerset-empty", "RCC0873", "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: cs-}\nspec:\n"
      "  entrypoint: main\n  templates:\n  - name: main\n    containerSet:\n      containers: [] #!\n",
      "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: cs-}\nspec:\n"
      "  entrypoint: main\n  templates:\n  - name: main\n    containerSet:\n      containers: [{name: main, image: alpine}]\n", 19)
_twin("output-artifact-path-non-leaf", "RCC0859",
      mutate("    dag:\n", "    outputs:\n      artifacts:\n      - name: out\n        path: /tmp/out #!\n    dag:\n"),
      mutate("    dag:\n", "    outputs:\n      artifacts:\n      - name: out\n        from: \"{{tasks.b.outputs.artifacts.out}}\"\n    dag:\n")
      .replace("    container:\n", "    outputs:\n      artifacts:\n      - {name: out, path: /tmp/out}\n    container:\n"), 9)
