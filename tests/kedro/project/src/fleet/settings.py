"""Kedro settings: the defaults (conf/base, conf/local, OmegaConfigLoader)."""
