"""rcc: compile declarative pipeline YAML into Argo Workflows manifests.

Importing this package must stay cheap (rcc runs in pre-commit hooks), so it imports
nothing; each stage lives in its own module and is imported where it is used.
"""

__version__ = "0.1.0"
