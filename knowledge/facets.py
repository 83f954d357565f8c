"""The six comparison facets of the report (tables 3.2-3.7) and their fixed keys.

The keys are a public interface (`python -m knowledge export`): never rename them.
"""

from __future__ import annotations

from typing import Literal

Field = Literal["woon_en_leefomgeving", "bedrijvigheid", "jeugd", "integriteit", "overig"]
Object = Literal["personen", "gebieden", "thema", "overig"]
Cooperation = Literal[
    "ketenaanpak", "arrangement", "convenant", "pps", "netwerkontwikkeling", "overig"
]
Role = Literal["opdrachtgever", "initiator", "facilitator", "coordinator"]
Party = Literal[
    "gemeente",
    "bewoners",
    "ondernemers",
    "onderwijs",
    "welzijnswerk",
    "politie",
    "openbaar_ministerie",
    "hulpverlening",
    "vervoerders",
    "woningcorporaties",
]
Problem = Literal[
    "overlast_jeugd",
    "onveiligheid_jeugd",
    "overlast_volwassenen",
    "uitgaansoverlast",
    "woninginbraak",
    "openbare_ruimte",
    "onveiligheid_stations",
    "winkeldiefstal",
    "maatschappelijke_onrust",
    "drugsoverlast",
]

#: facet name -> (report table, allowed keys in the report's column order)
FACETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "field": ("3.2", Field.__args__),
    "object": ("3.3", Object.__args__),
    "cooperation": ("3.4", Cooperation.__args__),
    "roles": ("3.5", Role.__args__),
    "parties": ("3.6", Party.__args__),
    "problems": ("3.7", Problem.__args__),
}

METHOD_IDS: tuple[str, ...] = (
    "ver",
    "pkvw",
    "sociaal_veilige_stad",
    "hotspot",
    "svov",
    "mensen_maken_de_stad",
    "abcd",
    "kvo",
    "kvu",
    "handhavingsarrangementen",
    "vos",
    "vios",
    "peuterspeelzalen",
    "persoonsgerichte_aanpak",
    "harde_kern_jeugd",
    "dosa",
    "zet_in_op_12_min",
    "veiligheidshuis",
    "ctc",
    "streetwise",
    "groepsaanpak",
    "jongeren_op_straat",
    "polarisatie_radicalisering",
    "integriteitsmeter",
    "veiligheidsplanner",
    "matrix_ivz",
)
