"""Factories for portal_pages: accounts (team, staff, superuser), organisations, authenticator devices, and staff
signed in to the admin."""

import factory
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal_pages.models import User

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"person{n}@school{n}.example.org")
    display_name = factory.Sequence(lambda n: f"Test School {n} SENCO")
    password = factory.django.Password(PASSWORD)

    class Meta:
        model = User
        skip_postgeneration_save = True


class StaffUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"staff{n}@council.example.org")
    is_staff = True


class SuperuserFactory(StaffUserFactory):
    is_superuser = True


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    name = "Test phone"
    confirmed = True

    class Meta:
        model = TOTPDevice


class OrganisationFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Testfield Primary School {n}")
    kind = "school"
    email_domains = factory.Sequence(lambda n: f"testfield{n}.example.org")

    class Meta:
        model = "portal_pages.Organisation"


class ProfessionalFactory(UserFactory):
    """A verified team account of an organisation, on one of its domains."""

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.LazyAttributeSequence(lambda o, n: f"senco{n}@{o.organisation.domains[0]}")


def staff_in_group(group_name, **fields):
    """A staff user with an authenticator, in the named group (the real role group when migrations made it)."""
    user = StaffUserFactory(**fields)
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    TOTPDeviceFactory(user=user)
    return user


def verified_login(client, user):
    """Sign ``client`` in as ``user`` with its authenticator verified, without going through the sign-in views."""
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = user.totpdevice_set.get().persistent_id
    session.save()
    return client
