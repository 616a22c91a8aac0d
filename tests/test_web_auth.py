"""Staff authentication (assistant.web.auth) and login throttling (assistant.web.throttle), with a fake clock.

The same defences are attacked over HTTP against the running app in tests/test_security.py.
"""

from __future__ import annotations

import contextlib

import pytest

from assistant.config import Settings
from assistant.errors import InputError
from assistant.web.auth import Client, StaffAuth, hash_password, verify_password
from assistant.web.messages import Refusal
from assistant.web.throttle import LoginThrottle

PASSWORD = "correct horse battery staple"
OWNER = Client("10.0.0.1", "b" * 43)  # the staff member's browser
OTHER = Client("10.0.0.9", "o" * 43)  # someone else's browser


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def password_hash() -> str:
    return hash_password(PASSWORD)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def auth(settings: Settings, password_hash: str, clock: FakeClock) -> StaffAuth:
    staff = settings.replace(staff_user="dei", staff_password_hash=password_hash)
    return StaffAuth(staff, clock=clock, session_ttl=60, idle_ttl=30)


def _client(n: int, browser: str | None = None) -> Client:
    return Client(f"10.1.{n // 250}.{n % 250}", browser or f"{n:043d}")


# --- Passwords ---------------------------------------------------------------------------------------


def test_hash_password_round_trip(password_hash: str) -> None:
    assert verify_password(PASSWORD, password_hash)


def test_verify_password_rejects_wrong_password(password_hash: str) -> None:
    assert not verify_password(PASSWORD + "!", password_hash)


def test_hash_password_format_hides_the_password(password_hash: str) -> None:
    parts = password_hash.split("$")
    assert parts[:4] == ["scrypt", "16384", "8", "1"]
    assert len(parts) == 6
    assert PASSWORD not in password_hash and "horse" not in password_hash


def test_hash_password_salts_each_hash() -> None:
    assert hash_password("same") != hash_password("same")


def test_hash_password_rejects_empty_password() -> None:
    with pytest.raises(InputError, match="empty"):
        hash_password("")


@pytest.mark.parametrize(
    "stored",
    ["", "plain-text", "scrypt$16384$8$1$bad!salt$bad!hash", "bcrypt$x$y$z$a$b", "scrypt$3$8$1$AAAA$AAAA"],
)
def test_verify_password_rejects_malformed_hash(stored: str) -> None:
    assert verify_password(PASSWORD, stored) is False


# --- Sessions ----------------------------------------------------------------------------------------


def test_staff_auth_disabled_when_not_configured(settings: Settings) -> None:
    auth = StaffAuth(settings)
    assert not auth.enabled and auth.disabled == "staff_disabled"
    with pytest.raises(Refusal) as caught:
        auth.login("dei", PASSWORD, OWNER)
    for needed in ("DERCI_STAFF_USER", "DERCI_STAFF_PASSWORD_HASH", "derci-assistant hash-password"):
        assert needed in caught.value.in_lang("en") and needed in caught.value.in_lang("fr")


def test_staff_auth_disabled_with_only_the_user(settings: Settings) -> None:
    assert not StaffAuth(settings.replace(staff_user="dei")).enabled


def test_staff_auth_disabled_with_a_malformed_hash(settings: Settings) -> None:
    auth = StaffAuth(settings.replace(staff_user="dei", staff_password_hash="hunter2"))
    assert auth.disabled == "staff_bad_hash"


def test_staff_auth_login_gives_a_token_bound_to_the_browser(auth: StaffAuth) -> None:
    token = auth.login("dei", PASSWORD, OWNER)
    assert len(token) >= 40
    assert auth.check(token, OWNER.browser)
    auth.require(token, OWNER.browser)
    assert not auth.check(token, OTHER.browser)  # the same token from another browser: refused
    assert not auth.check(token, None)
    with pytest.raises(Refusal, match="Login required"):
        auth.require(token, OTHER.browser)


def test_staff_auth_login_needs_the_browser_cookie(auth: StaffAuth) -> None:
    with pytest.raises(Refusal, match="did not send this page's session cookie"):
        auth.login("dei", PASSWORD, Client("10.0.0.1", None))


def test_staff_auth_check_rejects_unknown_tokens(auth: StaffAuth) -> None:
    for token in (None, "", "forged"):
        assert not auth.check(token, OWNER.browser)
    with pytest.raises(InputError, match="Login required"):
        auth.require("forged", OWNER.browser)


@pytest.mark.parametrize(("user", "password"), [("dei", "wrong"), ("admin", PASSWORD)])
def test_staff_auth_refuses_wrong_credentials(auth: StaffAuth, user: str, password: str) -> None:
    with pytest.raises(Refusal) as caught:
        auth.login(user, password, OWNER)
    assert caught.value.in_lang("fr") == "Identifiant ou mot de passe incorrect."
    assert str(caught.value) == "Wrong user or password."


def test_staff_auth_session_expires_after_its_lifetime(auth: StaffAuth, clock: FakeClock) -> None:
    token = auth.login("dei", PASSWORD, OWNER)
    for _ in range(3):  # used every 20 s: never idle, but 60 s is the most a session lives
        clock.now += 19
        assert auth.check(token, OWNER.browser)
    clock.now += 5
    assert not auth.check(token, OWNER.browser)


def test_staff_auth_session_expires_when_idle(auth: StaffAuth, clock: FakeClock) -> None:
    token = auth.login("dei", PASSWORD, OWNER)
    clock.now += 30
    assert not auth.check(token, OWNER.browser)


def test_staff_auth_logout(auth: StaffAuth) -> None:
    token = auth.login("dei", PASSWORD, OWNER)
    other = auth.login("dei", PASSWORD, OWNER)
    auth.logout(token)
    auth.logout(None)
    assert not auth.check(token, OWNER.browser)
    assert auth.check(other, OWNER.browser)


def test_staff_auth_browser_has_session(auth: StaffAuth) -> None:
    assert not auth.browser_has_session(OWNER.browser)
    token = auth.login("dei", PASSWORD, OWNER)
    assert auth.browser_has_session(OWNER.browser) and not auth.browser_has_session(OTHER.browser)
    auth.logout(token)
    assert not auth.browser_has_session(OWNER.browser)


def test_staff_auth_drops_oldest_session_beyond_max(
    settings: Settings, password_hash: str, clock: FakeClock
) -> None:
    staff = settings.replace(staff_user="dei", staff_password_hash=password_hash)
    auth = StaffAuth(staff, clock=clock, max_sessions=2)
    first = auth.login("dei", PASSWORD, OWNER)
    clock.now += 1
    second, third = auth.login("dei", PASSWORD, OWNER), auth.login("dei", PASSWORD, OWNER)
    assert [auth.check(t, OWNER.browser) for t in (first, second, third)] == [False, True, True]


def test_staff_auth_repr_shows_no_secret(auth: StaffAuth) -> None:
    token = auth.login("dei", PASSWORD, OWNER)
    assert token not in repr(auth) and PASSWORD not in repr(vars(auth))
    assert OWNER.browser is not None and OWNER.browser not in repr(OWNER)


# --- Throttling --------------------------------------------------------------------------------------


def _fail(auth: StaffAuth, times: int, client: Client = OTHER, user: str = "dei") -> None:
    for _ in range(times):
        with pytest.raises(Refusal, match="Wrong user or password"):
            auth.login(user, "wrong", client)


def _blocked(auth: StaffAuth, client: Client, seconds: int, user: str = "dei") -> None:
    with pytest.raises(Refusal, match=f"try again in {seconds} s"):
        auth.login(user, PASSWORD, client)  # even the right password: refused before it is checked


def test_throttle_slows_one_client_after_five_failures(auth: StaffAuth, clock: FakeClock) -> None:
    _fail(auth, 5)
    _blocked(auth, OTHER, 1)
    clock.now += 1
    assert auth.check(auth.login("dei", PASSWORD, OTHER), OTHER.browser)


def test_throttle_delay_doubles_and_is_capped(
    settings: Settings, password_hash: str, clock: FakeClock
) -> None:
    staff = settings.replace(staff_user="dei", staff_password_hash=password_hash)
    auth = StaffAuth(staff, clock=clock, throttle=LoginThrottle(clock=clock, max_delay=60))
    _fail(auth, 5)
    for wait in (1, 2, 4, 8, 16, 32, 60, 60):
        _blocked(auth, OTHER, wait)
        clock.now += wait
        _fail(auth, 1)
    _blocked(auth, OTHER, 60)


def test_throttle_rotating_addresses_still_hit_the_user_name(auth: StaffAuth, clock: FakeClock) -> None:
    for n in range(10):  # ten addresses, one guess each: no per-address limit is reached
        _fail(auth, 1, client=_client(n))
    _blocked(auth, _client(99), 1)  # an eleventh address is slowed down all the same


def test_throttle_never_locks_out_a_browser_that_logged_in_before(auth: StaffAuth, clock: FakeClock) -> None:
    auth.logout(auth.login("dei", PASSWORD, OWNER))  # the owner logged in once from this browser
    for n in range(60):  # then an attacker guesses from 60 addresses, including the owner's own one
        client = Client(OWNER.address, None) if n % 10 == 0 else _client(n)
        with contextlib.suppress(Refusal):
            auth.login("dei", f"guess-{n}", Client(client.address, f"{n:043d}"))
    with pytest.raises(Refusal, match="Too many attempts"):  # the attacker is slowed down...
        auth.login("dei", PASSWORD, _client(500))
    assert auth.check(auth.login("dei", PASSWORD, OWNER), OWNER.browser)  # ...the owner walks in


def test_throttle_success_clears_the_clients_counter(auth: StaffAuth) -> None:
    _fail(auth, 4)
    auth.login("dei", PASSWORD, OTHER)
    _fail(auth, 4)  # would be blocked at the 5th failure if the counter had not been cleared
    assert auth.check(auth.login("dei", PASSWORD, OTHER), OTHER.browser)


def test_throttle_forgets_failures_after_an_hour(auth: StaffAuth, clock: FakeClock) -> None:
    _fail(auth, 5)
    clock.now += 3600
    _fail(auth, 4)  # a fresh count
    assert auth.check(auth.login("dei", PASSWORD, OTHER), OTHER.browser)


def test_throttle_counts_each_attempt_before_the_password_check(clock: FakeClock) -> None:
    throttle = LoginThrottle(clock=clock, free_per_client=2)
    throttle.attempt("dei", "10.0.0.1", None)
    throttle.attempt("dei", "10.0.0.1", None)  # two in flight, neither checked yet
    with pytest.raises(Refusal, match="try again in 1 s"):
        throttle.attempt("dei", "10.0.0.1", None)


def test_throttle_keeps_a_bounded_number_of_counters(clock: FakeClock) -> None:
    throttle = LoginThrottle(clock=clock, max_keys=50)
    for n in range(1000):
        throttle.attempt(f"user-{n}", f"10.2.{n // 250}.{n % 250}", None)
    assert "50 counters" in repr(throttle)
