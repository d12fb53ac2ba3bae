"""Input texts many tests share, kept in one place so a change to the language changes them once."""

ONE_TASK_PIPELINE = """\
dag:
  start_at: hello
  steps:
    hello:
      type: task
      command_type: shell
      command: echo hello
      next: success
    success:
      type: success
    fail:
      type: fail
"""
"""The smallest complete pipeline in block style: one shell task and both terminal steps."""
