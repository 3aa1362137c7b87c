"""The engine: every in-force rule against every record of its entity, one state per pair.

``run`` evaluates a compiled ruleset over a Dataset into :class:`Results` (a block of states per
rule); ``record_program`` is the generated code that runs all of an entity's rules on one record
(the Python back end); ``evaluate_rule`` runs one rule alone (rule examples, diagnostics); ``evaluate_one`` is a
one-record call's straight path from the plain JSON form to the blocks.
The Report that users see is built above, in :mod:`layanan_rules.report`.
"""

from layanan_rules.engine.evaluation import (
    Results,
    as_dataset,
    entities_read,
    evaluate_one,
    evaluate_rule,
    record_program,
    run,
)
from layanan_rules.engine.states import Block, Reason, SkippedRule, State

__all__ = ["Block", "Reason", "Results", "SkippedRule", "State", "as_dataset", "entities_read", "evaluate_one",
           "evaluate_rule", "record_program", "run"]
