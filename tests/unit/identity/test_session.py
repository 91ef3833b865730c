from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devforge.domain.identity.errors import RefreshTokenReused, SessionInvalid
from devforge.domain.identity.events import SessionRevoked, SessionStarted
from devforge.domain.identity.session import Session

NOW = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def started(lifetime: timedelta = timedelta(days=30)) -> Session:
    return Session.start(
        session_id=uuid4(), user_id=uuid4(), token_digest="t0", now=NOW, lifetime=lifetime, ip="10.0.0.1", device="ua"
    )


def test_starting_a_session_records_it() -> None:
    session = started()
    events = session.pull_events()
    assert [type(e) for e in events] == [SessionStarted]
    assert session.pull_events() == []


@given(st.integers(min_value=1, max_value=50))
def test_only_the_newest_token_rotates_and_any_older_one_revokes_the_family(rotations: int) -> None:
    session = started()
    for n in range(rotations):
        session.rotate(presented_digest=f"t{n}", new_digest=f"t{n + 1}", now=NOW + timedelta(minutes=n))
    stale = f"t{rotations - 1}"
    with pytest.raises(RefreshTokenReused):
        session.rotate(presented_digest=stale, new_digest="x", now=NOW + timedelta(hours=1))
    assert not session.is_active(NOW + timedelta(hours=1))
    with pytest.raises(SessionInvalid):
        session.rotate(presented_digest=f"t{rotations}", new_digest="y", now=NOW + timedelta(hours=1))


def test_rotation_never_extends_the_absolute_lifetime() -> None:
    session = started(lifetime=timedelta(days=30))
    session.rotate(presented_digest="t0", new_digest="t1", now=NOW + timedelta(days=29, hours=23))
    assert session.expires_at == NOW + timedelta(days=30)
    with pytest.raises(SessionInvalid):
        session.rotate(presented_digest="t1", new_digest="t2", now=NOW + timedelta(days=30))


def test_revoking_is_idempotent_and_keeps_the_first_reason() -> None:
    session = started()
    session.pull_events()
    session.revoke(now=NOW, reason="logout")
    session.revoke(now=NOW + timedelta(seconds=5), reason="admin")
    assert session.revoke_reason == "logout"
    assert session.revoked_at == NOW
    assert [type(e) for e in session.pull_events()] == [SessionRevoked]
