"""Load and query the method catalogue (26 methods of the CCV/Seinpost Quick Scan, 2008).

The YAML files under ``knowledge/data`` are validated with pydantic at load; a broken file
raises :class:`CatalogueError` naming the file, the field and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import ValidationError

from knowledge.facets import FACETS, METHOD_IDS
from knowledge.schema import Method, Planner, Term, Vocabulary

DATA_DIR = Path(__file__).parent / "data"
M = TypeVar("M", Method, Vocabulary, Planner)


class CatalogueError(ValueError):
    """A data file of the catalogue is missing or invalid."""


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise CatalogueError(f"{path}: bestand ontbreekt") from exc
    except yaml.YAMLError as exc:
        raise CatalogueError(f"{path}: geen geldige YAML: {exc}") from exc


def _explain(path: Path, exc: ValidationError) -> CatalogueError:
    lines = [f"{path}: {exc.error_count()} fout(en)"]
    for err in exc.errors():
        where = ".".join(str(part) for part in err["loc"]) or "(bestand)"
        shown = repr(err.get("input"))
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        lines.append(f"  - veld '{where}': {err['msg']} (waarde: {shown})")
    return CatalogueError("\n".join(lines))


def _validate(model: type[M], path: Path) -> M:
    try:
        return model.model_validate(_read_yaml(path))
    except ValidationError as exc:
        raise _explain(path, exc) from None


@dataclass(frozen=True)
class Comparison:
    """Two methods compared facet by facet (tables 3.2-3.7)."""

    first: Method
    second: Method
    rows: list[tuple[str, list[str], list[str], list[str]]]  # facet, only first, both, only second


class Catalogue:
    """All methods plus the vocabulary and planner content, with the queries the dialogue needs."""

    def __init__(self, methods: Iterable[Method], vocabulary: Vocabulary, planner: Planner):
        self.methods: dict[str, Method] = {m.id: m for m in methods}
        self.vocabulary = vocabulary
        self.planner = planner

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Catalogue:
        method_dir = data_dir / "methods"
        methods = []
        for path in sorted(method_dir.glob("*.yml")):
            method = _validate(Method, path)
            if method.id != path.stem:
                raise CatalogueError(f"{path}: veld 'id' is '{method.id}', verwacht '{path.stem}'")
            methods.append(method)
        found = {m.id for m in methods}
        missing = sorted(set(METHOD_IDS) - found)
        unknown = sorted(found - set(METHOD_IDS))
        if missing or unknown:
            raise CatalogueError(
                f"{method_dir}: ontbrekende methoden {missing}, onbekende methoden {unknown}"
            )
        vocabulary = _validate(Vocabulary, data_dir / "vocabulary.yml")
        planner = _validate(Planner, data_dir / "planner.yml")
        methods.sort(key=lambda m: METHOD_IDS.index(m.id))  # the report's order
        catalogue = cls(methods, vocabulary, planner)
        catalogue._check_references(data_dir)
        return catalogue

    def _check_references(self, data_dir: Path) -> None:
        for group in ("settings", "target_groups"):
            terms: dict[str, Term] = getattr(self.vocabulary, group)
            for key, term in terms.items():
                bad = [m for m in term.methods if m not in self.methods]
                if bad:
                    raise CatalogueError(
                        f"{data_dir / 'vocabulary.yml'}: veld '{group}.{key}.methods': "
                        f"onbekende methode(n) {bad}"
                    )
            for method in self.methods.values():
                bad = [k for k in getattr(method, group) if k not in terms]
                if bad:
                    raise CatalogueError(
                        f"{data_dir / 'methods' / (method.id + '.yml')}: veld '{group}': "
                        f"onbekende sleutel(s) {bad}"
                    )

    # --- lookups ---------------------------------------------------------------------------

    def get(self, method_id: str) -> Method:
        try:
            return self.methods[method_id]
        except KeyError:
            raise KeyError(f"onbekende methode: {method_id}") from None

    def __iter__(self):
        return iter(self.methods.values())

    def __len__(self) -> int:
        return len(self.methods)

    def label(self, facet: str, key: str) -> str:
        """Dutch label of a facet value, setting or target group."""
        return getattr(self.vocabulary, facet)[key].label

    def by_facet(self, facet: str, key: str) -> list[Method]:
        """Methods the report ticks for ``key`` in ``facet`` (e.g. problems/winkeldiefstal)."""
        if facet not in FACETS:
            raise KeyError(f"onbekend facet: {facet}")
        if key not in FACETS[facet][1]:
            raise KeyError(f"onbekende waarde voor {facet}: {key}")
        return [m for m in self if key in getattr(m, facet)]

    def by_problem(self, key: str) -> list[Method]:
        return self.by_facet("problems", key)

    def by_party(self, key: str) -> list[Method]:
        return self.by_facet("parties", key)

    def by_role(self, key: str) -> list[Method]:
        return self.by_facet("roles", key)

    def by_field(self, key: str) -> list[Method]:
        return self.by_facet("field", key)

    def compare(self, first_id: str, second_id: str) -> Comparison:
        first, second = self.get(first_id), self.get(second_id)
        rows = []
        for facet in FACETS:
            a, b = getattr(first, facet), getattr(second, facet)
            rows.append(
                (
                    facet,
                    [k for k in a if k not in b],
                    [k for k in a if k in b],
                    [k for k in b if k not in a],
                )
            )
        return Comparison(first, second, rows)

    def partners_and_roles(self, method_ids: Iterable[str]) -> dict[str, dict[str, list[str]]]:
        """Which parties and municipal roles the report lists for a set of methods."""
        parties: dict[str, list[str]] = {}
        roles: dict[str, list[str]] = {}
        for method_id in method_ids:
            method = self.get(method_id)
            for party in method.parties:
                parties.setdefault(party, []).append(method.id)
            for role in method.roles:
                roles.setdefault(role, []).append(method.id)
        order = {facet: FACETS[facet][1] for facet in ("parties", "roles")}
        return {
            "parties": {k: parties[k] for k in order["parties"] if k in parties},
            "roles": {k: roles[k] for k in order["roles"] if k in roles},
        }

    def to_json(self) -> list[dict]:
        """The public export: one object per method, in the report's order."""
        return [self.methods[i].model_dump(mode="json") for i in METHOD_IDS]


@cache
def load_catalogue() -> Catalogue:
    """The packaged catalogue, loaded once per process."""
    return Catalogue.load()
