"""The built-in output formats, one module each (``terminal``, ``document`` for json and jsonl,
``tabular`` for csv and parquet, ``xlsx``, ``junit``, ``markdown``; html in ``report/html.py``), and
``common``, what they share. :mod:`layanan_rules.report.reporters` registers them as a plugin.
"""
