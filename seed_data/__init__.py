"""The demo dataset (YAML files beside this module), shipped as package data.

It is a package only so that an installed copy can find its files through
`importlib.resources.files("seed_data")`; see `loaders.seed`. Nothing here is code.
"""
