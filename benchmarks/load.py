"""Load test of the web app: simulated users asking the development questions in a loop.

    python -m benchmarks.load --url http://127.0.0.1:7860 --users 50 --seconds 60 [--pid PID]
    python -m benchmarks.load --start --users 50 --seconds 60          # starts and stops `python ui.py`
    python -m benchmarks.load --start --via chat --oversize            # the Gradio chat, plus one huge request
    python -m benchmarks.load --start --via chat --big-sessions 80     # 80 sessions, one 1 MB message each

`--via api` (default) posts to `POST /api/ask`; `--via chat` drives the Gradio chat itself through
its queue API, as the page does: each user loads the page (its cookie), then for each question
joins the queue (`/gradio_api/queue/join`, the `chat` event) and reads the event stream
(`/gradio_api/queue/data`) until the answer is complete; its conversation grows as a real one does.
`--oversize` adds one client that sends, in a loop, the largest request the app accepts (a 1 MB chat
message; a 20,000-character question with 20 history messages of 20,000 characters for the API):
the normal users' latency with it running shows whether one slow request delays the others.
`--big-sessions N` opens N sessions that each send one 1 MB chat message, then reports the memory.

Each user is a thread with its own HTTP client that asks the questions of tests/data/dev.jsonl (from a
random first one, then in order) through `POST /api/ask`, one after the other, without pause. The
questions repeat, so the app's query-embedding cache is warm after the first round; --vary makes every
question text unique, to measure uncached queries. Two consecutive runs by default, so that the
server's memory after the second can be compared with after the first. Per run: requests, errors (any
non-200 reply, unreadable body or transport failure: must be 0), latency p50/p95/max, throughput, and
the resident memory of the server's process tree before and after (psutil, by --pid or the process
that --start launched).

Bounded on purpose: loopback URLs only (anything else is refused), at most --users (500) threads, each
run stops by itself after --seconds or --max-requests, whichever comes first, and every request has a
--timeout. With --start, the index in --index-dir is built or synced first (`python -m assistant
ingest`), then `python ui.py` is started on a free loopback port with DERCI_INDEX_DIR pointing to it,
waited for until it answers, measured, and stopped. A benchmark, not a test: it asserts nothing
about speed; it exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import httpx

from benchmarks import PROJECT

QUESTIONS = PROJECT / "tests" / "data" / "dev.jsonl"
DEFAULT_INDEX = PROJECT / "benchmarks" / ".cache" / "load-index"
MAX_USERS = 500
MAX_SECONDS = 3600.0
MB = 1024 * 1024


@dataclass
class RunResult:
    """One run: what was asked, how it went, and the server's memory around it."""

    users: int
    seconds: float  # wall time from the first request to the last reply
    requests: int
    errors: int
    refused: int
    p50_ms: float
    p95_ms: float
    max_ms: float
    mean_ms: float
    throughput_rps: float
    rss_before_mb: float | None
    rss_after_mb: float | None
    error_kinds: dict[str, int] = field(default_factory=dict)
    via: str = "api"
    oversize_requests: int = 0  # the huge requests sent meanwhile by the --oversize client
    oversize_p50_ms: float | None = None


class _Tally:
    """Shared between the user threads: latencies, errors, and the request budget."""

    def __init__(self, max_requests: int) -> None:
        self.lock = threading.Lock()
        self.budget = max_requests
        self.latencies: list[float] = []
        self.errors: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.refused = 0

    def take(self) -> bool:
        """Claim one request from the budget; False once it is spent."""
        with self.lock:
            if self.budget <= 0:
                return False
            self.budget -= 1
            return True

    def ok(self, seconds: float, refused: bool) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.refused += refused

    def error(self, kind: str, detail: str) -> None:
        with self.lock:
            self.errors[kind] += 1
            self.examples.setdefault(kind, detail[:300])


def load_questions(path: Path = QUESTIONS) -> list[str]:
    """The question texts of a JSON-lines file in the shared/eval format."""
    questions = [
        str(json.loads(line)["question"])
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if not questions:
        raise SystemExit(f"No question in {path}.")
    return questions


def require_loopback(url: str) -> str:
    """`url` without a trailing slash if its host is a loopback address; exits otherwise."""
    parsed = urlparse(url)
    host = parsed.hostname
    if parsed.scheme not in ("http", "https") or not host:
        raise SystemExit(f"--url {url!r} is not an http(s) URL like http://127.0.0.1:7860.")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parsed.port or 80)}
    except socket.gaierror as exc:
        raise SystemExit(f"--url {url!r}: cannot resolve {host!r} ({exc}).") from None
    if not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(
            f"--url {url!r} is not on loopback ({', '.join(sorted(addresses))}): this load test only "
            "runs against a server on this machine (127.0.0.1, ::1 or localhost)."
        )
    return url.rstrip("/")


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of the process `pid` and its children, in MB; None without a pid."""
    if pid is None:
        return None
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return None
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total / MB


def _user(
    url: str,
    questions: Sequence[str],
    deadline: float,
    tally: _Tally,
    timeout: float,
    seed: int,
    vary: bool = False,
    via: str = "api",
) -> None:
    position = random.Random(seed).randrange(len(questions))
    with httpx.Client(base_url=url, timeout=timeout) as client:
        asker = _ApiAsker(client) if via == "api" else _ChatAsker(client)
        while time.monotonic() < deadline and tally.take():
            question = questions[position % len(questions)]
            if vary:  # a text never asked before: no cache of the app can answer it
                question = f"{question} ({seed}-{position})"
            position += 1
            start = time.perf_counter()
            try:
                answer, refused = asker.ask(question)
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__, str(exc))
                time.sleep(0.1)  # a server that is down must not turn the users into a busy loop
                continue
            except _Failed as exc:
                tally.error(exc.kind, exc.detail)
                continue
            if not answer.strip():
                tally.error("empty answer", answer)
                continue
            tally.ok(time.perf_counter() - start, refused)


class _Failed(Exception):
    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(kind)
        self.kind, self.detail = kind, detail


class _ApiAsker:
    """One client of POST /api/ask."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def ask(self, question: str, history: Sequence[dict[str, str]] = ()) -> tuple[str, bool]:
        response = self.client.post("/api/ask", json={"question": question, "history": list(history)})
        if response.status_code != 200:
            raise _Failed(f"HTTP {response.status_code}", response.text)
        try:
            data = response.json()
            return str(data["answer"]), bool(data["refused"])
        except (ValueError, KeyError, TypeError) as exc:
            raise _Failed("unreadable reply", f"{exc}: {response.text}") from None


class _ChatAsker:
    """One browser on the Gradio chat: its cookie, its session, the chat event through the queue API."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        client.get("/").raise_for_status()  # the page sets the browser cookie
        dependencies = client.get("/config").json()["dependencies"]
        self.fn_index = next(i for i, d in enumerate(dependencies) if d.get("api_name") == "chat")
        self.session = uuid.uuid4().hex[:12]

    def ask(self, question: str) -> tuple[str, bool]:
        body = {"data": [question, None, "fr"], "fn_index": self.fn_index, "session_hash": self.session}
        joined = self.client.post("/gradio_api/queue/join", json=body)
        if joined.status_code != 200:
            raise _Failed(f"HTTP {joined.status_code}", joined.text)
        event_id = joined.json()["event_id"]
        with self.client.stream(
            "GET", "/gradio_api/queue/data", params={"session_hash": self.session}
        ) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") != event_id or message.get("msg") != "process_completed":
                    continue
                if not message.get("success"):
                    raise _Failed("chat error", json.dumps(message.get("output"))[:300])
                chat = message["output"]["data"][0]
                text = _content(chat[-1]) if chat else ""
                if "internal error" in text.lower() or "erreur interne" in text.lower():
                    raise _Failed("internal error", text[:300])
                return text, "⊘" in text  # the refusal heading
        raise _Failed("stream ended", "the event stream closed before the answer was complete")


def _content(message: dict[str, object]) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return "".join(str(part.get("text", "")) for part in content if isinstance(part, dict))
    return str(content or "")


def _oversize(url: str, via: str, stop: threading.Event, latencies: list[float], timeout: float) -> None:
    """Send the largest request the app accepts, again and again, until `stop`."""
    with httpx.Client(base_url=url, timeout=timeout) as client:
        asker = _ApiAsker(client) if via == "api" else _ChatAsker(client)
        turn = "Quel bureau du CNRS couvre le Japon ? " * 500  # 20,000 characters with the cut below
        while not stop.is_set():
            start = time.perf_counter()
            try:
                if isinstance(asker, _ApiAsker):
                    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": turn[:20_000]}
                               for i in range(20)]  # fmt: skip
                    asker.ask(turn[:20_000], history)
                else:
                    asker.ask("Quel bureau couvre le Japon ? " + "x" * 1_000_000)
            except (httpx.HTTPError, _Failed) as exc:
                _say(f"  oversize request failed: {exc}")
                time.sleep(0.5)
                continue
            latencies.append(time.perf_counter() - start)


def big_sessions(
    url: str, sessions: int, pid: int | None, timeout: float
) -> tuple[float | None, float | None]:
    """`sessions` new chat sessions, one 1 MB message each; the server's RSS before and after (MB)."""
    before = rss_mb(pid)
    for _ in range(sessions):
        with httpx.Client(base_url=url, timeout=timeout) as client:
            _ChatAsker(client).ask("Quel bureau couvre le Japon ? " + "x" * 1_000_000)
    return before, rss_mb(pid)


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile of sorted values (0 for none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, min(len(sorted_values), round(share * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def run_once(
    url: str,
    questions: Sequence[str],
    *,
    users: int,
    seconds: float,
    max_requests: int,
    timeout: float,
    pid: int | None,
    seed: int = 0,
    vary: bool = False,
    via: str = "api",
    oversize: bool = False,
) -> RunResult:
    """`users` threads asking in a loop for `seconds` (or `max_requests` in all); waits for all of them."""
    tally = _Tally(max_requests)
    before = rss_mb(pid)
    stop, huge = threading.Event(), list[float]()
    if oversize:
        threading.Thread(target=_oversize, args=(url, via, stop, huge, timeout), daemon=True).start()
    start = time.monotonic()
    deadline = start + seconds
    threads = [
        threading.Thread(
            target=_user,
            args=(url, questions, deadline, tally, timeout, seed * 1000 + i, vary, via),
            name=f"user-{i}",
            daemon=True,
        )
        for i in range(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A request started just before the deadline may still take `timeout`; then give up on it.
        thread.join(max(0.0, deadline - time.monotonic()) + timeout + 5)
    stop.set()
    wall = time.monotonic() - start
    after = rss_mb(pid)
    latencies = sorted(tally.latencies)
    requests = len(latencies) + sum(tally.errors.values())
    for kind, example in tally.examples.items():
        print(f"  error {kind}: {example}", file=sys.stderr)
    return RunResult(
        users=users,
        seconds=round(wall, 2),
        requests=requests,
        errors=sum(tally.errors.values()),
        refused=tally.refused,
        p50_ms=round(_percentile(latencies, 0.50) * 1000, 1),
        p95_ms=round(_percentile(latencies, 0.95) * 1000, 1),
        max_ms=round((latencies[-1] if latencies else 0.0) * 1000, 1),
        mean_ms=round(sum(latencies) / len(latencies) * 1000, 1) if latencies else 0.0,
        throughput_rps=round(len(latencies) / wall, 2) if wall > 0 else 0.0,
        rss_before_mb=None if before is None else round(before, 1),
        rss_after_mb=None if after is None else round(after, 1),
        error_kinds=dict(tally.errors),
        via=via,
        oversize_requests=len(huge),
        oversize_p50_ms=round(_percentile(sorted(huge), 0.5) * 1000, 1) if huge else None,
    )


# -- --start: build the index, launch ui.py, wait for it, stop it ------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(index_dir: Path, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DERCI_")}
    env.update(
        DERCI_INDEX_DIR=str(index_dir),
        DERCI_DATA_DIR=str(data_dir),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        GRADIO_ANALYTICS_ENABLED="False",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def build_index(index_dir: Path, data_dir: Path) -> None:
    """Build or sync the index of corpus/ in `index_dir` (what the started app will serve)."""
    _say(f"building/syncing the index in {index_dir} ...")
    done = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest"],
        cwd=PROJECT,
        env=_env(index_dir, data_dir),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"ingest failed ({done.returncode}):\n{done.stderr[-3000:]}")
    _say("  " + (done.stderr.strip().splitlines() or ["index ready"])[-1])


@contextmanager
def started_app(index_dir: Path, data_dir: Path, wait: float, log: Path) -> Iterator[tuple[str, int]]:
    """`python ui.py` on a free loopback port; yields (url, pid) once it answers; stops it afterwards."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        app = subprocess.Popen(
            [sys.executable, "ui.py"],
            cwd=PROJECT,
            env=_env(index_dir, data_dir, DERCI_HOST="127.0.0.1", DERCI_PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(url, app, wait, log)
        yield url, app.pid
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGINT)  # uvicorn's graceful stop
            try:
                app.wait(timeout=30)
            except subprocess.TimeoutExpired:
                app.kill()
                app.wait()
        _say(f"app stopped (exit {app.returncode}); its log: {log}")


def _wait_until_answering(url: str, app: subprocess.Popen[bytes], wait: float, log: Path) -> None:
    _say(f"starting python ui.py on {url} ...")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if app.poll() is not None:
            raise SystemExit(
                f"ui.py exited with {app.returncode}:\n{log.read_text(errors='replace')[-3000:]}"
            )
        try:
            response = httpx.post(f"{url}/api/ask", json={"question": "DEI"}, timeout=30)
            if response.status_code == 200:
                _say("  the app answers")
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"ui.py did not answer within {wait:.0f} s; see {log}")


# -- report ------------------------------------------------------------------------------------------


def _table(runs: Sequence[RunResult]) -> str:
    header = "run  users  seconds  requests  errors  refused  p50 ms  p95 ms  max ms  req/s   RSS before → after MB"
    lines = [header, "-" * len(header)]
    for i, r in enumerate(runs, 1):
        rss = (
            f"{r.rss_before_mb:.0f} → {r.rss_after_mb:.0f}"
            if r.rss_before_mb is not None and r.rss_after_mb is not None
            else "n/a (no --pid)"
        )
        lines.append(
            f"{i:>3}  {r.users:>5}  {r.seconds:>7.1f}  {r.requests:>8}  {r.errors:>6}  {r.refused:>7}  "
            f"{r.p50_ms:>6.0f}  {r.p95_ms:>6.0f}  {r.max_ms:>6.0f}  {r.throughput_rps:>5.1f}   {rss}"
        )
    if len(runs) >= 2 and all(r.rss_after_mb is not None for r in runs):
        growth = [
            (runs[i].rss_after_mb or 0.0) - (runs[i - 1].rss_after_mb or 0.0) for i in range(1, len(runs))
        ]
        lines.append("RSS change after each further run: " + ", ".join(f"{g:+.1f} MB" for g in growth))
    for i, r in enumerate(runs, 1):
        if r.oversize_requests:
            lines.append(
                f"run {i}: {r.oversize_requests} oversize requests meanwhile, p50 {r.oversize_p50_ms:.0f} ms"
            )
    return "\n".join(lines)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="base URL of a running app, on loopback (e.g. http://127.0.0.1:7860)")
    target.add_argument("--start", action="store_true", help="start python ui.py itself, then stop it")
    parser.add_argument("--pid", type=int, help="server process to sample the RSS of (with --url)")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of each run (default 60)")
    parser.add_argument("--runs", type=int, default=2, help="consecutive runs (default 2)")
    parser.add_argument("--max-requests", type=int, default=100_000, help="cap per run (default 100000)")
    parser.add_argument("--timeout", type=float, default=120.0, help="per request, in seconds (default 120)")
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="JSON lines with a question field")
    parser.add_argument(
        "--vary",
        action="store_true",
        help="make every question text unique (defeats the app's query-embedding cache)",
    )
    parser.add_argument("--index-dir", type=Path, default=DEFAULT_INDEX, help="index for --start")
    parser.add_argument("--start-timeout", type=float, default=900.0, help="wait for the started app")
    parser.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    parser.add_argument("--via", choices=("api", "chat"), default="api", help="/api/ask or the Gradio chat")
    parser.add_argument("--oversize", action="store_true", help="one more client sending the largest request")
    parser.add_argument("--big-sessions", type=int, default=0, help="then N chat sessions, 1 MB message each")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not 1 <= args.users <= MAX_USERS:
        raise SystemExit(f"--users must be between 1 and {MAX_USERS}, got {args.users}.")
    if not 0 < args.seconds <= MAX_SECONDS:
        raise SystemExit(f"--seconds must be in (0, {MAX_SECONDS:g}], got {args.seconds}.")
    if (
        not 1 <= args.runs <= 10
        or args.max_requests < 1
        or args.timeout <= 0
        or not 0 <= args.big_sessions <= 1000
    ):
        raise SystemExit("--runs must be 1-10, --max-requests and --timeout positive.")
    questions = load_questions(args.questions)

    def measure(url: str, pid: int | None) -> list[RunResult]:
        runs = []
        for i in range(args.runs):
            target = "/api/ask" if args.via == "api" else " (the Gradio chat)"
            _say(f"run {i + 1}/{args.runs}: {args.users} users for {args.seconds:g} s against {url}{target}")
            runs.append(
                run_once(
                    url,
                    questions,
                    users=args.users,
                    seconds=args.seconds,
                    max_requests=args.max_requests,
                    timeout=args.timeout,
                    pid=pid,
                    seed=i,
                    vary=args.vary,
                    via=args.via,
                    oversize=args.oversize,
                )
            )
        if args.big_sessions:
            _say(f"{args.big_sessions} chat sessions, one 1 MB message each ...")
            before, after = big_sessions(url, args.big_sessions, pid, args.timeout)
            _say(f"  RSS {before} -> {after} MB" if before is not None else "  (no --pid: RSS not sampled)")
        return runs

    if args.start:
        index_dir = args.index_dir.resolve()
        with tempfile.TemporaryDirectory(prefix="derci-load-") as scratch:
            data_dir = Path(scratch) / "data"
            build_index(index_dir, data_dir)
            with started_app(index_dir, data_dir, args.start_timeout, Path(scratch) / "ui.log") as (url, pid):
                runs = measure(url, pid)
                log_tail = (Path(scratch) / "ui.log").read_text(errors="replace")[-2000:]
        if "Traceback" in log_tail:
            _say("the app's log shows a traceback:\n" + log_tail)
    else:
        runs = measure(require_loopback(args.url), args.pid)

    if args.json:
        print(json.dumps([asdict(r) for r in runs], indent=2))
    else:
        print(_table(runs))
    return 1 if any(r.errors for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
