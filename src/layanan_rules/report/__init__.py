"""Reports: what an evaluation returns and how it is read.

``findings`` holds :class:`Report` and :class:`Finding` (what the engine decided, with evidence,
provenance and legal basis), ``scores`` the compliance scores and zones, ``waivers`` approved
exceptions and attestations, ``diff`` the comparison of two runs, ``i18n`` and ``text`` the human
words, ``formats`` the output formats (one module each; ``html`` the HTML page) and ``reporters``
registering them as a plugin like any other.
Nothing here is imported eagerly, so a command pays only for the parts it uses.
"""
