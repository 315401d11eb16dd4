"""The errors the settings raise for an administrator, not a developer: ``manage.py`` prints each as one line."""

from django.core.exceptions import ImproperlyConfigured


class EnvironmentRefused(ImproperlyConfigured):
    """Production settings refuse to start with the environment as it is; the message says what to change."""


class MissingEnvironment(EnvironmentRefused):
    """Production settings refuse to start: these environment variables are not set (every one of them, at once)."""

    def __init__(self, names, refusing="production settings refuse to start without"):
        self.names = list(names)
        which = (
            f"the {self.names[0]} environment variable"
            if len(self.names) == 1
            else f"the {', '.join(self.names[:-1])} and {self.names[-1]} environment variables"
        )
        super().__init__(
            f"Set {which}: {refusing} {'it' if len(self.names) == 1 else 'them'} (.env.example lists every variable)."
        )
