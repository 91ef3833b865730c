"""The identity context's mails, each as plain text and HTML, in the house style of
``application/common/mail_template.py``.

Values are interpolated as data, never as template syntax, and HTML-escaped in the HTML part
(a device name comes from a User-Agent header, which anyone can set). Subjects hold no
interpolated values. Links are built by the caller from ``PublicUrl``, never from a request.
"""

from __future__ import annotations

from devforge.application.common.mail_template import MailTemplate

__all__ = ["MailTemplate"]

WELCOME = MailTemplate(
    subject="Welcome to Dev Forge",
    text=(
        "Welcome to Dev Forge!\n\nYour account {email} is ready.\n"
        "Confirm this address within 24 hours by opening:\n{verify_link}\n"
    ),
    html=(
        "<p>Welcome to Dev Forge!</p><p>Your account <b>{email}</b> is ready.</p>"
        '<p><a href="{verify_link}">Confirm this address</a> within 24 hours.</p>'
    ),
)

VERIFICATION = MailTemplate(
    subject="Confirm your email address",
    text="Confirm {email} for your Dev Forge account within 24 hours by opening:\n{verify_link}\n",
    html='<p><a href="{verify_link}">Confirm {email}</a> for your Dev Forge account within 24 hours.</p>',
)

PASSWORD_RESET = MailTemplate(
    subject="Reset your Dev Forge password",
    text=(
        "Someone asked to reset the password of {email}.\n"
        "Choose a new password within 1 hour by opening:\n{reset_link}\n\n"
        "If it was not you, ignore this mail: your password stays as it is.\n"
    ),
    html=(
        "<p>Someone asked to reset the password of <b>{email}</b>.</p>"
        '<p><a href="{reset_link}">Choose a new password</a> within 1 hour.</p>'
        "<p>If it was not you, ignore this mail: your password stays as it is.</p>"
    ),
)

NEW_SIGN_IN = MailTemplate(
    subject="New sign-in to your Dev Forge account",
    text=(
        "Your account {email} was signed in to on {when}\nfrom {ip} ({device}).\n\n"
        "If it was not you, reset your password at {reset_page} and review your sessions.\n"
    ),
    html=(
        "<p>Your account <b>{email}</b> was signed in to on {when} from {ip} ({device}).</p>"
        '<p>If it was not you, <a href="{reset_page}">reset your password</a> and review your sessions.</p>'
    ),
)

TWO_FACTOR_CHANGED = MailTemplate(
    subject="Two-factor authentication changed",
    text=(
        "Two-factor authentication was {change} for {email} on {when}.\n\n"
        "If it was not you, reset your password at {reset_page}.\n"
    ),
    html=(
        "<p>Two-factor authentication was <b>{change}</b> for <b>{email}</b> on {when}.</p>"
        '<p>If it was not you, <a href="{reset_page}">reset your password</a>.</p>'
    ),
)

PASSWORD_CHANGED = MailTemplate(
    subject="Your Dev Forge password was changed",
    text=(
        "The password of {email} was changed on {when}.\n\n"
        "If it was not you, reset your password at {reset_page} right away.\n"
    ),
    html=(
        "<p>The password of <b>{email}</b> was changed on {when}.</p>"
        '<p>If it was not you, <a href="{reset_page}">reset your password</a> right away.</p>'
    ),
)

API_KEY_CREATED = MailTemplate(
    subject="A new API key for your Dev Forge account",
    text=(
        'An API key named "{key_name}" ({scopes}, valid until {expires}) was created for {email} on {when}.\n\n'
        "If it was not you, reset your password at {reset_page}: that revokes every key and signs out every session.\n"
    ),
    html=(
        "<p>An API key named <b>{key_name}</b> ({scopes}, valid until {expires}) was created for <b>{email}</b> "
        "on {when}.</p>"
        '<p>If it was not you, <a href="{reset_page}">reset your password</a>: that revokes every key and signs out '
        "every session.</p>"
    ),
)
