"""Command line: ``python -m knowledge {export,search,nlu-data,build-index,migrate,purge}``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _export(_: argparse.Namespace) -> int:
    from knowledge.catalogue import load_catalogue

    json.dump(load_catalogue().to_json(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _search(args: argparse.Namespace) -> int:
    from knowledge.search import SearchError, get_searcher

    searcher = get_searcher()

    def answer(question: str) -> str:
        try:
            result = searcher.search(question, top=args.top)
        except SearchError as exc:
            return json.dumps({"error": str(exc)}, ensure_ascii=False)
        if args.json:
            return json.dumps([hit.to_json() for hit in result.hits], ensure_ascii=False)
        if result.no_match:
            return "Geen passende methode gevonden."
        return "\n".join(
            f"{i}. {hit.name} ({hit.score:.2f}) - {'; '.join(hit.reasons)}"
            for i, hit in enumerate(result.hits, 1)
        )

    if args.question == "-":
        for line in sys.stdin:
            print(answer(line.rstrip("\n")), flush=True)
    else:
        print(answer(args.question))
    return 0


def _nlu_data(args: argparse.Namespace) -> int:
    from knowledge.nlu_export import write_nlu_data

    for path in write_nlu_data(Path(args.out)):
        print(f"geschreven: {path}")
    return 0


def _build_index(_: argparse.Namespace) -> int:
    from knowledge.search import get_searcher

    get_searcher(progress=True)
    return 0


def _migrate(_: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from knowledge.retention import private_sqlite
    from knowledge.sharing.db import database_url, migrate

    url = database_url()
    migrate(url)
    private_sqlite(url)  # plans are shared with partners, not with other accounts on the host
    print(f"Plan store up to date: {make_url(url).render_as_string(hide_password=True)}")
    return 0


def _purge(args: argparse.Namespace) -> int:
    from knowledge.retention import purge_conversations, retention_days, tracker_url

    try:
        days = args.days or retention_days()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    url = args.url or tracker_url()
    if url is None:
        print("Geen gesprekken om op te schonen (er is nog geen gespreksdatabase).")
        return 0
    result = purge_conversations(url, days)
    print(
        f"Gesprekken ouder dan {days} dagen verwijderd: {result.conversations} "
        f"({result.events} gebeurtenissen)."
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export", help="print the whole catalogue as JSON").set_defaults(func=_export)
    search = sub.add_parser("search", help="rank methods for a Dutch question")
    search.add_argument("question", help="the question, or - to read one question per line")
    search.add_argument("--top", type=int, default=5)
    search.add_argument("--json", action="store_true", help="print a JSON list of results")
    search.set_defaults(func=_search)
    nlu = sub.add_parser("nlu-data", help="write Rasa lookup tables and synonyms")
    nlu.add_argument("--out", default="nlu/generated")
    nlu.set_defaults(func=_nlu_data)
    sub.add_parser("build-index", help="build the search index if stale").set_defaults(
        func=_build_index
    )
    sub.add_parser(
        "migrate", help="create or upgrade the shared-plan database (Alembic)"
    ).set_defaults(func=_migrate)
    purge = sub.add_parser(
        "purge", help="remove conversations older than METHODEWIJZER_RETENTION_DAYS (90)"
    )
    purge.add_argument("--days", type=int, help="override METHODEWIJZER_RETENTION_DAYS")
    purge.add_argument("--url", help="tracker database URL (default: RASA_TRACKER_DB)")
    purge.set_defaults(func=_purge)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
