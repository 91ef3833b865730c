"""The marketplace's listings on SQL: PostgreSQL full-text search, or an SQLite FTS5 index.

Filters use the delimited tag/category/platform columns (``|a|b|``, matched with LIKE), so they
read the same on both databases. On PostgreSQL the text matches ``to_tsvector('simple', ...)``
against a prefix ``to_tsquery`` and ranks with ``ts_rank``. On SQLite an FTS5 table
(``marketplace_search_fts``) mirrors each listing's text; it is a derived index, created (and filled
from the listings) in the first transaction that finds it missing, so migrations need not know FTS5.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, literal, or_, select, text, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace import marketplace_downloads, marketplace_listings
from devforge.application.marketplace.search import SearchFilters, words
from devforge.domain.marketplace.listing import Listing, Match

FTS_TABLE = "marketplace_search_fts"
FTS_CREATE = text(
    "CREATE VIRTUAL TABLE marketplace_search_fts USING fts5(extension_id UNINDEXED, body, tokenize='unicode61')"
)
FTS_INSERT = text("INSERT INTO marketplace_search_fts (extension_id, body) VALUES (:id, :body)")
FTS_DELETE = text("DELETE FROM marketplace_search_fts WHERE extension_id = :id")
FTS_MATCH = text(
    "SELECT extension_id, -bm25(marketplace_search_fts) FROM marketplace_search_fts "
    "WHERE marketplace_search_fts MATCH :q"
)


class SqlaExtensionSearch:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _sqlite(self) -> bool:
        return self._session.get_bind().dialect.name == "sqlite"

    async def upsert(self, listing: Listing) -> None:
        row = _row(listing)
        exists = await self._session.execute(
            select(marketplace_listings.c.extension_id).where(
                marketplace_listings.c.extension_id == listing.extension_id
            )
        )
        if exists.first() is None:
            await self._session.execute(insert(marketplace_listings).values(row))
        else:
            await self._session.execute(
                update(marketplace_listings)
                .where(marketplace_listings.c.extension_id == listing.extension_id)
                .values(row)
            )
        if self._sqlite:
            await self._ensure_fts()
            await self._session.execute(FTS_DELETE, {"id": listing.extension_id.hex})
            await self._session.execute(
                FTS_INSERT,
                {"id": listing.extension_id.hex, "body": listing.search_text},
            )

    async def remove(self, extension_id: UUID) -> None:
        await self._session.execute(
            delete(marketplace_listings).where(marketplace_listings.c.extension_id == extension_id)
        )
        if self._sqlite:
            await self._ensure_fts()
            await self._session.execute(FTS_DELETE, {"id": extension_id.hex})

    async def get(self, extension_id: UUID) -> Listing | None:
        query = select(marketplace_listings).where(marketplace_listings.c.extension_id == extension_id)
        row = (await self._session.execute(query)).mappings().first()
        return _listing(row) if row else None

    async def matches(self, filters: SearchFilters) -> list[Match]:
        columns = marketplace_listings.c
        conditions: list[Any] = []
        for column, value in ((columns.categories, filters.category), (columns.tags, filters.tag)):
            if value is not None:
                conditions.append(column.like(f"%|{_escape(value)}|%", escape="\\"))
        if filters.publisher is not None:
            conditions.append(columns.namespace == filters.publisher)
        if filters.paid is not None:
            conditions.append(columns.paid == filters.paid)
        if filters.platform is not None:
            conditions.append(
                or_(
                    columns.platforms.like(f"%|{_escape(filters.platform)}|%", escape="\\"),
                    columns.platforms.like("%|universal|%"),
                )
            )
        terms = words(filters.text)
        if not terms:
            query = select(marketplace_listings, literal(1.0).label("relevance"))
        elif self._sqlite:
            await self._ensure_fts()
            ranked = FTS_MATCH
            hits = {
                row[0]: float(row[1])
                for row in (await self._session.execute(ranked, {"q": " ".join(f'"{t}"*' for t in terms)})).all()
            }
            if not hits:
                return []
            ids = [UUID(hex_id) for hex_id in hits]
            query = select(marketplace_listings, literal(1.0).label("relevance")).where(columns.extension_id.in_(ids))
            rows = (await self._session.execute(query.where(and_(true(), *conditions)))).mappings().all()
            return [Match(_listing(row), 1.0 + hits[row["extension_id"].hex]) for row in rows]
        else:
            vector = func.to_tsvector("simple", columns.search_text)
            wanted = func.to_tsquery("simple", " & ".join(f"{t}:*" for t in terms))
            conditions.append(vector.op("@@")(wanted))
            query = select(marketplace_listings, (1.0 + func.ts_rank(vector, wanted)).label("relevance"))
        rows = (await self._session.execute(query.where(and_(true(), *conditions)))).mappings().all()
        return [Match(_listing(row), float(row["relevance"])) for row in rows]

    async def add_download(self, extension_id: UUID) -> None:
        await self._session.execute(
            update(marketplace_listings)
            .where(marketplace_listings.c.extension_id == extension_id)
            .values(downloads=marketplace_listings.c.downloads + 1)
        )

    async def set_rating(self, extension_id: UUID, count: int, average: float) -> None:
        await self._session.execute(
            update(marketplace_listings)
            .where(marketplace_listings.c.extension_id == extension_id)
            .values(rating_count=count, rating_average=average)
        )

    async def _ensure_fts(self) -> None:
        present = await self._session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": FTS_TABLE}
        )
        if present.first() is None:
            await self._session.execute(FTS_CREATE)
            rows = (await self._session.execute(select(marketplace_listings))).mappings().all()
            for row in rows:
                await self._session.execute(
                    FTS_INSERT,
                    {"id": row["extension_id"].hex, "body": row["search_text"]},
                )


class SqlaDownloadLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(self, version_id: UUID, client: str, day: date, kind: str) -> bool:
        values = {"version_id": version_id, "client": client[:128], "day": day, "kind": kind}
        dialect = self._session.get_bind().dialect.name
        statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(marketplace_downloads).values(values)
        result = await self._session.execute(statement.on_conflict_do_nothing())
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("|", "")


def _joined(values: tuple[str, ...]) -> str:
    return "|" + "|".join(values) + "|" if values else "|"


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split("|") if part)


def _row(listing: Listing) -> dict[str, Any]:
    return {
        "extension_id": listing.extension_id,
        "namespace": listing.namespace,
        "name": listing.name,
        "display_name": listing.display_name,
        "description": listing.description,
        "tags": _joined(listing.tags),
        "categories": _joined(listing.categories),
        "platforms": _joined(listing.platforms),
        "latest_version": listing.latest_version,
        "verified": listing.verified,
        "deprecated": listing.deprecated,
        "downloads": listing.downloads,
        "updated_at": listing.updated_at,
        "search_text": listing.search_text,
        "rating_count": listing.rating_count,
        "rating_average": listing.rating_average,
        "paid": listing.paid,
    }


def _listing(row: Any) -> Listing:
    return Listing(
        extension_id=row["extension_id"],
        namespace=row["namespace"],
        name=row["name"],
        display_name=row["display_name"],
        description=row["description"],
        tags=_split(row["tags"]),
        categories=_split(row["categories"]),
        platforms=_split(row["platforms"]),
        latest_version=row["latest_version"],
        verified=row["verified"],
        deprecated=row["deprecated"],
        downloads=row["downloads"],
        updated_at=row["updated_at"],
        rating_count=row["rating_count"],
        rating_average=float(row["rating_average"]),
        paid=row["paid"],
    )
