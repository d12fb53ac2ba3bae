"""Every runtime module offers the whole interface emit and the passes rely on."""

import pytest

from compiler.backend import runtimes


@pytest.mark.parametrize("name", runtimes.NAMES)
def test_runtime_offers_the_interface(name):
    module = runtimes.get(name)
    missing = [attr for attr in runtimes.INTERFACE if not hasattr(module, attr)]
    assert missing == []
    assert module.NAME == name
