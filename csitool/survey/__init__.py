"""Raw table to :class:`Survey`: roles, scales and label mapping, the data-quality ledger."""

from csitool.survey.build import build_survey
from csitool.survey.model import Ledger, Scale, Survey
from csitool.survey.roles import Roles

__all__ = ["Ledger", "Roles", "Scale", "Survey", "build_survey"]
