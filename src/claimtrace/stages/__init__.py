"""The extraction stages; :mod:`claimtrace.stages.pipeline` lists their order."""

from claimtrace.stages.context import Findings, StageContext
from claimtrace.stages.pipeline import (
    STAGE_ORDER,
    STAGES,
    check_stage_names,
    run_stages,
    stage_reports,
)

__all__ = [
    "STAGES",
    "STAGE_ORDER",
    "Findings",
    "StageContext",
    "check_stage_names",
    "run_stages",
    "stage_reports",
]
