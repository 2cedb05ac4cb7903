"""The lesson builder: `recipe.py` runs its parts as a recipe of named phases; ``python -m lessonbuild`` (`cli.py`) is its command."""
