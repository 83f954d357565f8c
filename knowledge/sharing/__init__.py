"""Shared plans: several partners work on one plan (relational store with migrations)."""

from knowledge.sharing.codes import find_code, new_join_code
from knowledge.sharing.db import DATABASE_URL_SETTING, database_url, make_engine, migrate
from knowledge.sharing.models import KINDS
from knowledge.sharing.store import (
    AlreadyMember,
    ContributionInfo,
    MeasurementInfo,
    NotOwner,
    NotParticipant,
    OwnerCannotLeave,
    ParticipantInfo,
    PlanClosed,
    PlanInfo,
    SharedPlanStore,
    SharingError,
    UnknownCode,
    UnknownParticipant,
)

__all__ = [
    "DATABASE_URL_SETTING",
    "KINDS",
    "AlreadyMember",
    "ContributionInfo",
    "MeasurementInfo",
    "NotOwner",
    "NotParticipant",
    "OwnerCannotLeave",
    "ParticipantInfo",
    "PlanClosed",
    "PlanInfo",
    "SharedPlanStore",
    "SharingError",
    "UnknownCode",
    "UnknownParticipant",
    "database_url",
    "find_code",
    "make_engine",
    "migrate",
    "new_join_code",
]
