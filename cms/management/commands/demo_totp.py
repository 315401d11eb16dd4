import logging

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cms.demo import demo_tools_allowed

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo account's first confirmed device."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--uri", action="store_true", help="Also print the otpauth:// URI to add to an app.")

    def handle(self, *args, email, uri=False, **options):
        demo_tools_allowed("demo_totp")
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account has the address {email}.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CommandError(f"{email} has no confirmed authenticator device.")
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        logger.warning("demo_totp printed the authenticator code of account %s", user.pk)
        self.stdout.write(f"{code:0{device.digits}d}")
        if uri:
            self.stdout.write(device.config_url)
