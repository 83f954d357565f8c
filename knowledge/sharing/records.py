"""Shared plans: the typed records every layer passes around, and the refusals with their Dutch text.

Records are frozen dataclasses (plain data, never ORM rows). A refusal is a ``SharingError``:
``reason`` is a stable key for code and tests, the message is what the user reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanInfo:
    id: str
    code: str
    doc_token: str
    owner_sender: str
    status: str
    answers: dict[str, Any]
    state: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    code_created_at: datetime | None = None
    name: str = ""  # "Stationsgebied Oost" (knowledge.sharing.naming)


@dataclass(frozen=True)
class ParticipantInfo:
    id: int
    plan_id: str
    sender_id: str
    name: str
    organisation: str
    party: str
    role: str
    joined_at: datetime
    active: bool
    removed: bool = False  # lets the bot say why a rejoin is refused


@dataclass(frozen=True)
class ContributionInfo:
    id: int
    plan_id: str
    participant_id: int
    author: str
    organisation: str
    party: str
    step: int
    kind: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class MeasurementInfo:
    id: int
    plan_id: str
    participant_id: int
    author: str
    indicator: str
    period: str
    period_key: str
    value: float
    created_at: datetime


@dataclass(frozen=True)
class Membership:
    """A sender's part in one plan: who they are there, and the plan as it is now."""

    participant: ParticipantInfo
    plan: PlanInfo

    @property
    def is_owner(self) -> bool:
        return self.participant.role == "owner"


# --- refusals -----------------------------------------------------------------------------------


class SharingError(Exception):
    """A refused request; `reason` is a stable key for the caller, the message is for the user."""

    reason = "sharing_error"
    message = "Dat lukte niet. Probeer het opnieuw."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        self.reason = type(self).reason

    @property
    def text(self) -> str:
        """The Dutch message for the user."""
        return str(self)


class NoPlan(SharingError):
    reason = "no_plan"
    message = (
        "Je doet nog niet mee aan een gezamenlijk plan. Maak een plan met 'ik wil een plan "
        "maken', of doe mee met de deelcode die je kreeg: 'ik wil meedoen met plan K7QM-4MXZ'."
    )


class UnknownCode(SharingError):
    reason = "unknown_code"
    message = "Die deelcode ken ik niet. Controleer de code en probeer het opnieuw."


class PlanClosed(SharingError):
    reason = "closed"
    message = (
        "Dit plan is gesloten. Je kunt het nog bekijken en downloaden, maar niet meer aanvullen."
    )


class AlreadyMember(SharingError):
    reason = "already_member"
    message = "Je doet al mee aan dit plan."


class NotParticipant(SharingError):
    reason = "not_participant"
    message = "Je doet niet (meer) mee aan dit plan."


class NotOwner(SharingError):
    reason = "not_owner"
    message = "Dat kan alleen de eigenaar van het plan."


class UnknownParticipant(SharingError):
    reason = "unknown_participant"
    message = "Die deelnemer vind ik niet in dit plan."


class OwnerCannotLeave(SharingError):
    reason = "owner_cannot_leave"
    message = "Als eigenaar kun je niet uitstappen. Je kunt het plan wel sluiten."


class UnknownContribution(SharingError):
    reason = "unknown_contribution"
    message = "Die bijdrage vind ik niet in dit plan."


class NotYours(SharingError):
    reason = "not_yours"
    message = (
        "Je kunt alleen je eigen bijdragen verwijderen. De eigenaar kan elke bijdrage weghalen."
    )


class PersonalDataRefused(SharingError):
    """Text with personal data of residents: never stored, whoever tries to store it."""

    reason = "personal_data"


class TextRefused(SharingError):
    """Text that cannot go into the plan: too short, too long or empty."""

    reason = "text"


class LimitReached(SharingError):
    reason = "limit"


class CodeExpired(SharingError):
    reason = "code_expired"
    message = "Deze deelcode is verlopen. Vraag de eigenaar van het plan om een nieuwe code."


class TooManyAttempts(SharingError):
    reason = "too_many_attempts"
    message = "Je hebt te vaak een onjuiste code gebruikt. Probeer het over tien minuten opnieuw."


class JoiningPaused(SharingError):
    reason = "joining_paused"
    message = (
        "Meedoen met dit plan is even gepauzeerd, omdat er te vaak een verkeerde code is "
        "geprobeerd. De eigenaar kan een nieuwe deelcode maken."
    )
