"""Signed, single-use, expiring links for email confirmation, invitations and password resets.

A token signs the account's id and a hash of its state (password, account state, last sign-in). Using
the link changes that state, so the same link never works twice; ``max_age`` makes it expire. A link made before
SECRET_KEY was changed still works while the old key is in SECRET_KEY_FALLBACKS, as Django's own signatures do.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from portal_pages.models import User

PURPOSES = {"verify", "invite", "reset"}


def _state_hash(user: User, secret: str | None = None) -> str:
    last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None).isoformat()
    value = f"{user.pk}|{user.password}|{user.account_state}|{user.is_active}|{last_login}|{user.email}"
    return salted_hmac("portal_pages.tokens", value, secret=secret).hexdigest()[:32]


def account_token_make(*, user: User, purpose: str) -> str:
    assert purpose in PURPOSES
    return signing.dumps({"u": user.pk, "s": _state_hash(user)}, salt=f"portal_pages.{purpose}", compress=True)


def account_token_user(*, token: str, purpose: str, max_age_seconds: int) -> User | None:
    """The account a valid, unused, unexpired token names, or None."""
    assert purpose in PURPOSES
    try:
        data = signing.loads(token, salt=f"portal_pages.{purpose}", max_age=max_age_seconds)
    except (signing.BadSignature, signing.SignatureExpired):
        return None
    user = User.objects.filter(pk=data.get("u")).first()
    if user is None:
        return None
    # signing.loads has accepted a signature by SECRET_KEY or a fallback; the state hash was made with the same key.
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if not any(constant_time_compare(_state_hash(user, secret), data.get("s", "")) for secret in secrets):
        return None
    return user
