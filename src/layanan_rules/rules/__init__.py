"""Rules: the rule file format, loading and compiling rulesets, and the law's domain functions.

``rulefile`` is the format (attrs classes), ``yamlpos`` YAML with line and column for every
value, ``ruleset`` loading, checking and compiling, ``functions`` the domain functions handed to
the expression language (``hari``, ``hari_kerja``, ``proporsi`` ...), ``registry`` where rulesets
come from, ``coverage`` which article each rule checks. Rules know the model, never a data source.
"""
