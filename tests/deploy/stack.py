"""mjadmin deployed for real on loopback: a fresh PostgreSQL database, a Redis database, two
gunicorn processes and nginx in front of them running deploy/nginx.conf.

Every wait is bounded and every process started here is stopped here, by its own id.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import grp
import ipaddress
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import redis
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

REPO = Path(__file__).resolve().parents[2]
SHIPPED_SITE = REPO / "deploy" / "nginx.conf"
NGINX_WRAPPER = Path(__file__).with_name("nginx-test.conf")
# The virtualenv the tests run in (.venv), so gunicorn runs the same installed packages.
VENV_BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")

POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 14
CACHE_URL = f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}"

# Fixed test values; they protect nothing.
SECRET_KEY = "deploy-test-secret-key-not-for-production-9f3c7a1e5b2d8f4a6c0e2b4d6f8a"
FIELD_ENCRYPTION_KEYS = "E-uJimZug_mFLGyXgX-QXiSyOaaAIlRg8Aj08WNVZE0="

START_SECONDS = 30.0
STOP_SECONDS = 10.0
COMMAND_SECONDS = 180.0
REQUEST_SECONDS = 10.0


def unavailable() -> list[str]:
    """What this machine lacks to run the deployment, as reasons a reader can act on."""
    missing = []
    if not NGINX:
        missing.append("no nginx found (apt-get install nginx)")
    try:
        psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3).close()
    except psycopg.Error:
        missing.append(f"no PostgreSQL at {POSTGRES_SERVER}")
    try:
        redis.Redis(
            host=REDIS_HOST, port=REDIS_PORT, socket_timeout=3, socket_connect_timeout=3
        ).ping()
    except redis.RedisError:
        missing.append(f"no Redis at {REDIS_HOST}:{REDIS_PORT}")
    return missing


def free_ports(count: int) -> list[int]:
    # Held open together so the ports differ; the kernel hands out a fresh one each time.
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


# -- the back ends ---------------------------------------------------------------------------


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one run; dropped afterwards, connections or not."""
    name = f"mjadmin_deploy_{secrets.token_hex(4)}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_SERVER}/{name}"
    finally:
        with psycopg.connect(
            f"{POSTGRES_SERVER}/postgres", autocommit=True, connect_timeout=5
        ) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def empty_redis_database(wait_seconds: float = 300.0) -> Iterator[str]:
    """Redis database 14, flushed before and after, held by one run at a time on this machine.

    Two runs at once (two engineers, or pytest -n) would otherwise flush each other's cache
    mid-test and share keys: every fresh database numbers its users from 1.
    """
    lock_path = Path(tempfile.gettempdir()) / f"mjadmin-deploy-redis-{REDIS_DB}.lock"
    with lock_path.open("w") as lock:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(
                        f"another test run held Redis db {REDIS_DB} for {wait_seconds:.0f} s"
                    ) from None
                time.sleep(0.5)
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_DB, socket_timeout=5)
        client.flushdb()
        try:
            yield CACHE_URL
        finally:
            client.flushdb()
            client.close()


def app_environment(folder: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The environment an app server runs with: nothing inherited but PATH (and HOME)."""
    settings_module = folder / "deploy_test_settings.py"
    # The production settings; only collectstatic writes to this run's folder instead of the
    # working tree's var/static, which a developer's `make run` may be serving.
    lines = ["from mjadmin.settings import *", f"STATIC_ROOT = {str(folder / 'static')!r}"]
    settings_module.write_text("\n".join(lines) + "\n")
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(folder)),
        "PYTHONPATH": f"{folder}{os.pathsep}{REPO}",
        "DJANGO_SETTINGS_MODULE": "deploy_test_settings",
        "MJADMIN_IGNORE_DOTENV": "1",
        "SECRET_KEY": SECRET_KEY,
        "FIELD_ENCRYPTION_KEYS": FIELD_ENCRYPTION_KEYS,
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUSTED_PROXY_COUNT": "1",
    }
    environment.update(settings)
    return environment


def manage(environment: dict[str, str], *args: str) -> str:
    """`python manage.py <args>` with that environment; its output, or a failure showing it."""
    command = [sys.executable, "manage.py", *args]
    try:
        done = subprocess.run(  # noqa: S603
            command,
            cwd=REPO,
            env=environment,
            capture_output=True,
            text=True,
            timeout=COMMAND_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"manage.py {' '.join(args)} took over {exc.timeout} s") from exc
    if done.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}"
        )
    return done.stdout + done.stderr


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for https://127.0.0.1, its own trust anchor (pass it as `verify=`)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


# -- processes -------------------------------------------------------------------------------


class Process:
    """One server started in its own process group, its output in a log file."""

    def __init__(
        self, name: str, command: list[str], environment: dict[str, str], log: Path
    ) -> None:
        self.name = name
        self.log = log
        with log.open("ab") as output:
            self.popen = subprocess.Popen(  # noqa: S603
                command,
                cwd=REPO,
                env=environment,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def exited(self) -> int | None:
        return self.popen.poll()

    def stop(self) -> None:
        # SIGINT: quick shutdown for gunicorn and fast shutdown for nginx, workers included.
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.popen.wait(timeout=STOP_SECONDS)
        # Whatever is left of the group this process leads (a stuck worker) is killed.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=STOP_SECONDS)

    def tail(self, size: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-size:]
        except OSError:
            return ""


class Stack:
    """Two app servers (A and B) and nginx in front of them, round-robin, on free ports."""

    def __init__(
        self,
        folder: Path,
        environment: dict[str, str],
        certificate: tuple[Path, Path],
        *,
        site: str | None = None,
    ) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.environment = environment
        self.certificate = certificate
        a, b, self.http_port, self.https_port = free_ports(4)
        self.app_ports = {"A": a, "B": b}
        self.site = site if site is not None else SHIPPED_SITE.read_text()
        self.processes: list[Process] = []

    # Where to send requests.

    @property
    def http_origin(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def https_origin(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def direct_origin(self, instance: str) -> str:
        return f"http://127.0.0.1:{self.app_ports[instance]}"

    def instance(self, response: requests.Response) -> str:
        """Which app server answered a request that went through nginx: "A" or "B"."""
        upstream = response.headers.get("X-Upstream", "")
        for instance, port in self.app_ports.items():
            if upstream == f"127.0.0.1:{port}":
                return instance
        raise AssertionError(f"answered by {upstream!r}, not one of {self.app_ports}")

    # Starting and stopping.

    def nginx_site(self) -> str:
        """The shipped site with this run's ports and certificate filled in."""
        a, b = self.app_ports["A"], self.app_ports["B"]
        cert, key = self.certificate
        site = self.site
        for shipped, here in [
            ("server 127.0.0.1:8001;", f"server 127.0.0.1:{a};"),
            ("server 127.0.0.1:8002;", f"server 127.0.0.1:{b};"),
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen 443 ssl;", f"listen 127.0.0.1:{self.https_port} ssl;"),
            ("/etc/ssl/mjadmin/fullchain.pem", str(cert)),
            ("/etc/ssl/mjadmin/privkey.pem", str(key)),
        ]:
            assert site.count(shipped) == 1, (
                f"deploy/nginx.conf no longer holds {shipped!r} exactly once; "
                "update tests/deploy/stack.py to fill in the new value"
            )
            site = site.replace(shipped, here)
        return site

    def start(self) -> None:
        for instance, port in self.app_ports.items():
            self.processes.append(
                Process(
                    f"gunicorn {instance}",
                    [
                        str(VENV_BIN / "gunicorn"),
                        "mjadmin.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "2",
                        "--threads",
                        "4",
                        "--no-control-socket",
                        "--access-logfile",
                        "-",
                    ],
                    self.environment,
                    self.folder / f"gunicorn-{instance}.log",
                )
            )
        (self.folder / "mjadmin-site.conf").write_text(self.nginx_site())
        shutil.copyfile(NGINX_WRAPPER, self.folder / "nginx.conf")
        command = [str(NGINX), "-p", f"{self.folder}/", "-c", str(self.folder / "nginx.conf")]
        command += ["-e", "error.log"]
        if os.geteuid() == 0:
            # As root, nginx would hand its workers to "nobody", who cannot read this folder.
            user = pwd.getpwuid(os.geteuid()).pw_name
            group = grp.getgrgid(os.getegid()).gr_name
            command += ["-g", f"user {user} {group};"]
        self.processes.append(
            Process("nginx", command, {"PATH": "/usr/bin:/bin"}, self.folder / "nginx.log")
        )
        # Both app servers first: nginx takes a server that refuses a connection out of the
        # rotation for a while, and the tests need both in it.
        for instance in self.app_ports:
            self.wait_until_answering(f"{self.direct_origin(instance)}/healthz")
        self.wait_until_answering(f"{self.https_origin}/healthz", ok_only=True)

    def stop(self) -> None:
        # nginx first, so nothing new reaches the app servers while they stop.
        for process in reversed(self.processes):
            process.stop()
        self.processes.clear()

    @contextlib.contextmanager
    def running(self) -> Iterator[Stack]:
        try:
            self.start()
            yield self
        finally:
            self.stop()

    def wait_until_answering(self, url: str, *, ok_only: bool = False) -> None:
        """Until the URL answers (with 200 if ok_only), or fail showing the servers' logs."""
        deadline = time.monotonic() + START_SECONDS
        last = "no answer"
        probe = requests.Session()
        probe.trust_env = False  # no proxy or CA bundle from the environment
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.exited() is not None:
                    raise AssertionError(
                        f"{process.name} exited {process.exited()}:\n{process.tail()}"
                    )
            try:
                response = probe.get(
                    url, timeout=2, allow_redirects=False, verify=str(self.certificate[0])
                )
            except requests.RequestException as exc:
                last = str(exc)
            else:
                if response.status_code == 200 or not ok_only:
                    return
                last = f"HTTP {response.status_code}: {response.text[:200]}"
            time.sleep(0.1)
        logs = "\n".join(f"--- {p.name}:\n{p.tail()}" for p in self.processes)
        error_log = self.folder / "error.log"
        if error_log.exists():
            logs += f"\n--- nginx error.log:\n{error_log.read_text(errors='replace')[-3000:]}"
        raise AssertionError(f"{url} not ready after {START_SECONDS:.0f} s ({last})\n{logs}")
