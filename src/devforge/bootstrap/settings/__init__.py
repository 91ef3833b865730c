"""Typed settings from ``DEVFORGE_*`` environment variables, in sections: the process's own
(profile, data directory, secret key, logging), the platform's (``platform.py``), and one per
context (``identity.py``, ``licensing.py``...), which the context's module declares."""

from devforge.bootstrap.settings.loading import field_owners, load_settings, settings_from
from devforge.bootstrap.settings.root import PLATFORM_SECTIONS, Settings
from devforge.bootstrap.settings.section import Profile, Section, SettingsError, variable

__all__ = [
    "PLATFORM_SECTIONS",
    "Profile",
    "Section",
    "Settings",
    "SettingsError",
    "field_owners",
    "load_settings",
    "settings_from",
    "variable",
]
