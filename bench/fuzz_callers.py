"""The four callers the fuzz plays, made through the service's own doors: anonymous, a customer and a
developer signed up over HTTP, and an admin made by ``devforge create-admin`` who turns two-factor
on and signs in with a recovery code (administrative permissions need it)."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyotp

PASSWORD = "fuzz-Correct-Horse-Battery-42"  # noqa: S105 - a throwaway account of a throwaway instance


@dataclass(frozen=True)
class Caller:
    role: str
    token: str | None  # None: anonymous


def make_callers(base: str, devforge: Path, env: dict[str, str]) -> list[Caller]:
    callers = [Caller("anonymous", None)]
    for role in ("customer", "developer"):
        email = f"fuzz-{role}@devforge.dev"
        call(base, "POST", "/api/auth/register", {"email": email, "password": PASSWORD, "role": role})
        callers.append(
            Caller(role, call(base, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})["accessToken"])
        )
    callers.append(Caller("admin", admin_token(base, devforge, env)))
    return callers


def admin_token(base: str, devforge: Path, env: dict[str, str]) -> str:
    email = "fuzz-admin@devforge.dev"
    made = subprocess.run(
        [str(devforge), "create-admin", "--email", email, "--password-stdin"],
        input=PASSWORD + "\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if made.returncode != 0:
        raise RuntimeError(f"devforge create-admin failed:\n{made.stderr[-2000:]}")
    first = call(base, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})["accessToken"]
    secret = call(base, "POST", "/api/auth/2fa/enroll", None, first)["secret"]
    codes = call(base, "POST", "/api/auth/2fa/confirm", {"code": pyotp.TOTP(secret).now()}, first)["recoveryCodes"]
    challenge = call(base, "POST", "/api/auth/login", {"email": email, "password": PASSWORD})["challengeToken"]
    signed_in = call(base, "POST", "/api/auth/login/2fa", {"challengeToken": challenge, "recoveryCode": codes[0]})
    token: str = signed_in["accessToken"]
    return token


def call(base: str, method: str, path: str, body: object, token: str | None = None) -> dict[str, object]:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{base}{path}", data=data, headers=headers, method=method)  # noqa: S310
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - our own local server
                answer: dict[str, object] = json.loads(response.read() or b"{}")
                return answer
        except urllib.error.HTTPError as error:
            if error.code != 429 or attempt == 4:
                raise RuntimeError(f"{method} {path}: {error.code} {error.read()[:500]!r}") from None
            time.sleep(1)
    raise AssertionError("unreachable")
