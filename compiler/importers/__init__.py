"""Importers: pipelines that live in another tool, written as rcc's pipeline language.

`rcc import kedro` asks a kedro project for its registered pipeline (kedro stays the
single source of truth) and writes the rcc pipeline that `rcc build` then lints, hashes
and compiles. Nothing here imports kedro: `kedro_export.py` is a script run by the
project's own Python, and the rest reads the JSON it writes.
"""
