"""``devforge``: serve, worker, migrate, backup, restore, create-admin, dead-letters, license verify,
read-models rebuild, and the payment and refund repairs."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import signal
import sys
from collections.abc import Sequence
from uuid import UUID

import structlog

from devforge.bootstrap.file_modes import keep_files_private
from devforge.bootstrap.settings import Settings, SettingsError, load_settings
from devforge.entrypoints.cli.backup import add_backup_commands
from devforge.entrypoints.cli.docs import add_docs_commands
from devforge.entrypoints.cli.license import add_license_commands
from devforge.entrypoints.cli.migrate import add_migrate_commands, run_migrate
from devforge.entrypoints.cli.payments import add_payments_commands
from devforge.entrypoints.cli.payouts import add_payouts_commands
from devforge.entrypoints.cli.read_models import add_read_models_commands
from devforge.entrypoints.cli.refunds import add_refunds_commands
from devforge.entrypoints.cli.seed import add_seed_commands
from devforge.entrypoints.logging import configure_logging

log = structlog.get_logger("devforge.cli")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "offline", False):  # runs on clients too: no settings, database or logging
        offline: int = args.run(None, args)
        return offline
    try:
        settings = load_settings(local_secret=not getattr(args, "no_local_secret", False))
    except SettingsError as error:
        print(f"devforge: configuration error: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    keep_files_private(settings)
    try:
        command: int = args.run(settings, args)
    except SettingsError as error:  # an adapter the command selected lacks a setting it needs
        print(f"devforge: configuration error: {error}", file=sys.stderr)
        return 2
    return command


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="devforge", description="Dev Forge Services")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API (and, embedded, the worker too)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=None, help="API processes")
    serve.set_defaults(run=_serve)

    worker = commands.add_parser("worker", help="run queue consumers, the outbox relay and periodic jobs")
    worker.set_defaults(run=_worker)

    add_migrate_commands(commands)

    admin = commands.add_parser("create-admin", help="create an admin account (prompts for what is missing)")
    admin.add_argument("--email")
    admin.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    admin.set_defaults(run=_create_admin)

    dead = commands.add_parser("dead-letters", help="list event deliveries that failed every attempt")
    dead.add_argument("--revive", nargs=2, metavar=("EVENT_ID", "CONSUMER"), help="send one back for retries")
    dead.set_defaults(run=_dead_letters)

    add_backup_commands(commands)
    add_license_commands(commands)
    add_seed_commands(commands)
    add_payments_commands(commands)
    add_payouts_commands(commands)
    add_refunds_commands(commands)
    add_read_models_commands(commands)
    add_docs_commands(commands)
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from devforge.bootstrap.container import check_selected_adapters
    from devforge.entrypoints.http.server_protocol import CoalescingHttpToolsProtocol

    check_selected_adapters(settings)  # before migrating or binding: refuse to start, naming the variable
    if settings.profile == "embedded":
        # A fresh embedded install works end to end at once: schema, then the editor's plans
        # (prices and licensing policies; adds nothing when they are there).
        if _migrate(settings, argparse.Namespace(revision="head")) != 0:
            return 1
        seed_editor_plans_once(settings)
    host = args.host or settings.http.host
    port = args.port or settings.http.port
    workers = args.workers or settings.http.workers
    os.environ.update({"DEVFORGE_HOST": host, "DEVFORGE_PORT": str(port)})
    log.info("serving", url=f"http://{host}:{port}", api_page=f"http://{host}:{port}/schema", profile=settings.profile)
    if "FORWARDED_ALLOW_IPS" in os.environ:
        log.warning("forwarded_allow_ips_ignored", use="DEVFORGE_TRUSTED_PROXIES")
    uvicorn.run(
        "devforge.entrypoints.http.asgi:create",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
        server_header=False,
        http=CoalescingHttpToolsProtocol,  # one write an answer (server_protocol.py)
        # uvicorn would believe X-Forwarded-For from 127.0.0.1 (or FORWARDED_ALLOW_IPS) by
        # default; the app resolves the client itself from DEVFORGE_TRUSTED_PROXIES
        # (entrypoints/http/client_address.py), so the rule is the same under any server.
        proxy_headers=False,
        timeout_graceful_shutdown=30,
    )
    return 0


def _worker(settings: Settings, _: argparse.Namespace) -> int:
    from devforge.bootstrap.allocator import tune_allocator
    from devforge.bootstrap.container import check_selected_adapters, make_container
    from devforge.entrypoints.worker.runtime import WorkerRuntime

    check_selected_adapters(settings)
    tune_allocator()

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        container = make_container(settings)
        try:
            await WorkerRuntime(container).run(stop)
        finally:
            await container.close()

    asyncio.run(run())
    return 0


def seed_editor_plans_once(settings: Settings) -> None:
    import asyncio

    from devforge.bootstrap.billing_seed import seed_editor_plans
    from devforge.bootstrap.container import make_container

    async def run() -> list[str]:
        container = make_container(settings)
        try:
            return await seed_editor_plans(container)
        finally:
            await container.close()

    created = asyncio.run(run())
    if created:
        log.info("seeded", plans=created)


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    return run_migrate(settings, args)


def _create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.application.identity.register_user import RegisterUser, RegisterUserHandler
    from devforge.bootstrap.container import make_container
    from devforge.domain.identity.roles import Role
    from devforge.domain.shared.errors import DomainError

    if settings.profile == "embedded" and _migrate(settings, argparse.Namespace(revision="head")) != 0:
        return 1
    email = args.email or input("Admin email: ")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("Password: ")

    async def run() -> int:
        container = make_container(settings)
        try:
            async with container() as scope:
                handler = await scope.get(RegisterUserHandler)
                user = await handler(RegisterUser(email, password, role=Role.ADMIN, by_admin=True))
        except DomainError as error:
            print(f"devforge: {error.message}", file=sys.stderr)
            return 1
        finally:
            await container.close()
        print(f"Created admin {user.email} ({user.id})")
        return 0

    return asyncio.run(run())


def _dead_letters(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.application.common.dead_letters import ListDeadLetters, ReviveDeadLetter
    from devforge.bootstrap.container import make_container
    from devforge.domain.shared.errors import DomainError

    async def run() -> int:
        container = make_container(settings)
        try:
            async with container() as scope:
                if args.revive:
                    revive = await scope.get(ReviveDeadLetter)
                    await revive(UUID(args.revive[0]), args.revive[1])
                    print(f"Revived {args.revive[0]} for {args.revive[1]}")
                    return 0
                letters = await (await scope.get(ListDeadLetters))()
        except DomainError as error:
            print(f"devforge: {error.message}", file=sys.stderr)
            return 1
        finally:
            await container.close()
        print(f"{len(letters)} dead letter(s)")
        for d in letters:
            when = f"{d.updated_at:%Y-%m-%d %H:%M:%S}" if d.updated_at else "-"
            print(f"{d.event_id}  {d.consumer}  attempts={d.attempts}  at={when}  {d.last_error}")
        return 0

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
