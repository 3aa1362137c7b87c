"""Data: how provider data reaches the engine.

``adapters`` is the contract adapter plugins implement, ``sources`` chooses an adapter for a
location and reads it, ``dataset`` types and links the records, ``jsonfile`` is the built-in JSON
adapter, ``fieldmap`` matches published column headers to model fields and ``mapping`` reads the
mapping files that say the rest. Data knows the model, never the rules.
"""
