"""Seed a devforge database with published extensions for the marketplace search bench.

Runs against the database the DEVFORGE_* environment names. Publishers, extensions and their
listings are built as domain objects and inserted in batches with the repositories' own row
mappings (``Extension``, ``Publisher``, ``Listing`` -> rows, so the derived ranking columns are
exactly what ``SqlaExtensionSearch.upsert`` writes); 20,000 uploads through HTTP would take an
hour. Names, descriptions and tags come from a word list; downloads are skewed (a few
extensions hold most of them); some publishers are unverified, some extensions deprecated, some
rated, some paid. Writes ``--words-out``: the vocabulary, one word per line, for the load to
search with, and with ``--ids-out`` the extension ids (for the bare primary-key select).

    DEVFORGE_... .venv/bin/python bench/seed_marketplace.py --count 20000 --words-out words.txt
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.marketplace import _extension_row, _publisher_row
from devforge.adapters.persistence.marketplace_search import FTS_CREATE, FTS_FILL
from devforge.adapters.persistence.marketplace_search import _row as listing_row
from devforge.adapters.persistence.tables.marketplace import (
    marketplace_extensions,
    marketplace_listings,
    marketplace_publishers,
)
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings import load_settings
from devforge.domain.marketplace.extension import Extension
from devforge.domain.marketplace.listing import Listing
from devforge.domain.marketplace.publisher import Publisher

BATCH = 2_000
PUBLISHERS = 400
VOCABULARY = (  # noqa: SIM905 - a word list reads better as words
    "bracket colour theme dark light python rust go java kotlin swift typescript javascript react vue svelte "
    "angular docker kubernetes terraform yaml json toml markdown latex git github gitlab lint format prettier "
    "debug test coverage snippet icon font cursor terminal shell bash powershell remote ssh container database "
    "sql postgres mysql sqlite redis mongo graphql rest http api client server cloud aws azure gcp deploy build "
    "make cmake gradle maven npm yarn pnpm cargo pip poetry notebook jupyter data science chart csv excel "
    "spell grammar translate i18n emoji vim emacs keymap sublime atom productivity todo bookmark outline minimap "
    "indent whitespace highlight rainbow pair tag html css sass less tailwind bootstrap animation preview live "
    "reload server port proxy security secret vault audit license header comment doc docstring refactor rename "
    "import sort path intellisense autocomplete ai copilot assistant chat review diff merge conflict blame log "
    "history timeline graph uml diagram mermaid plantuml drawio svg image pdf viewer hex binary serial arduino "
    "embedded iot robot game unity godot shader glsl wasm solidity blockchain ethereum regex env dotenv config"
).split()


def catalogue(count: int, rng: random.Random, now: datetime) -> tuple[list[Publisher], list[Extension], list[Listing]]:
    publishers = [
        Publisher(
            id=UUID(int=rng.getrandbits(128)),
            namespace=f"pub{n:03d}",
            display_name=f"Publisher {n}",
            owner_id=UUID(int=rng.getrandbits(128)),
            contact_email=f"pub{n}@bench.example",
            created_at=now - timedelta(days=900),
            verified_at=None if n % 10 == 0 else now - timedelta(days=800),  # one in ten unverified
        )
        for n in range(PUBLISHERS)
    ]
    extensions, listings = [], []
    for n in range(count):
        owner = publishers[min(int(rng.paretovariate(1.2)) - 1, PUBLISHERS - 1) if n % 3 == 0 else n % PUBLISHERS]
        first, second = rng.sample(VOCABULARY, 2)
        tags = tuple(rng.sample(VOCABULARY, rng.randint(1, 5)))
        description = " ".join(rng.choices(VOCABULARY, k=rng.randint(8, 24))).capitalize() + "."
        updated = now - timedelta(days=rng.uniform(0, 720))
        extension = Extension(
            id=UUID(int=rng.getrandbits(128)),
            publisher_id=owner.id,
            name=f"{first}-{second}-{n}",
            display_name=f"{first.title()} {second.title()} {n}",
            description=description,
            created_at=updated - timedelta(days=30),
            updated_at=updated,
            tags=tags,
            categories=(rng.choice(["themes", "linters", "languages", "debuggers", "snippets", "other"]),),
        )
        rated = rng.random() < 0.3
        extensions.append(extension)
        listings.append(
            Listing(
                extension_id=extension.id,
                namespace=owner.namespace,
                name=extension.name,
                display_name=extension.display_name,
                description=description,
                tags=tags,
                categories=extension.categories,
                platforms=("universal",) if n % 5 else ("linux-x64", "win32-x64"),
                latest_version=f"1.{n % 20}.0",
                verified=owner.verified_at is not None,
                deprecated=n % 37 == 0,
                downloads=int(rng.paretovariate(1.1) * 20) - 20,
                updated_at=updated,
                rating_count=rng.randint(1, 400) if rated else 0,
                rating_average=round(rng.uniform(1.0, 5.0), 2) if rated else 0.0,
                paid=n % 25 == 0,
            )
        )
    return publishers, extensions, listings


async def seed(count: int) -> list[Extension]:
    settings = load_settings()
    container = make_container(settings)
    started = time.monotonic()
    publishers, extensions, listings = catalogue(count, random.Random(11), datetime.now(UTC))
    async with container() as scope:
        session = await scope.get(AsyncSession)
        await session.execute(insert(marketplace_publishers), [_publisher_row(p) for p in publishers])
        for start in range(0, count, BATCH):
            await session.execute(
                insert(marketplace_extensions), [_extension_row(e) for e in extensions[start : start + BATCH]]
            )
            await session.execute(
                insert(marketplace_listings), [listing_row(item) for item in listings[start : start + BATCH]]
            )
            print(f"seeded {start + BATCH:,}/{count:,} extensions ({time.monotonic() - started:.0f} s)", flush=True)
        if session.get_bind().dialect.name == "postgresql":  # what the adapter writes on each upsert
            await session.execute(
                text(
                    "UPDATE marketplace_listings SET words_vector = array_to_tsvector(string_to_array(all_words, ' '))"
                )
            )
        else:  # the FTS5 index the adapter builds at its first write
            await session.execute(FTS_CREATE)
            await session.execute(FTS_FILL)
        await session.commit()
    async with container() as scope:  # a table as written row by row: no dead rows, GIN list merged
        connection = await (await scope.get(AsyncSession)).connection()
        await connection.commit()
        raw = await connection.execution_options(isolation_level="AUTOCOMMIT")
        postgres = connection.dialect.name == "postgresql"
        await raw.execute(text("VACUUM FULL ANALYZE marketplace_listings" if postgres else "ANALYZE"))
    await container.close()
    return extensions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--words-out", type=Path, required=True)
    parser.add_argument("--ids-out", type=Path, help="write the extension ids here, one a line")
    args = parser.parse_args()
    extensions = asyncio.run(seed(args.count))
    if args.ids_out is not None:
        args.ids_out.write_text("".join(f"{extension.id}\n" for extension in extensions))
    args.words_out.write_text("\n".join(VOCABULARY) + "\n")


if __name__ == "__main__":
    main()
