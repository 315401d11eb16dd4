"""Virus scanning of uploads through clamd (ClamAV's daemon), with its documented INSTREAM protocol.

On when CLAMD_ADDRESS is set: ``host:port`` (or ``tcp://host:port``) or a unix socket path (or ``unix:///path``);
off when it is ``off`` or empty (settings read both as empty), and each upload stored unscanned is logged.
``upload_virus_problem`` gives the message a form shows beside the file field: a file clamd flags is refused,
and so is every upload while clamd does not answer, unless CLAMD_FAIL_OPEN lets uploads through unscanned.
Only ids and signature names are logged, never a file name.
"""

import logging
import socket
import struct

from django.conf import settings

from cms.pdf_checks import UploadProblem

logger = logging.getLogger(__name__)

_CHUNK = 64 * 1024
_MAX_REPLY = 4096


class VirusFound(Exception):
    """clamd flagged the bytes; ``signature`` names what it found."""

    def __init__(self, signature: str):
        super().__init__(signature)
        self.signature = signature


class ScanUnavailable(Exception):
    """clamd did not answer, or answered something other than a verdict."""


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("unix://"):
        address = address.removeprefix("unix://")
    address = address.removeprefix("tcp://")
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ScanUnavailable(f"CLAMD_ADDRESS must be host:port or a socket path, not {address!r}")
    return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)


def _reply(sock: socket.socket) -> str:
    received = b""
    while not received.endswith(b"\0") and len(received) < _MAX_REPLY:
        part = sock.recv(_MAX_REPLY)
        if not part:
            break
        received += part
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def clamd_command(command: str, *, address: str, timeout: float) -> str:
    """Send one null-terminated command (e.g. ``PING``) and return clamd's reply."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(f"z{command}\0".encode())
            return _reply(sock)
    except OSError as error:
        raise ScanUnavailable(str(error)) from error


def clamd_scan(data: bytes, *, address: str, timeout: float) -> None:
    """Stream ``data`` to clamd (INSTREAM: chunks each led by a 4-byte big-endian length, then a zero length).

    Returns when clamd finds nothing; raises VirusFound or ScanUnavailable.
    """
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), _CHUNK):
                chunk = data[start : start + _CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = _reply(sock)
    except OSError as error:
        raise ScanUnavailable(str(error)) from error
    # "stream: OK", "stream: <signature> FOUND", or "<reason> ERROR" (e.g. the stream passed StreamMaxLength).
    if reply.endswith(" FOUND"):
        raise VirusFound(reply.removeprefix("stream:").removesuffix(" FOUND").strip())
    if reply != "stream: OK":
        raise ScanUnavailable(f"clamd answered {reply!r}")


def upload_virus_problem(data: bytes) -> str | None:
    """None when scanning is off or clamd finds nothing; else the message to show beside the file field."""
    address = settings.CLAMD_ADDRESS
    if not address:
        logger.info("Upload stored unscanned: virus scanning is off (CLAMD_ADDRESS)")
        return None
    try:
        clamd_scan(data, address=address, timeout=settings.CLAMD_TIMEOUT)
    except VirusFound as found:
        logger.warning("Upload refused: clamd found %s", found.signature)
        return UploadProblem.VIRUS
    except ScanUnavailable as error:
        if settings.CLAMD_FAIL_OPEN:
            logger.error("clamd did not scan an upload (%s); CLAMD_FAIL_OPEN let it through", error)
            return None
        logger.error("Upload refused: clamd did not scan it (%s)", error)
        return UploadProblem.SCAN_UNAVAILABLE
    return None
