"""Choices shared by the site core's models and forms."""

from django.db import models


class ChangeKind(models.TextChoices):
    MINOR = "minor", "Minor: a typo, a broken link or wording; nothing a reader needs to know about"
    MAJOR = "major", "Major: something readers should know has changed (“Last updated” moves, the note is public)"


class Audience(models.TextChoices):
    """Who a guidance page is written for: related content keeps to the reader's own pages and everyone's."""

    EVERYONE = "everyone", "Everyone"
    PARENTS = "parents", "Parents and carers"
    PROFESSIONALS = "professionals", "Professionals"
