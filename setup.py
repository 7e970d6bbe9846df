"""The wheel carries the migrations, the example team files and their runbooks.

They stay at the repository's top level, where people look for them; `package_dir` maps each
folder into the package as `bot/shipped/<folder>`, and `bot.shipped_files` finds them either way.
"""

from setuptools import find_packages, setup

SHIPPED = {
    "bot.shipped.migrations": "migrations",
    "bot.shipped.migrations.versions": "migrations/versions",
    "bot.shipped.examples": "examples",
    "bot.shipped.runbooks": "runbooks",
}

setup(
    packages=[*find_packages(include=["bot*"]), *SHIPPED],
    package_dir=SHIPPED,
    package_data={name: ["*.py", "*.mako", "*.md", "*.yaml"] for name in SHIPPED},
)
