"""Demo content for the fictional Kestrelford Borough Council: home page, footer pages, settings, staff.

Every loader here is idempotent: it finds what exists by a stable slug or address and fills in the rest.
Names and addresses are invented; addresses use the reserved example.org domain.
"""

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Page, Site

from cms.formats import phone_href
from cms.models import HelpPage, HomePage, PortalSettings
from cms.navigation import DEFAULT_PORTS

COUNCIL_NAME = "Kestrelford Borough Council"
# The SEND team's own mailbox: families write to it as professionals do (the contact page, the parents' pages).
SUPPORT_EMAIL = "send.team@kestrelford.example.org"
ICT_EMAIL = "ict.helpdesk@kestrelford.example.org"
# The SEND service's phone, as the contact page, the parents' pages and Portal settings give it (Ofcom's drama range).
SEND_PHONE = "01632 960 000"
SEND_PHONE_HOURS = "Monday to Friday, 9am to 5pm"
DPO_EMAIL = "data.protection@kestrelford.example.org"
# The council's postal address, line by line. KF is no postcode area in the UK, so no letter can reach a real house.
COUNCIL_ADDRESS = ("Kestrelford Borough Council", "Civic Centre", "Harrier Street", "Kestrelford", "KF1 2AB")
# The fictional families' advice service: independent of the council, so with a domain of its own.
SENDIASS_NAME = "Kestrelford SEND Information, Advice and Support Service (SENDIASS)"
SENDIASS_EMAIL = "advice@kestrelford-sendiass.example.org"
SENDIASS_PHONE = "01632 960 123"
SENDIASS_HOURS = "Monday to Friday, 9:30am to 4:30pm"
DEMO_ADMIN_EMAIL = "admin@kestrelford.example.org"
DEMO_ADMIN_PASSWORD = "kestrelford-demo-admin"  # noqa: S105 - a printed demo credential, never production


def demo_tools_allowed(command: str) -> None:
    """Refuse a demo tool (a CommandError, so a one-line message and exit status 1) unless PORTAL_DEMO_TOOLS is on:
    off under production settings, where it would make accounts with published passwords, print real codes, write
    benchmark accounts and signed-in sessions, or start a browser and a second server to retake the guides' pictures.
    Every command that should never run on a live site calls this first, before it reads or writes anything."""
    if not settings.PORTAL_DEMO_TOOLS:
        raise CommandError(
            f"{command} is a demo tool and does not run on this site: demo tools are off under production settings "
            "(PORTAL_DEMO_TOOLS=on allows them on a training site)."
        )


def demo_words(key):
    """Words one app's demo shows and another installed app keeps, asked by name so that neither imports the other
    (the FAQ lists advice_forms' Team and Type terms): the first AppConfig whose ``demo_words`` maps ``key`` to the
    dotted path of a function answers with what it returns; "" when no installed app keeps them."""
    for config in apps.get_app_configs():
        path = getattr(config, "demo_words", {}).get(key)
        if path:
            return import_string(path)()
    return ""


HOME_INTRO = (
    "<p>Kestrelford's special educational needs and disabilities (SEND) service asks the professionals around a "
    "child for their advice during an education, health and care (EHC) needs assessment. Schools, settings and "
    "services use this portal to read what we have asked, write their advice, and send it back to us safely.</p>"
)
AUDIENCES = [
    "Schools and academies",
    "Early years settings",
    "Post-16 establishments",
    "Educational psychology",
    "Health and medical professionals",
    "Speech and language therapy",
    "Occupational therapy and physiotherapy",
    "Social care",
]

SUPPORT_LINK = f'<a href="mailto:{SUPPORT_EMAIL}">{SUPPORT_EMAIL}</a>'


def phone_link(number: str) -> str:
    """A UK phone number as rich text's link that a phone dials ("01632 960 000": tel:+441632960000), shown as written.
    Wagtail's rich text keeps tel: links (wagtail.whitelist.ALLOWED_URL_SCHEMES); the editor's link chooser makes them
    too ("Phone")."""
    return f'<a href="{phone_href(number)}">{number}</a>'


def postal_address(*lines: str) -> str:
    """An address on one line, for a sentence or a list item: "SEND Service, Kestrelford Borough Council, ..."."""
    return ", ".join(lines)


def sendiass_contact() -> str:
    """SENDIASS's email, phone and opening hours, as a list for rich text: the contact page and the parents' pages."""
    return (
        f'<ul><li>email: <a href="mailto:{SENDIASS_EMAIL}">{SENDIASS_EMAIL}</a></li>'
        f"<li>phone: {phone_link(SENDIASS_PHONE)} ({SENDIASS_HOURS})</li></ul>"
    )


# The privacy notice's figures are the settings' own, so the notice says what the portal does (docs/operations.md,
# "What is kept, and for how long").
EMAIL_BODY_DAYS = settings.PORTAL_SENT_EMAIL_BODY_DAYS
FORMS_PROTECTED = "stops another website sending the portal's forms in your name"


def lifetime_words(seconds: int) -> str:
    """How long a cookie lasts, in the largest unit that says it exactly: "52 weeks", "12 hours", "1 day"."""
    for unit, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"


def csrf_cookie_words() -> str:
    """The notice's item on Django's CSRF cookie, as the settings make it: how long it lasts (``CSRF_COOKIE_AGE``;
    None, until the browser closes), or no item with ``CSRF_USE_SESSIONS``, which keeps the token in the session and
    sets no cookie of its own (the session cookie's item then says it protects forms too)."""
    if settings.CSRF_USE_SESSIONS:
        return ""
    age = settings.CSRF_COOKIE_AGE
    lasts = "It is removed when you close your browser." if age is None else f"It lasts {lifetime_words(age)}."
    return f"<li><b>{settings.CSRF_COOKIE_NAME}</b> {FORMS_PROTECTED}. {lasts}</li>"


def session_cookie_words() -> str:
    """The notice's item on the session cookie (``SESSION_COOKIE_AGE``: PORTAL_SESSION_ABSOLUTE_HOURS), which with
    ``CSRF_USE_SESSIONS`` also holds the forms' token."""
    forms = f" It also {FORMS_PROTECTED}." if settings.CSRF_USE_SESSIONS else ""
    return (
        f"<li><b>{settings.SESSION_COOKIE_NAME}</b> keeps you signed in. If you answer “Was this page useful?” "
        f"without signing in, it remembers which pages you have answered.{forms} It lasts "
        f"{lifetime_words(settings.SESSION_COOKIE_AGE)} at most, and signing out removes it.</li>"
    )


FOOTER_PAGES = {
    "accessibility-statement": (
        "Accessibility statement",
        "How accessible this portal is, and how to tell us about a problem.",
        [
            ("heading", "Using this portal"),
            (
                "text",
                "<p>Kestrelford Borough Council runs this portal. We want as many people as possible to be able "
                "to use it: you should be able to zoom in to 400% without text spilling off the screen, move "
                "around it using only a keyboard, and use it with a screen reader.</p>",
            ),
            ("heading", "Reporting a problem"),
            (
                "text",
                f"<p>If you find a part of the portal you cannot use, or need something from it in another format, "
                f"email {SUPPORT_LINK}. We reply within 5 working days.</p>",
            ),
            ("heading", "Enforcement procedure"),
            (
                "text",
                "<p>The Equality and Human Rights Commission enforces the Public Sector Bodies (Websites and Mobile "
                "Applications) (No. 2) Accessibility Regulations 2018. If you have told us about a problem and you "
                "are not happy with our reply, contact the Equality Advisory and Support Service (EASS).</p>",
            ),
            ("heading", "Compliance status"),
            (
                "text",
                "<p>This portal is partially compliant with the Web Content Accessibility Guidelines (WCAG) version "
                "2.2, level AA. No accessibility specialist has audited it yet, and we know these parts do not meet "
                "the standard:</p><ul>"
                "<li>Documents that our editors add to guidance pages, such as PDF and Word files, are checked to "
                "make sure they are safe to open, but not that they are accessible: some may be hard to read with a "
                "screen reader.</li>"
                "<li>The pages our own staff use to manage the portal and its guidance are Wagtail's, the software "
                "the portal is built on. We have not tested them to the same standard as the pages on this site.</li>"
                "</ul>",
            ),
            ("heading", "Content outside the regulations"),
            (
                "text",
                "<p>Documents that schools, settings and services upload to the portal, such as reports, are theirs: "
                "we do not check them for accessibility. If you cannot read one, email us and we will ask its author "
                "for another format.</p>",
            ),
            ("heading", "How we tested this portal"),
            (
                "text",
                "<p>This statement was prepared on 1 December 2026. We test every page of the portal, and every PDF "
                "it makes, each time it changes: with an automated accessibility checker, on a screen 320 pixels "
                "wide (as when zoomed in to 400%), and by checking that each PDF is tagged for screen readers.</p>",
            ),
        ],
    ),
    "privacy-notice": (
        "Privacy notice",
        "Who looks after the information in the portal, what we collect, why, how long we keep it and your rights.",
        [
            ("heading", "Who we are"),
            (
                "text",
                "<p>Kestrelford Borough Council runs this portal. We are the data controller for the information in "
                "it. This means we decide how it is used, and we must keep it safe.</p>"
                "<p>Our data protection officer checks that we follow the law. You can contact them by email at "
                f'<a href="mailto:{DPO_EMAIL}">{DPO_EMAIL}</a>, or by letter to: '
                f"{postal_address('Data Protection Officer', *COUNCIL_ADDRESS)}.</p>",
            ),
            ("heading", "What we collect"),
            (
                "text",
                "<p>We keep the details of the team accounts that use the portal (the organisation, its shared work "
                "email address and its authenticator devices) and the advice they send us about children and young "
                "people being assessed for an education, health and care plan. We also keep a record of who signed "
                "in, when, from which IP address (the number that identifies a connection to the internet), and "
                "what they did in the portal. We use it only to carry out the assessment, as the Children and "
                "Families Act 2014 requires.</p>",
            ),
            ("heading", "Why we are allowed to use it"),
            (
                "text",
                "<p>The law says we must assess children and young people who may need an education, health and "
                "care plan. Using this information is part of that public task (UK General Data Protection "
                "Regulation, called UK GDPR, Article 6(1)(e)).</p><p>Some of it, such as a child's health or "
                "special educational needs, is special category data. We use it because the law needs us to, for "
                "reasons of substantial public interest (UK GDPR Article 9(2)(g)), for the statutory and government "
                "purposes that the Data Protection Act 2018 names (Schedule 1, Part 2, paragraph 6). We have an "
                "appropriate policy document that says how we protect this information and how long we keep it. "
                "Ask our data protection officer for a copy.</p>",
            ),
            ("heading", "Where the information comes from"),
            (
                "text",
                "<p>Most of what we hold about a child comes from the people who work with them: schools and early "
                "years settings, health professionals (such as doctors, nurses and therapists) and social care "
                "professionals. Some comes from the child's parents, or from the young person.</p>",
            ),
            ("heading", "Who we share it with"),
            (
                "text",
                "<p>We never sell it. Only these people can see it:</p><ul>"
                "<li>the council's SEND staff who carry out the assessment</li>"
                "<li>professionals we ask for advice about the same child, who see only what we share with them for "
                "that request</li>"
                "<li>the companies that run the council's IT systems, such as the portal's hosting. They are our "
                "processors: they may use the information only as we tell them, and must keep it safe.</li></ul>",
            ),
            ("heading", "Feedback on guidance pages"),
            (
                "text",
                "<p>If you answer “Was this page useful?”, we keep your answer and any comment you write, with the "
                "page and the time. We do not keep your name, email address or IP address with them, so we cannot "
                "reply. We use feedback only to improve our guidance. Do not write personal details in a comment: "
                "if you do, we remove them.</p>",
            ),
            ("heading", "How long we keep it"),
            (
                "text",
                # What the portal does (docs/operations.md, "What is kept"): most records have no end date of their
                # own, and the council deletes them by hand, so the notice says that rather than a period it does not
                # keep to.
                "<ul><li>Advice, documents and outcomes about a child: the portal does not delete them by itself. "
                "When our staff remove one, it goes from the portal's pages but is not erased: we keep it, with a "
                "record of who removed it and when. The council's retention schedule for SEND records says how long "
                "we keep them. To ask us to erase them, see “Your rights”.</li>"
                "<li>Team account details: until we delete the account. After that we keep only a note that it "
                "existed and who deleted it.</li>"
                "<li>Records of who signed in and what they did in the portal: the portal does not delete them by "
                "itself, as they show who saw or changed a child's information. We delete them when the council's "
                "retention schedule says.</li>"
                f"<li>The text of the emails the portal sends: {EMAIL_BODY_DAYS} days. After that we keep only the "
                "address, the subject and when it was sent.</li>"
                "<li>Feedback on guidance pages: until an editor deletes it. The portal does not delete it by "
                "itself.</li></ul>",
            ),
            ("heading", "Your rights"),
            (
                "text",
                "<p>You have the right to:</p><ul>"
                "<li>ask for a copy of the information we hold about you or your child</li>"
                "<li>ask us to correct information that is wrong</li>"
                "<li>object to how we use it, or ask us to use it less</li>"
                "<li>ask us to delete it, although we cannot always do this when the law says we must keep it</li>"
                "</ul><p>To ask, email our data protection officer at "
                f'<a href="mailto:{DPO_EMAIL}">{DPO_EMAIL}</a>. Say what you want and who the information is '
                "about. We reply within 1 month.</p>",
            ),
            ("heading", "Cookies"),
            (
                "text",
                "<p>The portal sets only the cookies it needs to work, so it does not ask you to accept them. It "
                "uses no analytics or advertising cookies.</p><ul>"
                f"{session_cookie_words()}{csrf_cookie_words()}"
                "<li><b>messages</b> carries a short message to the next page you see, such as “You have been "
                "signed out”. It is removed once the message is shown.</li></ul>",
            ),
            ("heading", "How to complain"),
            (
                "text",
                "<p>If you are unhappy with how we use your information, tell our data protection officer first. "
                "You can also complain to the Information Commissioner's Office (ICO), which makes sure "
                'organisations follow data protection law:</p><ul><li>website: <a href="https://ico.org.uk">'
                f"ico.org.uk</a></li><li>phone: {phone_link('0303 123 1113')}</li></ul>",
            ),
        ],
    ),
    "contact": (
        "Contact the SEND service",
        "How to reach Kestrelford's SEND service about the portal or an assessment.",
        # The emails, phone number and hours are Portal settings' (load sets them): the block shows them from there.
        [
            ("contact_details", None),
            ("heading", "Write to us"),
            ("text", f"<p>{'<br>'.join(('SEND Service', *COUNCIL_ADDRESS))}</p>"),
            ("heading", "Free, independent advice for families"),
            (
                "text",
                f"<p>{SENDIASS_NAME} gives parents, carers, children and young people free advice about special "
                "educational needs and disabilities, and the help a child can get. It is not part of our SEND "
                "service, so you can talk to it in confidence. It can help you write to us, explain your choices and "
                f"come to meetings with you.</p>{sendiass_contact()}",
            ),
        ],
    ),
}


def _home_page():
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    # Wagtail's first migration makes a plain "Welcome" page; the demo's home page takes its place.
    for welcome in root.get_children().filter(slug="home", content_type__model="page"):
        welcome.delete()
    home = HomePage(title="Professional portal for SEND advice", slug="home")
    root.add_child(instance=home)
    return home


def _site_address():
    """The demo Site's host and port, from the public address (``WAGTAILADMIN_BASE_URL``, which ``make run PORT=``
    sets): Wagtail writes a page's address in an email (an approval's link) from its Site, so "localhost" and port 80
    gave links that reached no server."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.hostname or "localhost", address.port or DEFAULT_PORTS.get(address.scheme, 80)


# Where the demo puts its Site: a loopback address (older versions: localhost, port 80; now make run's 127.0.0.1).
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1"}


def site_address_follow(out) -> None:
    """Bring the demo's own default Site to the public address's host and port (``WAGTAILADMIN_BASE_URL``), for
    ``load_demo_content --if-empty``, which leaves loaded content alone: a demo database made by an older version
    (localhost, port 80) or by `make run` on another port kept its old address, and the demo's emails linked to a
    port nothing served.

    The demo's own Site is told from one a council has set up by two marks the demo leaves and a council's site does
    not have: the fictional council's name (COUNCIL_NAME) as the Site's name, and a loopback host (LOOPBACK_HOSTS).
    A council's site carries its own name and is served at its own domain: either one leaves the Site as it is, as
    does an address another Site already has."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or site.site_name != COUNCIL_NAME or site.hostname not in LOOPBACK_HOSTS:
        return
    hostname, port = _site_address()
    if (site.hostname, site.port) == (hostname, port):
        return
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    out.write(f"The demo site's address is now {hostname}, port {port}, as WAGTAILADMIN_BASE_URL says.")


def _publish(page):
    page.save_revision().publish()


@transaction.atomic
def load(out):
    home = _home_page()
    home.intro = HOME_INTRO
    home.audiences = [("audience", text) for text in AUDIENCES]
    _publish(home)

    hostname, port = _site_address()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": hostname, "port": port, "root_page": home, "site_name": COUNCIL_NAME},
    )
    site = Site.objects.get(is_default_site=True)

    pages = {}
    # The role group that migrations make: the footer pages belong to the content editors as a team.
    content_team = Group.objects.filter(name="Content editor").first()
    for slug, (title, intro, body) in FOOTER_PAGES.items():
        page = HelpPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = HelpPage(title=title, slug=slug)
            home.add_child(instance=page)
        page.title, page.intro, page.body = title, intro, body
        page.owner_team = page.owner_team or content_team
        _publish(page)
        pages[slug] = page

    settings = PortalSettings.for_site(site)
    settings.council_name = COUNCIL_NAME
    settings.service_name = "SEND Professional Portal"
    settings.support_email = SUPPORT_EMAIL
    settings.ict_email = ICT_EMAIL
    settings.phone = SEND_PHONE
    settings.phone_hours = SEND_PHONE_HOURS
    settings.accessibility_page = pages["accessibility-statement"]
    settings.privacy_page = pages["privacy-notice"]
    settings.contact_page = pages["contact"]
    settings.save()

    _demo_admin()
    out.write(f"Demo site for {COUNCIL_NAME} is ready.")


def _demo_admin():
    User = get_user_model()
    admin, created = User.objects.get_or_create(
        email=DEMO_ADMIN_EMAIL,
        defaults={"is_staff": True, "is_superuser": True, "first_name": "Demo", "last_name": "Administrator"},
    )
    if created:
        admin.set_password(DEMO_ADMIN_PASSWORD)
        admin.save()
    if not TOTPDevice.objects.filter(user=admin, confirmed=True).exists():
        TOTPDevice.objects.create(user=admin, name="Demo authenticator", confirmed=True)


def sign_ins():
    """The lines `make run` prints so a tester can sign in to the demo; none where the demo's administrator does not
    exist (a database with content of its own, which --if-empty left alone)."""
    if not get_user_model().objects.filter(email=DEMO_ADMIN_EMAIL).exists():
        return []
    return [
        f"Staff (Wagtail admin, /admin/): {DEMO_ADMIN_EMAIL} / {DEMO_ADMIN_PASSWORD}",
        f"  then the code from: python manage.py demo_totp {DEMO_ADMIN_EMAIL}",
    ]
