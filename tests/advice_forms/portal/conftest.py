"""The portal's pages around the form are tested as the portal's other pages are: with the site's settings, an
empty cache (rate limits count there) and a signed-in team account with a verified authenticator."""

from tests.portal_pages.conftest import _clean_cache, _site  # noqa: F401
