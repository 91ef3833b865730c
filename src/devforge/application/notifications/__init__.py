"""Notifications: the one owner of telling people things. It consumes other contexts' published
events, finds the recipient through the ``ContactDirectory`` (served by identity in bootstrap),
renders the mail in the house style and posts it through the mail outbox.

It sits above the business contexts: it may decode their published events, and none of them
imports it. Mails that must commit with a secret minted in their own context's transaction
(identity's verification and reset links, billing's receipt with its license keys) are written
by that context, in the same style (``application/common/mail_template.py``). The seed of the
customers-and-communications context: preferences, consent and an in-app channel will hang off
``Notify``."""
