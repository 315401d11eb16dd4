import factory
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
