from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models


class PortalUserManager(UserManager):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """Staff and team accounts alike; a team account signs in with its organisation's generic address."""

    username = None
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=150,
        blank=True,
        help_text="How the account is shown to others, e.g. 'Oakfield Primary SENCO'.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = PortalUserManager()

    def __str__(self):
        return self.display_name or self.get_full_name() or self.email
