"""The package's version, in one place: pyproject.toml reads it from here (``dynamic``), and
``layanan-rules --version`` prints it without loading ``importlib.metadata`` (a third of the
command's start-up)."""

__version__ = "0.1.0"
