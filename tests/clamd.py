"""A real clamd for the virus-scanning tests, on a signature database the test writes itself.

Nothing is downloaded: ``sigtool --md5`` signs one test PDF into a ``.hdb`` file in a temporary DatabaseDirectory,
and clamd starts with a configuration of its own on a free loopback port. Its start-up is bounded (STARTUP_SECONDS).
Without clamd the tests are skipped, except in CI (CI=true), where a missing clamd fails them.
"""

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cms.virus_scan import ScanUnavailable, clamd_command

STARTUP_SECONDS = 60


@dataclass
class Clamd:
    address: str  # host:port
    socket_path: str
    flagged: dict  # file name -> the bytes its test signature matches


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require(program: str) -> str:
    path = shutil.which(program) or next(
        (p for p in (f"/usr/sbin/{program}", f"/usr/bin/{program}") if os.access(p, os.X_OK)), None
    )
    if path:
        return path
    message = f"{program} is not installed (Debian: clamav-daemon and clamav)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: CI must run the virus-scanning tests")
    pytest.skip(message)


def start_clamd(directory: Path, flagged: dict) -> tuple[subprocess.Popen, Clamd]:
    """Start clamd on a TCP port and a unix socket, with one MD5 signature per file in ``flagged``."""
    clamd, sigtool = _require("clamd"), _require("sigtool")
    database = directory / "database"
    database.mkdir()
    signatures = []
    for name, data in flagged.items():
        sample = directory / name
        sample.write_bytes(data)
        signatures.append(
            subprocess.run([sigtool, "--md5", str(sample)], check=True, capture_output=True, text=True).stdout
        )
    (database / "portal-test.hdb").write_text("".join(signatures))
    port = free_port()
    socket_path = directory / "clamd.sock"
    log = directory / "clamd.log"
    config = directory / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"DatabaseDirectory {database}",
                f"TCPSocket {port}",
                "TCPAddr 127.0.0.1",
                f"LocalSocket {socket_path}",
                "Foreground yes",
                f"LogFile {log}",
                "MaxThreads 2",
                "Bytecode no",
                "SelfCheck 0",
                "",
            ]
        )
    )
    process = subprocess.Popen([clamd, f"--config-file={config}"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            if clamd_command("PING", address=address, timeout=1) == "PONG":
                break
        except ScanUnavailable:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            process.wait()
            tail = log.read_text()[-2000:] if log.exists() else ""
            pytest.fail(f"clamd did not answer within {STARTUP_SECONDS} s\n{tail}")
        time.sleep(0.1)
    return process, Clamd(address=address, socket_path=str(socket_path), flagged=flagged)


def stop_clamd(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def flagged_files() -> dict:
    """A valid one-page PDF and a valid PNG that nothing else in the tests makes: the test signatures match them."""
    import io

    from PIL import Image
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=300, height=300)
    writer.add_metadata({"/Title": "Virus scanning test file"})
    pdf = io.BytesIO()
    writer.write(pdf)
    png = io.BytesIO()
    Image.new("RGB", (17, 13), (200, 30, 90)).save(png, format="PNG")
    return {"flagged.pdf": pdf.getvalue(), "flagged.png": png.getvalue()}
