"""Import-time shortcuts for third-party tools the build and the tests use."""
from __future__ import annotations

import sys


def without_iri_grammar() -> None:
    """Keep jsonschema from importing rfc3987_syntax in this process.

    jsonschema imports it, when installed (JupyterLab's dependencies install it), only to
    check the "iri" string format, and it compiles a grammar for about 2 s on import. No
    schema this package validates uses that format: notebooks (nbformat) and the data
    package (frictionless). A None entry makes the import fail, so jsonschema skips it.
    """
    if "jsonschema._format" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)
