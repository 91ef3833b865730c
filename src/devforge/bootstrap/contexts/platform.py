"""The platform every context stands on: settings, clock, persistence with the outbox and the
delivery ledger, cache and rate limits, mail, file storage, signed download links and the CDN."""

from __future__ import annotations

from collections.abc import Sequence

from dishka import Provider

from devforge.adapters.persistence.tables import platform as platform_tables
from devforge.application.common.send_queued_mail import WhenMailQueuedSendIt
from devforge.bootstrap.adapter_choice import choose
from devforge.bootstrap.context import Context, tables_of
from devforge.bootstrap.providers.core import CoreProvider
from devforge.bootstrap.providers.distribution import CloudflareCdnProvider, DownloadLinksProvider, NoCdnProvider
from devforge.bootstrap.providers.persistence import MemoryPersistenceProvider, SqlaPersistenceProvider
from devforge.bootstrap.providers.services import (
    InProcessServicesProvider,
    LocalDiskStorageProvider,
    MaildirMailProvider,
    MemoryServicesProvider,
    RedisServicesProvider,
    S3StorageProvider,
    SmtpMailProvider,
)
from devforge.bootstrap.settings import Settings


def adapters(settings: Settings) -> Sequence[Provider]:
    return (
        choose(
            "profile", settings.profile, {"embedded": InProcessServicesProvider, "production": RedisServicesProvider}
        ),
        choose("mail_backend", settings.mail.mail_backend, {"maildir": MaildirMailProvider, "smtp": SmtpMailProvider}),
        choose(
            "storage_backend",
            settings.storage.storage_backend,
            {"local": LocalDiskStorageProvider, "s3": S3StorageProvider},
        ),
        choose("cdn", settings.content_delivery.cdn, {"none": NoCdnProvider, "cloudflare": CloudflareCdnProvider}),
    )


CONTEXT = Context(
    name="platform",
    providers=(CoreProvider, DownloadLinksProvider),
    sql=(SqlaPersistenceProvider,),
    memory=(MemoryPersistenceProvider, MemoryServicesProvider, NoCdnProvider),
    adapters=adapters,
    consumers=(WhenMailQueuedSendIt,),
    http_routes="devforge.entrypoints.http.platform_routes",
    tables=tables_of(platform_tables),
)
