"""The registry's artifact signing keys, as clients fetch them to verify a download."""

from __future__ import annotations

from devforge.application.marketplace.artifact_signer import ArtifactSigner, ArtifactSigningKey


class ListSigningKeys:
    """Every published key, the active one first, then the retired ones whose signatures still
    verify. Public: nothing here is secret, and nothing per request."""

    def __init__(self, signer: ArtifactSigner) -> None:
        self._signer = signer

    def __call__(self) -> list[ArtifactSigningKey]:
        return self._signer.public_keys()
