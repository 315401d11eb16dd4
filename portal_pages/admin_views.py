"""Wagtail admin pages for account administration: reset a user's two-factor devices, reactivate an account;
and Wagtail's own user and group screens, kept for superusers (StaffUsersAppConfig in portal_pages.apps)."""

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_list_or_404, get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.users.views.bulk_actions import AssignRoleBulkAction, DeleteBulkAction, SetActiveStateBulkAction
from wagtail.users.views.groups import CreateView as GroupCreateView
from wagtail.users.views.groups import DeleteView as GroupDeleteView
from wagtail.users.views.groups import EditView as GroupEditView
from wagtail.users.views.groups import GroupViewSet
from wagtail.users.views.users import CreateView as UserCreateView
from wagtail.users.views.users import DeleteView as UserDeleteView
from wagtail.users.views.users import EditView as UserEditView
from wagtail.users.views.users import HistoryView as UserHistoryView
from wagtail.users.views.users import IndexView as UserIndexView
from wagtail.users.views.users import UserFilterSet, UserViewSet

from cms.admin_views import (
    KeptFromBulkDeletionMixin,
    KeptFromDeletionMixin,
    UnchangedSaveMixin,
    admin_list_page,
    back_to_list_row,
    list_return_url,
)
from cms.formats import govuk_datetime
from cms.forms import posted
from cms.names import name_folded
from cms.permissions import superusers_only
from portal_pages.forms import SUPERUSER_LABEL, JoinDecisionForm, StaffUserCreationForm, StaffUserEditForm
from portal_pages.models import (
    SHOWN_STATES,
    SWITCHED_OFF,
    AccountState,
    JoinRequest,
    JoinRequestState,
    Organisation,
    User,
    shown_state_q,
)
from portal_pages.roles import CHANGE_USER, may_approve_joining, staff_accounts, team_accounts
from portal_pages.services import accounts as account_services
from portal_pages.services import deletion as deletion_services
from portal_pages.services import devices as device_services
from portal_pages.services import joining as joining_services
from portal_pages.services import password_resets
from portal_pages.services.joining import join_requests_waiting
from portal_pages.services.moves import account_active_switched
from portal_pages.services.role_groups import group_permissions, role_group_deleted, role_group_saved
from portal_pages.services.staff_roles import NO_ROLES, account_roles, account_roles_changed

# An account that requests, outcomes or contacts point at, or that has acted (its audit entries name it), is kept
# with them: it is switched off, never deleted.
ACCOUNT_KEPT_INSTEAD = "To stop it signing in, switch it off instead: untick Active on its edit page."
# Django's own help text for Active ("Designates whether this user should be treated as active...") says nothing of
# what unticking it does.
ACCOUNT_ACTIVE_HELP = (
    "Untick to switch the account off: it can no longer sign in, any session it has open ends, and the change is "
    "recorded in the audit log. Tick again to let it sign in."
)


def _target(request, user_id) -> User:
    """A team account the requester may manage; a superuser may manage any account. Any other id is a 404."""
    if not request.user.has_perm(CHANGE_USER):
        raise PermissionDenied
    accounts = User.objects.all() if request.user.is_superuser else team_accounts()
    return get_object_or_404(accounts, pk=user_id)


def _back(request):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if candidate.startswith("/admin/") else reverse("team_accounts:index")


@require_http_methods(["GET", "POST"])
def reset_two_factor(request, user_id):
    user = _target(request, user_id)
    if request.method == "POST":
        removed = device_services.devices_reset_by_admin(user=user, reset_by=request.user, request=request)
        messages.success(
            request,
            f"Two-factor sign-in of {user.email} has been reset ({removed} device{'s' if removed != 1 else ''} "
            "removed). The account sets up an authenticator at its next sign-in, and has been emailed.",
        )
        return redirect(_back(request))
    return TemplateResponse(
        request,
        "portal_pages/admin/confirm.html",
        {
            "account": user,
            "page_title": "Reset two-factor sign-in",
            "header_title": "Reset two-factor sign-in",
            "question": f"Remove every authenticator device and backup code of {user.email}?",
            "explanation": "Do this when the account has lost its phone and has no backup codes left. "
            "Check first that the request really comes from the account's owner. The account will set up a new "
            "authenticator at its next sign-in, and is emailed about the reset.",
            "button": "Reset two-factor sign-in",
            "next": _back(request),
        },
    )


@require_http_methods(["GET", "POST"])
def reactivate(request, user_id):
    user = _target(request, user_id)
    if user.account_state != AccountState.DORMANT:
        messages.error(request, f"{user.email} is not dormant.")
        return redirect(_back(request))
    switched_off = not user.is_active  # by an administrator: reactivating lifts the dormancy only
    if request.method == "POST":
        account_services.account_reactivate(user=user, reactivated_by=request.user, request=request)
        if switched_off:
            messages.warning(
                request,
                f"{user.email} is no longer dormant, but it is still switched off, so it cannot sign in and has not "
                "been emailed. To let it sign in, tick Active on its edit page.",
            )
        else:
            messages.success(request, f"{user.email} has been reactivated and emailed.")
        return redirect(_back(request))
    explanation = (
        "It can then sign in again, or reset its password. Check first that the request comes from the organisation."
    )
    if switched_off:
        explanation = (
            "An administrator has also switched this account off (Active is unticked). Reactivating lifts only the "
            "dormancy: the account stays switched off, cannot sign in and is not emailed, until someone ticks Active "
            "on its edit page."
        )
    return TemplateResponse(
        request,
        "portal_pages/admin/confirm.html",
        {
            "account": user,
            "page_title": "Reactivate account",
            "header_title": "Reactivate account",
            "question": f"Reactivate the dormant account {user.email}?",
            "explanation": explanation,
            "button": "Reactivate",
            "next": _back(request),
        },
    )


@require_http_methods(["POST"])
def keep_alive(request):
    """The admin's "Stay signed in": PortalSessionMiddleware has already counted this request as activity."""
    return JsonResponse({"idle_seconds": settings.PORTAL_SESSION_IDLE_SECONDS})


# Wagtail's own user and group screens: superusers only.
#
# They grant roles (groups, is_superuser, permissions) and set any account's password, so only superusers
# use them. The portal administrator manages team accounts from Accounts -> Team accounts (wagtail_hooks),
# whose every view starts from roles.team_accounts().


class SuperusersOnlyPermissionPolicy(ModelPermissionPolicy):
    """Every action for active superusers, none for anyone else, whatever permissions they hold."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return User.objects.filter(is_active=True, is_superuser=True)


class SuperusersOnlyViewSetMixin:
    @property
    def permission_policy(self):
        return SuperusersOnlyPermissionPolicy(self.model)

    def get_urlpatterns(self):
        return [
            URLPattern(pattern.pattern, superusers_only(pattern.callback), pattern.default_args, pattern.name)
            for pattern in super().get_urlpatterns()
        ]


class ActiveSwitchAuditedMixin:
    """An account edit view whose form has Active: unticking it (or ticking it again) is audited with who, when and
    which account (portal_pages.services.moves), beside Wagtail's own edit log entry, which names no field."""

    def save_instance(self):
        switched = "is_active" in self.form.changed_data
        with transaction.atomic():
            instance = super().save_instance()
            if switched:
                account_active_switched(
                    user=instance, was_active=not instance.is_active, actor=self.request.user, request=self.request
                )
        return instance


class StaffAccountsOnlyMixin:
    """A view of Wagtail's user screens that finds only staff accounts (roles.staff_accounts): a team account's id is
    a 404, so no role or superuser status is given to it here; it has its own screens (Team accounts)."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not staff_accounts().filter(pk=instance.pk).exists():
            raise Http404
        return instance


class RolesAuditedMixin:
    """An account add or edit view whose form has the role groups and superuser status: a save that changes either
    (a new account given any) is audited once, with the roles added and removed and the superuser change
    (portal_pages.services.staff_roles)."""

    def save_instance(self):
        account = self.form.instance
        before = account_roles(account) if account.pk else NO_ROLES
        with transaction.atomic():
            instance = super().save_instance()
            account_roles_changed(user=instance, before=before, actor=self.request.user, request=self.request)
        return instance


STAFF_ACCOUNT_ADD = "Add a staff account"


class InvitationAddMixin:
    """An add page whose account is invited (a team account, a staff account): titled in its own words, where
    Wagtail's read "Add user: User" or "New: Team account", its button sends the invitation, and the account it saves
    (``invite()``) has Wagtail's "created" entry in its History, as any row added in the admin has."""

    submit_button_label = "Send the invitation"
    submit_button_active_label = "Sending…"

    def get_page_subtitle(self):
        return ""

    def get_breadcrumbs_items(self):
        *to_the_list, _new = super().get_breadcrumbs_items()
        return [*to_the_list, {"url": "", "label": self.page_title}]

    def invite(self) -> User:
        raise NotImplementedError

    def save_instance(self):
        with transaction.atomic():
            instance = self.invite()
            log(instance=instance, action="wagtail.create", content_changed=True)
        return instance


class StaffUserCreateView(RolesAuditedMixin, InvitationAddMixin, UserCreateView):
    """The account added is invited: it chooses its own password from an emailed link, where Wagtail had the
    administrator type one for it."""

    page_title = STAFF_ACCOUNT_ADD
    error_message = "The staff account was not added: correct what the form says below."

    def invite(self):
        account = self.form.save(commit=False)
        account.is_staff = True
        account_services.account_invite(user=account, invited_by=self.request.user, request=self.request)
        self.form.save_m2m()
        return account

    def get_success_message(self, instance):
        return (
            f"{instance.email} has been invited. They choose their password from the link in the email, then set up "
            "an authenticator app at their first sign-in."
        )


def account_state_filter(choices=SHOWN_STATES):
    """The state as account lists show it (User.shown_state), so "Switched off" can be picked and "Active" leaves it
    out."""
    return django_filters.ChoiceFilter(
        label="State", choices=choices, method=lambda queryset, name, value: queryset.filter(shown_state_q(value))
    )


# The states a staff account can be in: it is invited by a superuser, with no email to confirm nor request to join.
STAFF_STATES = [
    SWITCHED_OFF,
    *((state.value, state.label) for state in (AccountState.INVITED, AccountState.ACTIVE, AccountState.DORMANT)),
]


class StaffUserFilterSet(UserFilterSet):
    """Wagtail's filters in the list's words: State where it offered Active yes or no, Superuser, Role."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters.pop("is_active", None)
        self.filters["account_state"] = account_state_filter(STAFF_STATES)
        self.filters.move_to_end("account_state", last=False)
        self.filters["is_superuser"].label = SUPERUSER_LABEL
        self.filters["group"].label = "Role"


def roles_words(account: User) -> str:
    """An account's roles for the staff list: "Superuser" first where it is one, then its role groups by name
    ("Superuser, Portal administrator"), from the list's one read of every account's groups."""
    names = sorted(group.name for group in account.groups.all())
    return ", ".join([SUPERUSER_LABEL, *names] if account.is_superuser else names)


class StaffUserIndexView(UserIndexView):
    """Each account's state in words, as on the team accounts' list ("Active", "Switched off", "Invited, no password
    chosen yet"), where Wagtail's Active column read True or False; its roles, where Wagtail's "Access level" said
    "Admin" for a superuser only and nothing for any other account; and its email address called that, where Wagtail
    headed it "Username" (the account signs in with it: there is no other username)."""

    add_item_label = STAFF_ACCOUNT_ADD

    def get_base_queryset(self):
        return device_services.with_device_flag(staff_accounts(super().get_base_queryset()).prefetch_related("groups"))

    @cached_property
    def columns(self):
        shown = {
            "is_active": Column("account_state", label="State", accessor="shown_state", sort_key="account_state"),
            "is_superuser": Column("roles", label="Roles", accessor=roles_words),
            User.USERNAME_FIELD: Column("email", label="Email address", sort_key="email"),
        }
        return [shown.get(column.name, column) for column in super().columns]


class StaffUserHistoryView(StaffAccountsOnlyMixin, UserHistoryView):
    pass


def _password_link(account: User) -> str:
    """What the admin's "Forgotten password?" would email ``account`` (services.password_resets): its invitation
    again, or a link to choose a new password; "" when it would send nothing (switched off, dormant)."""
    if account.account_state == AccountState.INVITED:
        return "Send the invitation again"
    if account.can_sign_in and account.has_usable_password():
        return "Send a password reset link"
    return ""


@superusers_only
@require_http_methods(["GET", "POST"])
def send_password_link(request, user_id):
    """A staff account's password link sent for it, as if it had asked at the admin's "Forgotten password?" (the
    same task, the same email): no one but the person ever knows their password."""
    account = get_object_or_404(staff_accounts(), pk=user_id)
    edit_url = reverse("wagtailusers_users:edit", args=[account.pk])
    action = _password_link(account)
    if not action:
        messages.error(request, f"{account.email} cannot be sent a password link: it cannot sign in now.")
        return redirect(edit_url)
    if request.method == "POST":
        password_resets.password_link_send(account=account, actor=request.user, request=request)
        invited = account.account_state == AccountState.INVITED
        what = "its invitation again" if invited else "a link to choose a new password"
        messages.success(request, f"{account.email} has been emailed {what}.")
        return redirect(edit_url)
    return TemplateResponse(
        request,
        "portal_pages/admin/confirm.html",
        {
            "account": account,
            "page_title": action,
            "header_title": action,
            "question": f"{action} to {account.email}?",
            "explanation": "The person chooses their own password from the link in the email. Their current "
            "password, if any, works until they do.",
            "button": action,
            "next": edit_url,
        },
    )


class StaffUserEditView(
    UnchangedSaveMixin, StaffAccountsOnlyMixin, RolesAuditedMixin, ActiveSwitchAuditedMixin, UserEditView
):
    """No password fields (WAGTAILUSERS_PASSWORD_ENABLED): the account chooses its own, from its invitation or a
    reset link; groups are compared as the set ticked."""

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if "is_active" in form.fields:
            form.fields["is_active"].help_text = ACCOUNT_ACTIVE_HELP
        return form

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        if label := _password_link(self.object):
            url = reverse("portal_send_password_link", args=[self.object.pk])
            buttons.append(Button(label, url=url, icon_name="mail", priority=15))
        return buttons


class AccountDeletionAuditedMixin:
    """An account delete view whose delete is audited, with Wagtail's own log entry, in one transaction
    (portal_pages.services.deletion)."""

    def delete_action(self):
        deletion_services.accounts_delete(accounts=[self.object], actor=self.request.user, request=self.request)


class AccountDeleteView(StaffAccountsOnlyMixin, KeptFromDeletionMixin, AccountDeletionAuditedMixin, UserDeleteView):
    noun = "account"
    instead = ACCOUNT_KEPT_INSTEAD


class StaffUserViewSet(SuperusersOnlyViewSetMixin, UserViewSet):
    """No "Copy": a staff account is added by an invitation (StaffUserCreateView), and Wagtail's copy page saved one
    with the roles ticked on the copied account, neither invited nor audited."""

    copy_view_enabled = False
    index_view_class = StaffUserIndexView
    add_view_class = StaffUserCreateView
    edit_view_class = StaffUserEditView
    delete_view_class = AccountDeleteView
    history_view_class = StaffUserHistoryView
    filterset_class = StaffUserFilterSet
    create_template_name = "portal_pages/admin/staff_user_create.html"

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm


class GroupPermissionsAuditedMixin:
    """A group add or edit view: the group and each of its permission panels (pages, collections, documents, images,
    site settings) are saved together, in one transaction, and audited as one entry with the permissions added and
    removed (portal_pages.services.role_groups), where Wagtail saved the panels one by one after the group."""

    def process_form(self):
        before = group_permissions(self.object)  # an add view's object is not saved yet
        with transaction.atomic():
            response = super().process_form()
            role_group_saved(group=self.object, before=before, actor=self.request.user, request=self.request)
        return response


class StaffGroupCreateView(GroupPermissionsAuditedMixin, GroupCreateView):
    pass


class StaffGroupEditView(UnchangedSaveMixin, GroupPermissionsAuditedMixin, GroupEditView):
    """A save that changes neither the group's name and permissions nor any permission panel writes nothing, neither
    our entry nor Wagtail's "edit" (which it wrote for every save). The panels are saved after the form as before:
    each writes only what differs from what is saved, so one whose change went unseen is still saved and audited."""

    def has_changes(self, form):
        return form.has_changed() or any(panel.has_changed() for panel in self.permission_panel_forms)


class StaffGroupDeleteView(GroupDeleteView):
    """A group's deletion is audited with the permissions it took away and the accounts that held it."""

    def delete_action(self):
        with transaction.atomic():
            role_group_deleted(group=self.object, actor=self.request.user, request=self.request)
            super().delete_action()


class StaffGroupViewSet(SuperusersOnlyViewSetMixin, GroupViewSet):
    add_view_class = StaffGroupCreateView
    edit_view_class = StaffGroupEditView
    delete_view_class = StaffGroupDeleteView


# The bulk actions of Wagtail's user list (assign a role, delete, activate), over staff accounts only as the list,
# registered over Wagtail's own by portal_pages.wagtail_hooks.


class StaffAccountsOnlyBulkMixin:
    """A bulk action of Wagtail's user list that acts on staff accounts only: a team account's id among those chosen
    is left out, and a choice of team accounts alone is a 404."""

    @classmethod
    def get_queryset(cls, model, object_ids):
        return get_list_or_404(staff_accounts(model._default_manager.all()), pk__in=object_ids)


class AssignRoleSuperusersOnly(StaffAccountsOnlyBulkMixin, AssignRoleBulkAction):
    """Each account the role is new to is audited as a role change (portal_pages.services.staff_roles)."""

    permission_policy = SuperusersOnlyPermissionPolicy(User)

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "change")

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user, "request": self.request}

    @classmethod
    def execute_action(cls, objects, role=None, user=None, request=None, **kwargs):
        before = {account.pk: account_roles(account) for account in objects}
        with transaction.atomic():
            result = super().execute_action(objects, role=role, **kwargs)
            for account in objects:
                account_roles_changed(user=account, before=before[account.pk], actor=user, request=request)
        return result


class DeleteUsersSuperusersOnly(StaffAccountsOnlyBulkMixin, KeptFromBulkDeletionMixin, DeleteBulkAction):
    permission_policy = SuperusersOnlyPermissionPolicy(User)
    template_name = "portal_pages/admin/confirm_bulk_delete_users.html"
    noun = "account"
    # In the words of Wagtail's bulk menu (SetActiveStateBulkAction's display name and its form's choices).
    instead = (
        "To stop accounts signing in, switch them off instead: choose them, use “Set active state” and choose Inactive."
    )

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "delete") and super().check_perm(obj)

    def get_execution_context(self):
        return {**super().get_execution_context(), "user": self.request.user, "request": self.request}

    @classmethod
    def execute_action(cls, objects, model=None, user=None, request=None, **kwargs):
        return deletion_services.accounts_delete(accounts=objects, actor=user, request=request), 0


class SetActiveStateSuperusersOnly(StaffAccountsOnlyBulkMixin, SetActiveStateBulkAction):
    """Wagtail's "mark as active / inactive" for many users, each account switched off or on audited as one."""

    permission_policy = SuperusersOnlyPermissionPolicy(User)

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission(self.request.user, "change") and super().check_perm(obj)

    def get_execution_context(self):
        return {**super().get_execution_context(), "request": self.request}

    @classmethod
    def execute_action(cls, objects, mark_as_active=False, model=None, request=None, **kwargs):
        actor = kwargs.get("user")
        was_active = {account.pk: account.is_active for account in objects}
        with transaction.atomic():
            result = super().execute_action(objects, mark_as_active=mark_as_active, model=model, **kwargs)
            switched = User.objects.filter(pk__in=was_active, is_active=mark_as_active)
            for account in switched.exclude(pk=getattr(actor, "pk", None)):
                account_active_switched(user=account, was_active=was_active[account.pk], actor=actor, request=request)
        return result


USER_BULK_ACTIONS = (AssignRoleSuperusersOnly, DeleteUsersSuperusersOnly, SetActiveStateSuperusersOnly)


# Requests to join: a portal administrator approves or refuses accounts whose organisation was not listed.


def join_requests_waiting_count(request) -> int:
    """How many requests to join wait for a decision: one count per request, however many parts of the admin page
    (the menu, the dashboard) show it."""
    if not hasattr(request, "portal_join_requests_waiting"):
        request.portal_join_requests_waiting = join_requests_waiting().count()
    return request.portal_join_requests_waiting


def _join_request(request, join_id):
    """A request to join that waits for a decision, or one decided already (opened read-only); any other id (one
    whose account has not yet confirmed its address, or none) is a 404."""
    if not may_approve_joining(request.user):
        raise PermissionDenied
    openable = Q(pk__in=join_requests_waiting().values("pk")) | ~Q(state=JoinRequestState.WAITING)
    joins = JoinRequest.objects.filter(openable).select_related("account", "organisation", "decided_by")
    return get_object_or_404(joins, pk=join_id)


@require_http_methods(["GET"])
def join_requests(request):
    if not may_approve_joining(request.user):
        raise PermissionDenied
    listed = admin_list_page(request, join_requests_waiting(), noun="request to join", noun_plural="requests to join")
    return TemplateResponse(
        request,
        "portal_pages/admin/join_requests.html",
        {"page_title": "Requests to join", "header_title": "Requests to join", **listed},
    )


def _organisations_named_alike(join, at_most: int = 10) -> list[Organisation]:
    """Organisations listed under the name the person gave, whole names compared by the one rule (cms.names: any case,
    accents, apostrophes), or under one that holds it or that it holds ("Heronsgate Academy (Kestrelford)"); never
    every name that shares a first word. The organisation the person chose from the list is theirs, not a possible
    duplicate of it."""
    wanted = name_folded(join.organisation_name)
    alike = []
    for pk, name in Organisation.objects.exclude(pk=join.organisation_id).values_list("pk", "name"):
        folded = name_folded(name)
        if folded == wanted or (
            folded and wanted and (f" {wanted} " in f" {folded} " or f" {folded} " in f" {wanted} ")
        ):
            alike.append(pk)
    return list(Organisation.objects.filter(pk__in=alike[:at_most]))


def _join_request_decided(request, join):
    """A request decided already, read-only: who decided what and when. A decision posted to it (a second tab, another
    administrator first) stores nothing and says so, showing back the reason typed so that it is not lost."""
    decided_by = str(join.decided_by) if join.decided_by else "an administrator whose account is gone"
    return TemplateResponse(
        request,
        "portal_pages/admin/join_request_decided.html",
        {
            "page_title": "Request to join",
            "header_title": "Request to join",
            "join": join,
            "decided": f"{join.get_state_display()} by {decided_by} on {govuk_datetime(join.decided_at)}",
            "posted": request.method == "POST",
            "typed_reason": (request.POST.get("reason") or "").strip() if request.method == "POST" else "",
            "list_url": reverse("portal_join_requests"),
        },
    )


@require_http_methods(["GET", "POST"])
def join_request_decide(request, join_id):
    """One request: approve (making or linking the organisation), or refuse with a reason beside the field."""
    join = _join_request(request, join_id)
    if join.state != JoinRequestState.WAITING:
        return _join_request_decided(request, join)
    form = JoinDecisionForm(posted(request), chosen=join.organisation)
    if request.method == "POST" and form.is_valid():
        # Refused by the service when another administrator decided it since this page read it.
        try:
            if form.cleaned_data["decision"] == "approve":
                organisation = joining_services.join_request_approve(
                    join=join, by=request.user, organisation=form.cleaned_data["organisation"], request=request
                )
                done = f"{join.account.email} may now sign in for {organisation.name}, and is emailed."
            else:
                joining_services.join_request_refuse(
                    join=join, by=request.user, reason=form.cleaned_data["reason"], request=request
                )
                done = f"The request from {join.account.email} is refused, and they are emailed why."
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            list_url = reverse("portal_join_requests")
            return back_to_list_row(request, join_requests_waiting(), list_url, anchor="join-", list_anchor="listing")
    return TemplateResponse(
        request,
        "portal_pages/admin/join_request.html",
        {
            "page_title": "Request to join",
            "header_title": "Request to join",
            "join": join,
            "form": form,
            # The organisation the person chose from the list is theirs, not a possible duplicate of it.
            "similar": _organisations_named_alike(join),
            "list_url": list_return_url(
                request, join_requests_waiting(), reverse("portal_join_requests"), row_anchor=f"join-{join.pk}"
            ),
        },
    )
