"""The marketplace's listings on SQL, ranked and paged by the database.

Filters use the delimited tag/category/platform columns (``|a|b|``, matched with LIKE), so they
read the same on both databases. Each row also stores what ranking needs (listing.py states the
rule): its words per field and together, its case-folded name and its ``static_score``. A query
word matches when it starts a word: ``' ' || words LIKE '% word%'`` (words are letters and digits
only, so a query word carries no LIKE wildcard). That test gives the relevance on both databases,
so the score, the order and the keyset cut (``ORDER BY key, id LIMIT n`` after the cursor's key)
are computed in SQL, the same floats in the same order as the domain's ``score``.

Text first goes through an index: on PostgreSQL a GIN index on ``words_vector`` (the words as a
tsvector, kept here on every write) with a prefix tsquery; on SQLite an FTS5 table
(``marketplace_listing_words``), a derived index created and filled from the listings in the
first transaction that finds it missing, so migrations need not know FTS5.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Select,
    and_,
    case,
    cast,
    column,
    delete,
    event,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ColumnElement

from devforge.adapters.persistence.listing_changes import CHANNEL
from devforge.adapters.persistence.listing_index import ListingIndex
from devforge.adapters.persistence.tables.marketplace import marketplace_listings
from devforge.adapters.release_memory import release_free_memory
from devforge.application.marketplace.search import SearchFilters, words
from devforge.domain.marketplace.listing import (
    NAME_WEIGHT,
    RECENT_BONUS,
    TAG_WEIGHT,
    TEXT_WEIGHT,
    Listing,
    Match,
    SortKey,
    SortOrder,
    recent_since,
    static_score,
)

FTS_TABLE = "marketplace_listing_words"
FTS_CREATE = text(
    "CREATE VIRTUAL TABLE marketplace_listing_words USING fts5("
    "extension_id UNINDEXED, body, tokenize='unicode61 remove_diacritics 0')"
)
FTS_FILL = text(
    "INSERT INTO marketplace_listing_words (extension_id, body) "
    "SELECT extension_id, all_words FROM marketplace_listings"
)
FTS_INSERT = text("INSERT INTO marketplace_listing_words (extension_id, body) VALUES (:id, :body)")
FTS_DELETE = text("DELETE FROM marketplace_listing_words WHERE extension_id = :id")
FTS = table(FTS_TABLE, column("extension_id"))
SPACE: ColumnElement[str] = literal_column("' '")
DERIVED = {"search_text", "name_words", "tag_words", "text_words", "all_words", "sort_name", "static_score"}
RANKING_COLUMNS = [marketplace_listings.c.static_score, marketplace_listings.c.sort_name]
LISTING_COLUMNS = [column for column in marketplace_listings.c if column.name not in DERIVED | {"words_vector"}]
_FTS_READY: weakref.WeakSet[Engine | Connection] = weakref.WeakSet()  # engines whose database has the FTS table


SessionSource = Callable[[], Awaitable[AsyncSession]]
MAX_RELOAD = 500  # stale listings reloaded by id; past this, all of them
LOAD_BATCH = 1_000  # listings read at a time
CHANGED = "devforge.listings_changed"  # session.info: the listings this transaction wrote
NOTIFY = text(f"SELECT pg_notify('{CHANNEL}', :id)")


class SqlaExtensionSearch:
    """Writes go to SQL; pages come from the process's ``ListingIndex`` when it is usable (and
    from SQL otherwise, or without one). Every write marks its listing for the index: in this
    process when the transaction commits, in the others through PostgreSQL's NOTIFY."""

    def __init__(self, session: AsyncSession | SessionSource, index: ListingIndex | None = None) -> None:
        """``session`` may be a source called at the first statement: a page the index answers
        then opens no session at all (what it costs is a fifth of a cached search's CPU)."""
        self._index = index
        self._opened: AsyncSession | None = session if isinstance(session, AsyncSession) else None
        self._source: SessionSource | None = None if isinstance(session, AsyncSession) else session

    @property
    def _session(self) -> AsyncSession:
        assert self._opened is not None, "opened by _open first"
        return self._opened

    async def _open(self) -> None:
        if self._opened is None:
            assert self._source is not None
            self._opened = await self._source()

    @property
    def _sqlite(self) -> bool:
        return self._session.get_bind().dialect.name == "sqlite"

    async def upsert(self, listing: Listing) -> None:
        await self._open()
        row = self._row(listing)
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
            await self._session.execute(FTS_INSERT, {"id": listing.extension_id.hex, "body": listing.all_words})
        await self._changed(listing.extension_id)

    async def remove(self, extension_id: UUID) -> None:
        await self._open()
        await self._session.execute(
            delete(marketplace_listings).where(marketplace_listings.c.extension_id == extension_id)
        )
        if self._sqlite:
            await self._ensure_fts()
            await self._session.execute(FTS_DELETE, {"id": extension_id.hex})
        await self._changed(extension_id)

    async def get(self, extension_id: UUID) -> Listing | None:
        await self._open()
        query = select(*LISTING_COLUMNS).where(marketplace_listings.c.extension_id == extension_id)
        row = (await self._session.execute(query)).mappings().first()
        return _listing(row) if row else None

    async def page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        if self._index is not None and await self._index.ready():
            await self._refresh(self._index)
            return self._index.page(filters, order, now, limit, after)
        await self._open()
        return await self._sql_page(filters, order, now, limit, after)

    async def _sql_page(
        self, filters: SearchFilters, order: SortOrder, now: datetime, limit: int, after: SortKey | None
    ) -> list[Match]:
        conditions = _filters(filters)
        terms = words(filters.text)
        source: Any = marketplace_listings
        relevance: ColumnElement[float] = literal(1.0, Float)
        if terms:
            candidates, source = await self._text_index(terms)
            if candidates is not None:
                conditions.append(candidates)
            weights = [_weight(term).label(f"weight_{n}") for n, term in enumerate(terms)]
            # OFFSET 0 keeps the database from inlining the subquery, so each row's LIKEs run once,
            # not again for the word check, the sort key and the keyset.
            source = (
                select(*LISTING_COLUMNS, *RANKING_COLUMNS, *weights)
                .select_from(source)
                .where(and_(true(), *conditions))
                .offset(0)
                .subquery("matched")
            )
            each = [source.c[weight.name] for weight in weights]
            total = each[0]
            for weight in each[1:]:
                total = total + weight
            relevance = total / literal(float(len(terms)), Float)
            # Every word must start a word of the listing. PostgreSQL's index already says so;
            # FTS5 tokenizes by itself, so on SQLite the word rule decides.
            conditions = [weight > literal(0.0, Float) for weight in each] if self._sqlite else []
        key, descending = _sort_column(source.c, order, now, relevance)
        if after is not None:
            conditions.append(_after(source.c, key, descending, _key_value(order, after[0]), UUID(after[1])))
        query = (
            select(*(source.c[column.name] for column in LISTING_COLUMNS), relevance.label("relevance"))
            .where(and_(true(), *conditions))
            .order_by(key.desc() if descending else key, source.c.extension_id)
            .limit(limit)
        )
        rows = (await self._session.execute(query)).mappings().all()
        return [Match(_listing(row), float(row["relevance"])) for row in rows]

    async def set_downloads(self, extension_id: UUID, downloads: int) -> None:
        await self._open()
        counted = await self._session.execute(
            update(marketplace_listings)
            .where(marketplace_listings.c.extension_id == extension_id)
            .values(downloads=downloads)
            .returning(*LISTING_COLUMNS)
        )
        row = counted.mappings().first()
        if row is not None:
            await self._restore_score(_listing(row))

    async def set_rating(self, extension_id: UUID, count: int, average: float) -> None:
        await self._open()
        rated = await self._session.execute(
            update(marketplace_listings)
            .where(marketplace_listings.c.extension_id == extension_id)
            .values(rating_count=count, rating_average=average)
            .returning(*LISTING_COLUMNS)
        )
        row = rated.mappings().first()
        if row is not None:
            await self._restore_score(_listing(row))

    async def _restore_score(self, listing: Listing) -> None:
        await self._session.execute(
            update(marketplace_listings)
            .where(marketplace_listings.c.extension_id == listing.extension_id)
            .values(static_score=static_score(listing))
        )
        await self._changed(listing.extension_id)

    async def _changed(self, extension_id: UUID) -> None:
        if not self._sqlite:
            await self._session.execute(NOTIFY, {"id": str(extension_id)})
        index = self._index
        if index is None:
            return
        written: set[UUID] | None = self._session.info.get(CHANGED)
        if written is None:
            written = self._session.info[CHANGED] = set()

            def committed(session: Any) -> None:
                index.invalidate(session.info.pop(CHANGED, ()))

            event.listen(self._session.sync_session, "after_commit", committed, once=True)
        written.add(extension_id)

    async def _refresh(self, index: ListingIndex) -> None:
        """Reload what is stale: everything the first time, then what was marked since."""
        if index.current:
            return
        await self._open()
        async with index.refreshing:
            stale = index.take_stale()
            if stale is not None and len(stale) > MAX_RELOAD:
                stale = None  # a rebuild restated many: read them all at once
            try:
                query = select(*LISTING_COLUMNS)
                if stale is not None:
                    if not stale:
                        return
                    query = query.where(marketplace_listings.c.extension_id.in_(stale))
                found = await self._read(query)
            except BaseException:
                index.invalidate_all() if stale is None else index.invalidate(stale)
                raise
            if stale is None:
                index.replace_all(found)
                del found
                release_free_memory()  # what reading 20,000 rows left free in the heap (bench/README.md)
            else:
                index.apply(found, gone=stale - {listing.extension_id for listing in found})

    async def _read(self, query: Select[Any]) -> list[Listing]:
        """The listings, read LOAD_BATCH rows at a time: the rows of a batch are freed before the
        next is read, so the driver's short-lived objects reuse the same heap instead of
        interleaving with the long-lived listings over the whole load (bench/README.md)."""
        shared: dict[str, Any] = {}  # 20,000 listings, a few dozen distinct tuples and a few hundred namespaces
        found: list[Listing] = []
        result = await self._session.stream(query.execution_options(yield_per=LOAD_BATCH))
        async for rows in result.mappings().partitions(LOAD_BATCH):
            found.extend(_listing(row, shared) for row in rows)
        return found

    async def _text_index(self, terms: list[str]) -> tuple[Any, Any]:
        """The index's condition for the terms, and what to select from. On SQLite the FTS5 table
        drives a join (an ``IN (SELECT ...)`` took twice as long); before it exists, nothing: the
        word rule alone decides (a read does not build the index, the next write does)."""
        columns = marketplace_listings.c
        if self._sqlite:
            if not await self._has_fts():
                return None, marketplace_listings
            wanted = " ".join(f'"{term}"*' for term in terms)
            joined = FTS.join(marketplace_listings, columns.extension_id == FTS.c.extension_id)
            return text(f"{FTS_TABLE} MATCH :fts_query").bindparams(fts_query=wanted), joined
        wanted = " & ".join(f"'{term}':*" for term in terms)  # letters and digits: nothing to quote
        return columns.words_vector.op("@@")(cast(literal(wanted), TSQUERY)), marketplace_listings

    def _row(self, listing: Listing) -> dict[str, Any]:
        row = _row(listing)
        if not self._sqlite:
            row["words_vector"] = func.array_to_tsvector(func.string_to_array(literal(listing.all_words), SPACE))
        return row

    async def _has_fts(self) -> bool:
        engine = self._session.get_bind()
        if engine in _FTS_READY:
            return True
        present = await self._session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": FTS_TABLE}
        )
        if present.first() is None:
            return False
        _FTS_READY.add(engine)  # only once it is there for good, not in a transaction that may roll back
        return True

    async def _ensure_fts(self) -> None:
        if not await self._has_fts():
            await self._session.execute(FTS_CREATE)
            await self._session.execute(FTS_FILL)


def _weight(term: str) -> ColumnElement[float]:
    """NAME_WEIGHT when the term starts a word of the name fields, else TAG_WEIGHT for a tag, else
    TEXT_WEIGHT for the description, else 0."""
    columns = marketplace_listings.c
    pattern = f"% {term}%"
    return case(
        ((literal(" ") + columns.name_words).like(pattern), literal(NAME_WEIGHT, Float)),
        ((literal(" ") + columns.tag_words).like(pattern), literal(TAG_WEIGHT, Float)),
        ((literal(" ") + columns.text_words).like(pattern), literal(TEXT_WEIGHT, Float)),
        else_=literal(0.0, Float),
    )


def _sort_column(
    columns: Any, order: SortOrder, now: datetime, relevance: ColumnElement[float]
) -> tuple[ColumnElement[Any], bool]:
    """The column the order sorts by, and whether it sorts descending (best first)."""
    if order is SortOrder.DOWNLOADS:
        return columns.downloads, True
    if order is SortOrder.RECENT:
        return columns.updated_at, True
    if order is SortOrder.NAME:
        return columns.sort_name, False
    bonus = case((columns.updated_at >= recent_since(now), literal(RECENT_BONUS, Float)), else_=literal(0.0, Float))
    return (relevance + columns.static_score) + bonus, True


def _key_value(order: SortOrder, value: float | str) -> object:
    """The column value a sort key stands for (keys are ascending: descending columns are negated)."""
    if order is SortOrder.NAME:
        return value
    if order is SortOrder.DOWNLOADS:
        return math.ceil(-float(value))
    if order is SortOrder.RECENT:
        return datetime.fromtimestamp(-float(value), UTC)
    return -float(value)


def _after(
    columns: Any, key: ColumnElement[Any], descending: bool, value: object, extension_id: UUID
) -> ColumnElement[bool]:
    """Rows after (value, id) in (key, id) order; the first comparison is one an index can range over."""
    tiebreak = columns.extension_id > extension_id
    if descending:
        return and_(key <= value, or_(key < value, tiebreak))
    return and_(key >= value, or_(key > value, tiebreak))


def _filters(filters: SearchFilters) -> list[ColumnElement[bool]]:
    columns = marketplace_listings.c
    conditions: list[ColumnElement[bool]] = []
    for delimited, value in ((columns.categories, filters.category), (columns.tags, filters.tag)):
        if value is not None:
            conditions.append(delimited.like(f"%|{_escape(value)}|%", escape="\\"))
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
    return conditions


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
        "name_words": listing.name_words,
        "tag_words": listing.tag_words,
        "text_words": listing.text_words,
        "all_words": listing.all_words,
        "sort_name": listing.sort_name,
        "static_score": static_score(listing),
    }


def _listing(row: Any, shared: dict[Any, Any] | None = None) -> Listing:
    """``shared``, when given, makes equal tag, category and platform tuples, the words in them,
    namespaces and versions one object across the listings read (a publisher's listings share its
    namespace; 20,000 listings hold some 16,000 distinct tag tuples of a few hundred tags, 2.5 MiB
    of equal strings otherwise)."""

    def one(value: Any) -> Any:
        return value if shared is None else shared.setdefault(value, value)

    def many(value: str) -> tuple[str, ...]:
        parts: tuple[str, ...] = one(tuple(map(one, _split(value))))
        return parts

    return Listing(
        extension_id=row["extension_id"],
        namespace=one(row["namespace"]),
        name=row["name"],
        display_name=row["display_name"],
        description=row["description"],
        tags=many(row["tags"]),
        categories=many(row["categories"]),
        platforms=many(row["platforms"]),
        latest_version=one(row["latest_version"]),
        verified=row["verified"],
        deprecated=row["deprecated"],
        downloads=row["downloads"],
        updated_at=row["updated_at"],
        rating_count=row["rating_count"],
        rating_average=float(row["rating_average"]),
        paid=row["paid"],
    )
