"""The test suite, by layer of the package it tests.

Imported before anything else of the suite (it is the package of ``conftest.py``): pytest
caches each test module with its asserts rewritten, and Python each module it compiles, unless
PYTHONDONTWRITEBYTECODE is set, as it is on these machines; then every worker of every run
would compile ssmtui and rewrite every test module again (2 of a worker's 4 s of start). The
caches are __pycache__ folders, ignored by git, and read whatever that variable says.
"""

import sys

sys.dont_write_bytecode = False
