from django.db import models
from django_otp.plugins.otp_static.models import StaticDevice


class UsedBackupCode(models.Model):
    """A backup code that has signed the account in, kept as a keyed hash, never as the code: django-otp deletes a
    code once it is used, and the sign-in then took the code typed again for a wrong one. Removed with its set when
    the account creates new backup codes, and with its device."""

    device = models.ForeignKey(StaticDevice, on_delete=models.CASCADE, related_name="used_codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["device", "code_hash"], name="used_backup_code_once")]

    def __str__(self):
        return f"Backup code used at {self.used_at:%Y-%m-%d %H:%M}"
