"""Seed a devforge database with licenses for the validation bench.

Runs against the database the DEVFORGE_* environment names (the same settings ``devforge serve``
reads), through devforge's own use cases for the product and policy, then inserts the licenses
in batches with the repository's own row mapping (one use-case call per license would take
minutes for 100,000). Writes ``--keys-out``: a sample of full license keys, one per line, for the
wrk script to pick from, and ``--ids-out``: license ids for the bare endpoint's primary-key select.

    DEVFORGE_... .venv/bin/python bench/seed_licenses.py --count 100000 --keys-out keys.txt --ids-out ids.txt
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from pathlib import Path
from uuid import uuid4

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.licensing import _row as license_row
from devforge.adapters.persistence.tables.licensing import licenses as licenses_table
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.ports import LicenseKeyDigests, PolicyRepository
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings import load_settings
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.licensing.terms import LicenseTerms

BATCH = 5_000


async def seed(count: int) -> tuple[list[str], list[str]]:
    """Every key and id seeded, in the same order."""
    settings = load_settings()
    container = make_container(settings)
    started = time.monotonic()
    admin = Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with container() as scope:
        product = await (await scope.get(CreateProductHandler))(admin, CreateProduct(code="bench-editor", name="Bench"))
    async with container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(
            admin, CreatePolicy(product.id, "bench", {"max_machines": 3, "floating": True})
        )
    keys: list[str] = []
    ids: list[str] = []
    async with container() as scope:
        digests = await scope.get(LicenseKeyDigests)
        clock = await scope.get(Clock)
        policy_now = await (await scope.get(PolicyRepository)).get(policy.id)
        assert policy_now is not None
    terms = LicenseTerms(policy=policy_now)
    for start in range(0, count, BATCH):
        rows = []
        for _ in range(min(BATCH, count - start)):
            key = LicenseKey.generate()
            license = License.issue(
                license_id=uuid4(),
                user_id=uuid4(),
                terms=terms,
                key=key,
                key_digest=digests.digest(str(key)),
                now=clock.now(),
            )
            rows.append(license_row(license))
            keys.append(str(key))
            ids.append(str(license.id))
        async with container() as scope:
            session = await scope.get(AsyncSession)
            await session.execute(insert(licenses_table), rows)
            await session.commit()
        print(f"seeded {start + len(rows):,}/{count:,} licenses ({time.monotonic() - started:.0f} s)", flush=True)
    await container.close()
    return keys, ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=20_000, help="how many keys and ids the load picks from")
    parser.add_argument("--keys-out", type=Path, required=True)
    parser.add_argument("--ids-out", type=Path, required=True)
    parser.add_argument("--cold-keys-out", type=Path, help="another sample of keys, none of them in --keys-out")
    args = parser.parse_args()
    keys, ids = asyncio.run(seed(args.count))
    shuffled = random.Random(7).sample(range(args.count), args.count)
    picked, cold = shuffled[: args.sample], shuffled[args.sample : 2 * args.sample]
    if args.cold_keys_out:
        args.cold_keys_out.write_text("\n".join(keys[i] for i in cold) + "\n")
    args.keys_out.write_text("\n".join(keys[i] for i in picked) + "\n")
    args.ids_out.write_text("\n".join(ids[i] for i in picked) + "\n")


if __name__ == "__main__":
    main()
