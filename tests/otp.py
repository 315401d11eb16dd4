"""Authenticator codes computed from a device's key, as a phone app would."""

from django_otp.oath import totp


def current_code(device, offset=0):
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
    return f"{code:0{device.digits}d}"
