"""Licensing's tables <-> Product, Policy and the License aggregate with its machines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any
from uuid import UUID

from sqlalchemy import and_, bindparam, case, delete, insert, literal_column, or_, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import dialect_of
from devforge.adapters.persistence.in_transaction import InTransaction
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables import (
    license_machines,
    license_policies,
    license_products,
    license_usage,
    licenses,
)
from devforge.application.licensing.codec import policy_from_dict, policy_to_dict
from devforge.application.licensing.errors import (
    LicenseChangedConcurrently,
    PolicyInUse,
    ProductCodeTaken,
    ProductInUse,
)
from devforge.application.licensing.ports import LicenseUsage, ShownLicense, UsageDelta, WithdrawnLicenses
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.machine import Machine, MachineStatus
from devforge.domain.licensing.policy import LimitOverrides, Policy
from devforge.domain.licensing.product import Product
from devforge.domain.licensing.terms import LicenseTerms


class SqlaProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, product: Product) -> None:
        values = {name: getattr(product, name) for name in ("id", "owner_id", "code", "name", "created_at")}
        try:
            await self._session.execute(insert(license_products).values(values))
        except IntegrityError as clash:
            raise ProductCodeTaken("A product with this code exists.", field="code") from clash

    async def get(self, product_id: UUID, *, for_update: bool = False) -> Product | None:
        query = select(license_products).where(license_products.c.id == product_id)
        row = (await self._session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return Product(**row) if row else None

    async def list_page(self, *, owner_id: UUID | None, limit: int, after: Product | None = None) -> list[Product]:
        column = license_products.c
        query = select(license_products).order_by(column.created_at, column.id).limit(limit)
        if owner_id is not None:
            query = query.where(column.owner_id == owner_id)
        if after is not None:
            at = after.created_at
            query = query.where(or_(column.created_at > at, and_(column.created_at == at, column.id > after.id)))
        return [Product(**row) for row in (await self._session.execute(query)).mappings()]

    async def update(self, product: Product) -> None:
        change = update(license_products).where(license_products.c.id == product.id).values(name=product.name)
        await self._session.execute(change)

    async def remove(self, product_id: UUID) -> None:
        """The entitlements go by ``ON DELETE CASCADE``; policies and licenses hold it back."""
        try:
            await self._session.execute(delete(license_products).where(license_products.c.id == product_id))
        except IntegrityError as referred:
            raise ProductInUse("Policies or licenses still refer to this product.") from referred


class SqlaPolicyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, policy: Policy) -> None:
        values = {"id": policy.id, "product_id": policy.product_id, "name": policy.name}
        await self._session.execute(insert(license_policies).values(values | {"settings": policy_to_dict(policy)}))

    async def get(self, policy_id: UUID) -> Policy | None:
        query = select(license_policies.c.settings).where(license_policies.c.id == policy_id)
        settings = (await self._session.execute(query)).scalar_one_or_none()
        return policy_from_dict(settings) if settings is not None else None

    async def list_for_product(self, product_id: UUID) -> list[Policy]:
        column = license_policies.c
        query = select(column.settings).where(column.product_id == product_id).order_by(column.name, column.id)
        return [policy_from_dict(settings) for settings in (await self._session.execute(query)).scalars()]

    async def update(self, policy: Policy) -> None:
        values = {"name": policy.name, "settings": policy_to_dict(policy)}
        await self._session.execute(update(license_policies).where(license_policies.c.id == policy.id).values(values))

    async def remove(self, policy_id: UUID) -> None:
        try:
            await self._session.execute(delete(license_policies).where(license_policies.c.id == policy_id))
        except IntegrityError as referred:
            raise PolicyInUse("Licenses were issued from this policy.") from referred


class SqlaLicenseRepository:
    """Remembers each license it loaded or added as stored, its row and its machines
    (request-scoped, like the session), so ``update`` writes only what changed: the license's
    changed columns and version, the machines added, changed or gone. An activation is then, on
    PostgreSQL, one statement: the versioned UPDATE in a data-modifying CTE and the new machine's
    INSERT selecting from it, so the machine is written only when the version check passed
    (SQLite has no DML in a CTE: the UPDATE, then the INSERT)."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session
        self._stored: dict[UUID, tuple[dict[str, Any], dict[UUID, dict[str, Any]]]] = {}

    async def add(self, license: License) -> None:
        await self._session.execute(insert(licenses).values(_row(license)))
        await self._save_machines(license)
        self._remember(license)

    async def get(self, license_id: UUID, *, for_update: bool = False) -> License | None:
        return await self._one("id", license_id, for_update)

    async def get_by_key_digest(self, digest: str, *, for_update: bool = False) -> License | None:
        return await self._one("key_digest", digest, for_update)

    async def list_for_user(self, user_id: UUID) -> list[License]:
        query = select(licenses).where(licenses.c.user_id == user_id).order_by(licenses.c.created_at, licenses.c.id)
        rows = (await self._session.execute(query)).mappings().all()
        return [_license(row, await self._machines(row["id"])) for row in rows]

    async def key_digests(self, license_ids: Sequence[UUID]) -> list[str]:
        if not license_ids:
            return []
        query = select(licenses.c.key_digest).where(licenses.c.id.in_(list(license_ids)))
        return list((await self._session.execute(query)).scalars())

    async def update(self, license: License) -> None:
        """Optimistic check on ``version`` on top of the row lock: SQLite has no FOR UPDATE. Only
        the columns that changed since the read are set: the version check makes the others the
        stored ones. The statements are built once per shape; the values go as parameters."""
        row = _row(license)
        machines = {machine.id: _machine_row(machine) for machine in license.machines}
        stored = self._stored.get(license.id)
        changed = tuple(name for name in _SET_COLUMNS if stored is None or stored[0][name] != row[name])
        values = {f"s_{name}": row[name] for name in changed}
        values |= {"s_version": license.version + 1, "b_id": license.id, "b_version": license.version}
        if stored is None:
            await self._bump(changed, values)
            await self._session.execute(delete(license_machines).where(license_machines.c.license_id == license.id))
            await self._save_machines(license)
        else:
            stale = [machine_id for machine_id, was in stored[1].items() if machines.get(machine_id) != was]
            fresh = [now for machine_id, now in machines.items() if stored[1].get(machine_id) != now]
            if not stale and len(fresh) == 1 and dialect_of(self._session) == "postgresql":
                machine = {f"m_{name}": value for name, value in fresh[0].items() if name != "license_id"}
                if await _bump_and_add_machine(changed).rowcount(self._session, values | machine) != 1:
                    raise LicenseChangedConcurrently("The license changed meanwhile; try again.")
            else:
                await self._bump(changed, values)
                if stale:
                    await self._session.execute(delete(license_machines).where(license_machines.c.id.in_(stale)))
                if len(fresh) == 1:
                    await _ADD_MACHINE.rowcount(self._session, fresh[0])
                elif fresh:
                    await self._session.execute(_INSERT_MACHINE, fresh)
        license.version += 1
        self._stored[license.id] = (row | {"version": license.version}, machines)

    async def ids_with_heartbeat_machines(self, *, limit: int, after: UUID | None = None) -> list[UUID]:
        active = select(license_machines.c.license_id).where(license_machines.c.status == MachineStatus.ACTIVE.value)
        query = select(licenses.c.id).where(licenses.c.heartbeat_required, licenses.c.id.in_(active))
        if after is not None:
            query = query.where(licenses.c.id > after)
        return list((await self._session.execute(query.order_by(licenses.c.id).limit(limit))).scalars())

    async def ids_due_an_expiry_notice(self, now: datetime, notice: timedelta, *, limit: int) -> list[UUID]:
        expiry = licenses.c.expires_at
        query = (
            select(licenses.c.id)
            .where(
                licenses.c.status != LicenseStatus.REVOKED.value,
                expiry.is_not(None),
                expiry <= now + notice,
                or_(
                    and_(expiry <= now, _not_announced(licenses.c.expired_notice_for)),
                    and_(expiry > now, _not_announced(licenses.c.expiring_notice_for)),
                ),
            )
            .order_by(expiry, licenses.c.id)
            .limit(limit)
        )
        return list((await self._session.execute(query)).scalars())

    async def _one(self, column: str, value: object, for_update: bool) -> License | None:
        """A locking read takes the license row alone, then its machines in a statement of their
        own: one joined statement would, after waiting for the lock, re-check the license's new
        row but keep the machines it saw before the wait (PostgreSQL's READ COMMITTED), and let
        two racing activations both see a free seat. A plain read, the hot path of a validation
        cache miss, takes the license and its machines in one round trip."""
        if for_update:
            found = await self._session.execute(_FOUND_BY[column, for_update], {"value": value})
            row = found.mappings().first()
            license = _license(row, await self._machines(row["id"])) if row else None
        else:
            license = _with_machines(await _FOUND_BY[column, for_update].rows(self._session, {"value": value}))
        if license is not None:
            self._remember(license)
        return license

    def _remember(self, license: License) -> None:
        self._stored[license.id] = (_row(license), {machine.id: _machine_row(machine) for machine in license.machines})

    async def _bump(self, changed: tuple[str, ...], values: dict[str, Any]) -> None:
        if await _bumped(changed).rowcount(self._session, values) != 1:
            raise LicenseChangedConcurrently("The license changed meanwhile; try again.")

    async def _machines(self, license_id: UUID) -> list[Machine]:
        rows = (await self._session.execute(_MACHINES, {"license_id": license_id})).mappings()
        return [Machine(**(dict(row) | {"status": MachineStatus(row["status"])})) for row in rows]

    async def _save_machines(self, license: License) -> None:
        if license.machines:
            await self._session.execute(insert(license_machines), [_machine_row(m) for m in license.machines])


def _not_announced(notice_for: Any) -> Any:
    return or_(notice_for.is_(None), notice_for != licenses.c.expires_at)


def _joined(query: Any) -> Any:
    """The license row once per machine (or once with no machine), machines columns as ``m_*``."""
    return (
        query.add_columns(*(column.label(f"m_{column.name}") for column in license_machines.c))
        .outerjoin(license_machines, license_machines.c.license_id == licenses.c.id)
        .order_by(license_machines.c.activated_at, license_machines.c.id)
    )


def _with_machines(rows: Sequence[Any]) -> License | None:
    if not rows:
        return None
    machines = [
        Machine(**({name: row[f"m_{name}"] for name in _MACHINE_COLUMNS} | {"status": MachineStatus(row["m_status"])}))
        for row in rows
        if row["m_id"] is not None
    ]
    return _license({name: rows[0][name] for name in _LICENSE_COLUMNS}, machines)


_UNNEST_UPSERT = text(
    "INSERT INTO license_usage (license_id, validations, failed_validations, last_validated_at) "
    "SELECT u.* FROM unnest(CAST(:ids AS uuid[]), CAST(:validations AS integer[]), CAST(:failures AS integer[]), "
    "CAST(:last AS timestamptz[])) AS u(license_id, validations, failed_validations, last_validated_at) "
    "WHERE EXISTS (SELECT 1 FROM licenses WHERE licenses.id = u.license_id) "
    "ON CONFLICT (license_id) DO UPDATE SET "
    "validations = license_usage.validations + excluded.validations, "
    "failed_validations = license_usage.failed_validations + excluded.failed_validations, "
    "last_validated_at = GREATEST(license_usage.last_validated_at, excluded.last_validated_at)"
)


def _shown_joined(query: Any) -> Any:
    """``_joined`` plus the product's owner (``p_owner_id``) and the usage counts (``u_*``)."""
    usage = license_usage.c
    return (
        _joined(query)
        .add_columns(
            license_products.c.owner_id.label("p_owner_id"),
            usage.validations.label("u_validations"),
            usage.failed_validations.label("u_failed_validations"),
            usage.last_validated_at.label("u_last_validated_at"),
        )
        .outerjoin(license_products, license_products.c.id == licenses.c.product_id)
        .outerjoin(license_usage, usage.license_id == licenses.c.id)
    )


def _shown(rows: Sequence[Any]) -> ShownLicense | None:
    license = _with_machines(rows)
    if license is None:
        return None
    first = rows[0]
    usage = (
        LicenseUsage()
        if first["u_validations"] is None
        else LicenseUsage(first["u_validations"], first["u_failed_validations"], first["u_last_validated_at"])
    )
    return ShownLicense(license, first["p_owner_id"], usage)


_LICENSE_COLUMNS = tuple(column.name for column in licenses.c)
_SET_COLUMNS = tuple(name for name in _LICENSE_COLUMNS if name not in ("id", "version"))
_INSERT_MACHINE = insert(license_machines)
_ADD_MACHINE = InTransaction(_INSERT_MACHINE)  # one machine: an activation's (``in_transaction.py``)


@cache
def _bump(changed: tuple[str, ...]) -> Any:
    """The versioned UPDATE of these columns (and the version): no row when another transaction
    stored the license since it was read."""
    return (
        update(licenses)
        .where(licenses.c.id == bindparam("b_id"), licenses.c.version == bindparam("b_version"))
        .values({name: bindparam(f"s_{name}", type_=licenses.c[name].type) for name in (*changed, "version")})
    )


@cache
def _bumped(changed: tuple[str, ...]) -> InTransaction:
    """``_bump`` sent around SQLAlchemy's execution (``in_transaction.py``)."""
    return InTransaction(_bump(changed))


@cache
def _bump_and_add_machine(changed: tuple[str, ...]) -> InTransaction:
    """PostgreSQL: ``WITH bumped AS (UPDATE licenses ... RETURNING id) INSERT INTO
    license_machines SELECT ... FROM bumped``: one round trip, and no machine when the version
    check found another version (the INSERT's row count says which). Sent straight to asyncpg in
    the session's transaction (``in_transaction.py``)."""
    bumped = _bump(changed).returning(licenses.c.id).cte("bumped")
    columns = [column for column in license_machines.c if column.name != "license_id"]
    machine = select(bumped.c.id, *(bindparam(f"m_{column.name}", type_=column.type) for column in columns))
    return InTransaction(
        insert(license_machines)
        .from_select(["license_id", *(column.name for column in columns)], machine.select_from(bumped))
        .add_cte(bumped)
    )


# The repository's statements, built once (building one costs more Python than running it):
# by id or digest, locked (the row alone) or joined to the machines (the hot read of an
# activation, sent straight to asyncpg in the session's transaction: ``in_transaction.py``).
_FOUND_BY: dict[tuple[str, bool], Any] = {
    (column, locked): (
        select(licenses).where(licenses.c[column] == bindparam("value")).with_for_update()
        if locked
        else InTransaction(_joined(select(licenses).where(licenses.c[column] == bindparam("value"))))
    )
    for column in ("id", "key_digest")
    for locked in (False, True)
}
_MACHINES = (
    select(license_machines)
    .where(license_machines.c.license_id == bindparam("license_id"))
    .order_by(license_machines.c.activated_at, license_machines.c.id)
)
_BY_DIGEST = _joined(select(licenses).where(licenses.c.key_digest == bindparam("digest")))
_BY_USER = _joined(
    select(licenses).where(licenses.c.user_id == bindparam("user_id")).order_by(licenses.c.created_at, licenses.c.id)
)
_SHOWN_BY_DIGEST = _shown_joined(select(licenses).where(licenses.c.key_digest == bindparam("digest")))
_SHOWN_BY_ID = _shown_joined(select(licenses).where(licenses.c.id == bindparam("license_id")))
_MACHINE_COLUMNS = tuple(column.name for column in license_machines.c)
_WITHDRAWN_STATUSES = (LicenseStatus.REVOKED, LicenseStatus.SUSPENDED)
# The statuses as SQL literals (our own constants): the statement has no parameter to bind. No
# ORDER BY: with ANALYZE statistics (status has few values) SQLite would rather walk the whole
# table in primary-key order than sort a few rows (0.2 ms -> 99 ms at 20,000 licenses); the few
# ids are sorted in Python instead.
_WITHDRAWN = select(licenses.c.id, licenses.c.status).where(
    licenses.c.status.in_([literal_column(f"'{status.value}'") for status in _WITHDRAWN_STATUSES])
)


def _row(license: License) -> dict[str, Any]:
    terms = license.terms
    return {
        "id": license.id,
        "user_id": license.user_id,
        "product_id": license.product_id,
        "policy_id": terms.policy.id,
        "order_id": license.order_id,
        "key_digest": license.key_digest,
        "key_prefix": license.key_prefix,
        "status": license.status.value,
        "policy": policy_to_dict(terms.policy),
        "max_machines": terms.overrides.max_machines,
        "max_uses": terms.overrides.max_uses,
        "deactivation_allowance": terms.overrides.deactivation_allowance,
        "extra_entitlements": sorted(terms.extra_entitlements),
        "heartbeat_required": terms.policy.heartbeat_required,
        "created_at": license.created_at,
        "expires_at": license.expires_at,
        "uses": license.uses,
        "last_check_in_at": license.last_check_in_at,
        "self_service_deactivations": [at.isoformat() for at in license.self_service_deactivations],
        "suspend_reason": license.suspend_reason,
        "revoked_at": license.revoked_at,
        "revoke_reason": license.revoke_reason,
        "expiring_notice_for": license.expiring_notice_for,
        "expired_notice_for": license.expired_notice_for,
        "version": license.version,
    }


def _license(row: Any, machines: list[Machine]) -> License:
    overrides = LimitOverrides(
        max_machines=row["max_machines"], max_uses=row["max_uses"], deactivation_allowance=row["deactivation_allowance"]
    )
    terms = LicenseTerms(
        policy=policy_from_dict(row["policy"]),
        overrides=overrides,
        extra_entitlements=frozenset(row["extra_entitlements"]),
    )
    return License(
        id=row["id"],
        user_id=row["user_id"],
        terms=terms,
        key_digest=row["key_digest"],
        key_prefix=row["key_prefix"],
        created_at=row["created_at"],
        order_id=row["order_id"],
        status=LicenseStatus(row["status"]),
        expires_at=row["expires_at"],
        machines=machines,
        uses=row["uses"],
        last_check_in_at=row["last_check_in_at"],
        self_service_deactivations=[datetime.fromisoformat(at) for at in row["self_service_deactivations"]],
        suspend_reason=row["suspend_reason"],
        revoked_at=row["revoked_at"],
        revoke_reason=row["revoke_reason"],
        expiring_notice_for=row["expiring_notice_for"],
        expired_notice_for=row["expired_notice_for"],
        version=row["version"],
    )


def _machine_row(m: Machine) -> dict[str, Any]:
    return {
        "id": m.id,
        "license_id": m.license_id,
        "fingerprint": m.fingerprint,
        "name": m.name,
        "status": m.status.value,
        "activated_at": m.activated_at,
        "last_heartbeat_at": m.last_heartbeat_at,
        "ended_at": m.ended_at,
    }


class SqlaLicenseReader:
    """The validation path's cache miss on the common read path (``read_path.py``): one statement
    (the license joined to its machines) on a pooled connection, no session, no transaction.
    Measured in bench/README.md."""

    def __init__(self, reads: ReadPath) -> None:
        self._by_digest = reads.prepare(_BY_DIGEST)
        self._withdrawn = reads.prepare(_WITHDRAWN)
        self._by_user = reads.prepare(_BY_USER)
        self._shown_by_digest, self._shown_by_id = reads.prepare(_SHOWN_BY_DIGEST), reads.prepare(_SHOWN_BY_ID)

    async def find_by_key_digest(self, digest: str) -> License | None:
        return _with_machines(await self._by_digest.rows(digest=digest))

    async def list_for_user(self, user_id: UUID) -> list[License]:
        """One statement: each license's row once per machine, licenses oldest first."""
        grouped: dict[Any, list[Any]] = {}
        for row in await self._by_user.rows(user_id=user_id):
            grouped.setdefault(row["id"], []).append(row)
        return [license for rows in grouped.values() if (license := _with_machines(rows)) is not None]

    async def shown_by_key_digest(self, digest: str) -> ShownLicense | None:
        return _shown(await self._shown_by_digest.rows(digest=digest))

    async def shown_by_id(self, license_id: UUID) -> ShownLicense | None:
        return _shown(await self._shown_by_id.rows(license_id=license_id))

    async def withdrawn_ids(self) -> WithdrawnLicenses:
        """One statement through ``ix_licenses_status_id``: the index holds the few withdrawn
        licenses apart from the many active ones, so the list costs what it names, not the table."""
        withdrawn = WithdrawnLicenses(revoked=[], suspended=[])
        for row in await self._withdrawn.rows():
            ids = withdrawn.revoked if row["status"] == LicenseStatus.REVOKED.value else withdrawn.suspended
            ids.append(row["id"] if isinstance(row["id"], UUID) else UUID(str(row["id"])))
        withdrawn.revoked.sort()
        withdrawn.suspended.sort()
        return withdrawn


class SqlaLicenseUsageCounters:
    """Upserts that add to the stored counts (``ON CONFLICT DO UPDATE``), so concurrent flushes
    from several processes never lose a count; rows go in license-id order, so two flushes
    lock them in the same order and cannot deadlock. On PostgreSQL the whole batch is one
    statement over four arrays (``unnest``), which costs next to nothing on the Python side
    however many licenses a flush carries; on SQLite it is an executemany in chunks. Counts of a
    license that no longer exists are dropped, so one such id can never make every later flush
    fail on the foreign key."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, deltas: Sequence[UsageDelta]) -> None:
        ordered = sorted(deltas, key=lambda delta: delta.license_id)
        if not ordered:
            return
        if dialect_of(self._session) == "postgresql":
            await self._session.execute(
                _UNNEST_UPSERT,
                {
                    "ids": [delta.license_id for delta in ordered],
                    "validations": [delta.validations for delta in ordered],
                    "failures": [delta.failures for delta in ordered],
                    "last": [delta.last_validated_at for delta in ordered],
                },
            )
            return
        statement = sqlite_insert(license_usage)
        stored = license_usage.c
        upsert = statement.on_conflict_do_update(
            index_elements=[stored.license_id],
            set_={
                "validations": stored.validations + statement.excluded.validations,
                "failed_validations": stored.failed_validations + statement.excluded.failed_validations,
                "last_validated_at": case(
                    (stored.last_validated_at.is_(None), statement.excluded.last_validated_at),
                    (
                        statement.excluded.last_validated_at > stored.last_validated_at,
                        statement.excluded.last_validated_at,
                    ),
                    else_=stored.last_validated_at,
                ),
            },
        )
        for start in range(0, len(ordered), 1000):
            chunk = ordered[start : start + 1000]
            known = set(
                (
                    await self._session.execute(
                        select(licenses.c.id).where(licenses.c.id.in_([delta.license_id for delta in chunk]))
                    )
                ).scalars()
            )
            rows = [
                {
                    "license_id": delta.license_id,
                    "validations": delta.validations,
                    "failed_validations": delta.failures,
                    "last_validated_at": delta.last_validated_at,
                }
                for delta in chunk
                if delta.license_id in known
            ]
            if rows:
                await self._session.execute(upsert, rows)

    async def get(self, license_id: UUID) -> LicenseUsage:
        row = (
            (await self._session.execute(select(license_usage).where(license_usage.c.license_id == license_id)))
            .mappings()
            .first()
        )
        if row is None:
            return LicenseUsage()
        return LicenseUsage(row["validations"], row["failed_validations"], row["last_validated_at"])
