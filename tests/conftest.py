"""Makes `tests/` importable from every test folder (pytest puts a rootdir conftest's folder on
sys.path), so shared inputs such as `texts.ONE_TASK_PIPELINE` live in one module."""
