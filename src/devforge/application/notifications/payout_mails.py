"""The mails about a publisher's payouts."""

from __future__ import annotations

from devforge.application.common.mail_template import MailTemplate

REASONS = {
    "transfer_reversed": "the transfer to your payout account was reversed",
    "payout_failed": "your bank did not accept the payout",
    "transfer_refused": "the payment provider refused the transfer to your payout account",
}

PAYOUT_RETURNED = MailTemplate(
    subject="Your Dev Forge payout came back",
    text=(
        "Your payout {payout} of {amount} came back: {why}.\n\n"
        "The money is in your balance again and the next payout run pays it, once your payout "
        "account can receive it. Your payouts: {payouts_link}\n"
    ),
    html=(
        "<p>Your payout <code>{payout}</code> of <b>{amount}</b> came back: {why}.</p>"
        "<p>The money is in your balance again and the next payout run pays it, once your payout "
        'account can receive it. <a href="{payouts_link}">Your payouts</a></p>'
    ),
)
