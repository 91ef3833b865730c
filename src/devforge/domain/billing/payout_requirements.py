"""What a payment provider asks of a payee, in plain words for the developer.

Stripe names each requirement by the field it needs (``individual.verification.document``,
``external_account``, ``tos_acceptance.date``...) and says why payouts are disabled
(``requirements.past_due``, ``under_review``...). The known ones have a sentence; any other is
spelled out from its name, so nothing the provider asks for is ever hidden.
"""

from __future__ import annotations

_KNOWN = {
    "external_account": "A bank account to pay out to",
    "tos_acceptance.date": "Acceptance of the provider's terms of service",
    "tos_acceptance.ip": "Acceptance of the provider's terms of service",
    "business_type": "The kind of business (individual or company)",
    "business_profile.url": "The business's website",
    "business_profile.mcc": "The business's industry",
    "business_profile.product_description": "A description of what is sold",
    "individual.first_name": "Your first name",
    "individual.last_name": "Your last name",
    "individual.email": "Your email address",
    "individual.phone": "Your phone number",
    "individual.dob.day": "Your date of birth",
    "individual.dob.month": "Your date of birth",
    "individual.dob.year": "Your date of birth",
    "individual.address.line1": "Your address",
    "individual.address.city": "Your address",
    "individual.address.postal_code": "Your address",
    "individual.id_number": "Your national identification or tax number",
    "individual.ssn_last_4": "The last four digits of your social security number",
    "individual.verification.document": "An identity document (passport, ID card or driving licence)",
    "individual.verification.additional_document": "An additional document proving your address",
    "company.name": "The company's legal name",
    "company.tax_id": "The company's tax id",
    "company.address.line1": "The company's address",
    "company.verification.document": "A document proving the company's registration",
    "representative.verification.document": "An identity document of the company's representative",
}

_REASONS = {
    "requirements.past_due": "Required information is past due: payouts are paused until it is given",
    "requirements.pending_verification": "The provider is verifying the information given",
    "under_review": "The provider is reviewing the account",
    "listed": "The account is under review by the provider",
    "platform_paused": "Payouts are paused by the platform",
    "rejected.fraud": "The provider rejected the account",
    "rejected.terms_of_service": "The provider rejected the account",
    "rejected.listed": "The provider rejected the account",
    "rejected.other": "The provider rejected the account",
    "other": "The provider disabled payouts",
}


def describe_requirement(code: str) -> str:
    known = _KNOWN.get(code)
    if known is not None:
        return known
    words = code.replace(".", " ").replace("_", " ").strip()
    return (words[:1].upper() + words[1:]) if words else "Information the provider needs"


def describe_reason(reason: str) -> str:
    return _REASONS.get(reason) or _REASONS["rejected.other" if reason.startswith("rejected.") else "other"]
