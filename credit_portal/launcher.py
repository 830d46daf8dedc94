"""The run and test commands (``scripts/run``, ``scripts/test``; docs/architecture.md §7).

    python -m credit_portal.launcher run [--port N]     serve the portal with demo data
    python -m credit_portal.launcher test [PYTEST ARGS]  ruff, migration check, lint-imports, pytest

Both use the servers named by ``DATABASE_URL`` / ``REDIS_URL`` when set. Without
``DATABASE_URL`` they start the embedded PostgreSQL under ``$CREDIT_PORTAL_VAR`` (default
``var/``) and stop it on the way out if they were the ones that started it. Without
``REDIS_URL`` Celery uses the filesystem broker under the same folder.

``run`` migrates, loads the demo data once, prints the demo sign-ins, collects static files when
they changed, then supervises the web server, a Celery worker and Celery beat, each in its own
process group with its output prefixed. Ctrl-C or SIGTERM stops them all and exits 0; a child
that dies stops the rest and the launcher exits non-zero with the child's last lines.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from credit_portal import embedded

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, "manage.py"]

RUN_SETTINGS = "credit_portal.settings.dev"
TEST_SETTINGS = "credit_portal.settings.test"
DEMO_ENTITIES = 2000
DEMO_SEED = 1
DEMO_MODEL = ("registry", "MarketEntity")  # demo data is loaded while this table is empty
STATIC_STAMP = ".credit-portal-static.sha256"

STOP_TIMEOUT = {"web": 10, "worker": 20, "beat": 10}
TAIL_LINES = 40
PORT_ATTEMPTS = 50


_tag = "run"  # prefix of the launcher's own lines: [run] or [test]


def say(message: str) -> None:
    print(f"[{_tag}] {message}", flush=True)


class Stop(Exception):
    """Ctrl-C or SIGTERM arrived: unwind and clean up."""


class Child:
    """A long-running child in its own process group; its output is prefixed and kept."""

    COLOURS = {"web": "32", "worker": "36", "beat": "35"}

    def __init__(self, name: str, argv: list[str], env: dict[str, str]):
        self.name = name
        self.tail: collections.deque[str] = collections.deque(maxlen=TAIL_LINES)
        self.proc = subprocess.Popen(
            argv,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
        colour = self.COLOURS.get(name, "0") if sys.stdout.isatty() else None
        self.prefix = f"\033[{colour}m[{name}]\033[0m" if colour else f"[{name}]"
        self.pump = threading.Thread(target=self._pump, name=f"pump-{name}", daemon=True)
        self.pump.start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.tail.append(line)
            with _print_lock:
                sys.stdout.write(f"{self.prefix} {line}\n")
                sys.stdout.flush()

    def poll(self) -> int | None:
        return self.proc.poll()

    def signal_group(self, signum: int) -> None:
        try:
            os.killpg(self.proc.pid, signum)
        except (ProcessLookupError, PermissionError):
            pass


_print_lock = threading.Lock()


class Launcher:
    def __init__(self, settings_module: str):
        self.env = dict(os.environ)
        self.env["DJANGO_SETTINGS_MODULE"] = settings_module
        self.env["PYTHONUNBUFFERED"] = "1"
        self.children: list[Child] = []
        self.step: subprocess.Popen | None = None  # the one-shot command running now
        self.step_in_own_group = True
        self.signals = 0
        self.owns_postgres = False

    # --- signals ------------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)

    def _on_signal(self, signum, frame) -> None:
        self.signals += 1
        step = self.step
        if step is not None and step.poll() is None:
            if self.step_in_own_group:
                self._end_step(step)
            elif signum != signal.SIGINT:
                # A foreground step got the terminal's Ctrl-C itself; pass SIGTERM on.
                step.send_signal(signum)

    @staticmethod
    def _end_step(step: subprocess.Popen) -> None:
        try:
            os.killpg(step.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def check_stop(self) -> None:
        if self.signals:
            raise Stop

    # --- services -----------------------------------------------------------------------
    def start_services(self) -> None:
        """Embedded PostgreSQL when DATABASE_URL is unset; broker folders when REDIS_URL is."""
        if not os.environ.get("DATABASE_URL"):
            was_running = embedded.postgres_running()
            say(
                "DATABASE_URL is unset: "
                + ("reusing" if was_running else "starting")
                + f" the embedded PostgreSQL in {embedded.pgdata_dir()}"
            )
            url = embedded.ensure_database_url()
            self.owns_postgres = not was_running
            self.env["DATABASE_URL"] = url
            # initdb and the server want a UTF-8 ctype; the children inherit it.
            for key in ("LC_ALL", "LANG", "XDG_RUNTIME_DIR"):
                if key in os.environ:
                    self.env[key] = os.environ[key]
        else:
            say("using the PostgreSQL named by DATABASE_URL")
        if not os.environ.get("REDIS_URL"):
            # credit_portal.celery creates the broker's folders when the app is configured.
            say(
                f"REDIS_URL is unset: Celery uses the filesystem broker in {embedded.var_dir()}"
                "/broker"
            )
        else:
            say("using the Redis named by REDIS_URL")
        self.check_stop()

    def stop_services(self, quiet: bool = False) -> None:
        """Stop the embedded PostgreSQL if this launcher started it."""
        if self.owns_postgres:
            if not quiet:
                say("stopping the embedded PostgreSQL")
            embedded.stop_postgres()
            self.owns_postgres = False

    # --- one-shot steps ------------------------------------------------------------------
    def run_step(self, argv: list[str], *, capture: bool = False, foreground: bool = False):
        """Run a command to completion; returns (exit code, captured stdout or "").

        ``foreground`` keeps the command in our process group so that it owns the terminal
        (pytest --pdb reads from it) and gets Ctrl-C itself.
        """
        self.check_stop()
        self.step_in_own_group = not foreground
        self.step = subprocess.Popen(
            argv,
            cwd=BASE_DIR,
            env=self.env,
            stdin=None if foreground else subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else None,
            process_group=None if foreground else 0,
        )
        if self.signals and not foreground:  # the signal came while it was being started
            self._end_step(self.step)
        try:
            out, _ = self.step.communicate()
        finally:
            code = self.step.wait()
            self.step = None
        self.check_stop()
        text = out.decode("utf-8", "replace") if capture and out else ""
        return code, text

    def manage(self, *args: str, capture: bool = False) -> tuple[int, str]:
        return self.run_step([*MANAGE, *args], capture=capture)

    # --- children ------------------------------------------------------------------------
    def spawn(self, name: str, argv: list[str]) -> Child:
        child = Child(name, argv, self.env)
        self.children.append(child)
        return child

    def stop_children(self) -> None:
        """SIGTERM to every child, wait, then SIGKILL its group (a second Ctrl-C hurries that)."""
        import psutil

        alive = [c for c in self.children if c.poll() is None]
        if not alive:
            return
        say("stopping " + ", ".join(c.name for c in alive))
        family: list[psutil.Process] = []
        for child in alive:
            try:
                leader = psutil.Process(child.proc.pid)
                family += [leader, *leader.children(recursive=True)]
            except psutil.Error:
                pass
            # The leader only: Celery stops its own pool; SIGKILL goes to the group if needed.
            try:
                child.proc.terminate()
            except ProcessLookupError:
                pass
        signals_at_start = self.signals
        deadline = {c.name: time.monotonic() + STOP_TIMEOUT.get(c.name, 10) for c in alive}
        while alive:
            now = time.monotonic()
            hurry = self.signals > signals_at_start
            for child in list(alive):
                if child.poll() is not None:
                    alive.remove(child)
                elif hurry or now > deadline[child.name]:
                    say(f"{child.name} did not stop in time: killing it")
                    child.signal_group(signal.SIGKILL)
                    child.proc.wait()
                    alive.remove(child)
            time.sleep(0.1)
        # Pool processes that outlived their group leader.
        _, survivors = psutil.wait_procs(family, timeout=3)
        for proc in survivors:
            try:
                proc.kill()
            except psutil.Error:
                pass
        for child in self.children:
            child.pump.join(timeout=2)


# --- run ------------------------------------------------------------------------------------
def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_port(wanted: int) -> int:
    for port in range(wanted, wanted + PORT_ATTEMPTS):
        if _port_free(port):
            if port != wanted:
                say(f"port {wanted} is busy: using port {port}")
            return port
    raise SystemExit(f"[run] no free port in {wanted}-{wanted + PORT_ATTEMPTS - 1}")


_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # ignore *_proxy


def web_answers(port: int) -> bool:
    """Any HTTP answer counts: the server is up."""
    try:
        with _direct.open(f"http://127.0.0.1:{port}/", timeout=3):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def banner(port: int, sign_ins: str) -> str:
    base = f"http://127.0.0.1:{port}"
    rule = "=" * 72
    lines = [
        rule,
        "信用监管平台 credit-portal 已启动 / is running",
        "",
        f"  公共网站 Public site:      {base}/",
        f"  工作台   Workbench:        {base}/workbench/",
        f"  管理后台 Admin:            {base}/admin/",
        f"  接口文档 API docs:         {base}/api/docs/",
        "",
        "演示账号 Demo sign-ins:",
        *(f"  {line}" for line in (sign_ins.strip() or "(none printed)").splitlines()),
        "",
        "按 Ctrl-C 停止 / Press Ctrl-C to stop",
        rule,
    ]
    return "\n".join(lines)


def probe(launcher: Launcher) -> dict:
    """Ask Django (in a child, with the launcher's environment) what the setup steps need."""
    code, out = launcher.run_step([PYTHON, "-m", "credit_portal.launcher", "probe"], capture=True)
    if code != 0:
        raise RuntimeError(f"probing the project failed (exit {code})")
    return json.loads(out.strip().splitlines()[-1])


def cmd_probe() -> int:
    """Internal: print JSON with the facts the run command needs (needs Django and the DB)."""
    import django

    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.contrib.staticfiles import finders

    try:
        model = apps.get_model(*DEMO_MODEL)
        has_demo = model.objects.exists()
    except LookupError:
        has_demo = False
    entries = []
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            entries.append(f"{storage.location}|{path}|{stat.st_size}|{stat.st_mtime_ns}")
    digest = hashlib.sha256(str(settings.STORAGES["staticfiles"]).encode())
    for entry in sorted(entries):
        digest.update(entry.encode() + b"\n")
    print(
        json.dumps(
            {
                "has_demo_data": has_demo,
                "static_root": str(settings.STATIC_ROOT),
                "static_digest": digest.hexdigest(),
            }
        )
    )
    return 0


def setup_data(launcher: Launcher) -> str:
    """Migrate, load the demo data once, collect static files; returns the demo sign-ins."""
    say("migrating the database")
    code, _ = launcher.manage("migrate", "--noinput")
    if code != 0:
        raise RuntimeError(f"manage.py migrate failed (exit {code})")
    facts = probe(launcher)

    if facts["has_demo_data"]:
        say("demo data already loaded: reusing it")
    else:
        say(f"loading demo data ({DEMO_ENTITIES} market entities, seed {DEMO_SEED})")
        code, _ = launcher.manage(
            "seed_demo", "--entities", str(DEMO_ENTITIES), "--seed", str(DEMO_SEED)
        )
        if code != 0:
            raise RuntimeError(f"manage.py seed_demo failed (exit {code})")

    code, sign_ins = launcher.manage("demo_users", capture=True)
    if code != 0:
        raise RuntimeError(f"manage.py demo_users failed (exit {code})")
    # What the apps add (the steps they register, credit_portal.demo_steps), each once, after
    # the demo users exist (a step may use them: the demo entity user makes its own commitment).
    code, _ = launcher.manage("demo_steps")
    if code != 0:
        raise RuntimeError(f"manage.py demo_steps failed (exit {code})")
    say("demo sign-ins / 演示账号:")
    print(sign_ins.rstrip(), flush=True)

    stamp = Path(facts["static_root"]) / STATIC_STAMP
    current = stamp.read_text().strip() if stamp.exists() else ""
    if current != facts["static_digest"]:
        say(f"collecting static files into {facts['static_root']}")
        code, _ = launcher.manage("collectstatic", "--noinput", "-v", "0")
        if code != 0:
            raise RuntimeError(f"manage.py collectstatic failed (exit {code})")
        stamp.write_text(facts["static_digest"] + "\n")
    return sign_ins


def cmd_run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="scripts/run", description="Serve the portal.")
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT") or 8000),
        help="first port to try (default: $PORT or 8000; the next free one if busy)",
    )
    args = parser.parse_args(argv)

    launcher = Launcher(RUN_SETTINGS)
    launcher.install_signal_handlers()
    code = 0
    try:
        launcher.start_services()
        sign_ins = setup_data(launcher)
        port = pick_port(args.port)
        launcher.spawn("web", [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"])
        celery = [PYTHON, "-m", "celery", "-A", "credit_portal"]
        # One worker for every queue here (settings.CELERY_TASK_ROUTES); a deployment splits them.
        queues = ["-Q", "celery,long,outbox"]
        launcher.spawn("worker", [*celery, "worker", "-l", "info", "--concurrency", "2", *queues])
        launcher.spawn("beat", [*celery, "beat", "-l", "info"])
        ready = False
        while not launcher.signals:
            failed = next((c for c in launcher.children if c.poll() is not None), None)
            if failed is not None:
                code = report_death(failed)
                break
            if not ready and web_answers(port):
                ready = True
                with _print_lock:
                    print(banner(port, sign_ins), flush=True)
            time.sleep(0.3)
        else:
            say("stopping (signal received)")
    except Stop:
        say("stopping (signal received)")
    except RuntimeError as exc:
        say(f"ERROR: {exc}")
        code = 1
    finally:
        launcher.stop_children()
        launcher.stop_services()
    if code == 0:
        say("stopped")
    return code


def report_death(child: Child) -> int:
    """A child exited by itself: show its last lines; returns the launcher's exit code."""
    code = child.poll()
    child.pump.join(timeout=2)
    with _print_lock:
        say(f"ERROR: {child.name} exited with code {code}; its last lines:")
        for line in child.tail:
            print(f"    {line}")
        sys.stdout.flush()
    if code is not None and code < 0:
        return 128 - code  # killed by a signal: the shell's convention (SIGKILL -> 137)
    return code or 1


# --- test -----------------------------------------------------------------------------------
def cmd_test(argv: list[str]) -> int:
    global _tag
    _tag = "test"
    launcher = Launcher(TEST_SETTINGS)
    launcher.install_signal_handlers()
    steps = [
        ("ruff check", [PYTHON, "-m", "ruff", "check", "."]),
        ("ruff format --check", [PYTHON, "-m", "ruff", "format", "--check", "."]),
        (
            "makemigrations --check",
            [*MANAGE, "makemigrations", "--check", "--dry-run"],
        ),
        # The layers of docs/architecture.md §3 (contracts in pyproject.toml), tests included.
        ("lint-imports", [str(Path(PYTHON).with_name("lint-imports")), "--no-cache"]),
        ("pytest", [PYTHON, "-m", "pytest", *argv]),
    ]
    code = 0
    try:
        launcher.start_services()
        for title, step in steps:
            print(f"==> {title}", flush=True)
            code, _ = launcher.run_step(step, foreground=True)
            if code == 5 and title == "pytest":
                say("pytest collected no tests: the suite must have tests")
            if code != 0:
                say(f"FAILED: {title} (exit {code})")
                break
    except Stop:
        say("interrupted")
        code = code or 130
    finally:
        # Quiet: pytest's summary stays the last line of the output.
        launcher.stop_services(quiet=True)
    return code


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.chdir(BASE_DIR)
    command = argv.pop(0) if argv else ""
    if command == "run":
        return cmd_run(argv)
    if command == "test":
        return cmd_test(argv)
    if command == "probe":
        return cmd_probe()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
