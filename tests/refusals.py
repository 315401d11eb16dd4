"""What a refused person sees, as tests assert it: Wagtail's refusal of a staff member without the permission is
not a 403 but a redirect to the dashboard with its message, and this tells it apart from a lost session."""

from django.urls import reverse

from cms.flash_messages import TAKES_FOCUS
from tests.test_role_matrix import WAGTAIL_REFUSAL


def messages_of(response) -> list[str]:
    """The messages this response's request added (not older ones still waiting to be shown)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    return [str(message).strip() for message in getattr(storage, "_queued_messages", [])]


def messages_taking_focus(response) -> list[str]:
    """Those of messages_of(response) tagged to take the focus on the page that shows them (TAKES_FOCUS)."""
    storage = getattr(response.wsgi_request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return [str(message).strip() for message in queued if TAKES_FOCUS in message.tags.split()]


def refused_by_wagtail(response) -> bool:
    """Back to the admin's dashboard with "Sorry, you do not have permission to access this area."."""
    return (
        response.status_code == 302
        and response["Location"] == reverse("wagtailadmin_home")
        and WAGTAIL_REFUSAL in messages_of(response)
    )


def refused_the_admin(response, path) -> bool:
    """A signed-in team account at an admin URL: to the admin's sign-in, told it may not use the admin."""
    return (
        response.status_code == 302
        and response["Location"] == f"{reverse('wagtailadmin_login')}?next={path}"
        and "You do not have permission to access the admin." in messages_of(response)
    )


def assert_no_menu_and_forbidden(client, menu, paths):
    """Staff without the role: the admin's dashboard shows no `menu`, and each of `paths` answers with Wagtail's
    refusal, as every other admin screen refuses."""
    home = client.get(reverse("wagtailadmin_home"))
    assert home.status_code == 200
    assert menu not in home.content.decode()
    for path in paths:
        assert refused_by_wagtail(client.get(path)), path
