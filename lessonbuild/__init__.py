"""The lesson builder's parts; build.py runs them as a recipe of named phases."""
