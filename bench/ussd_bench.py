"""USSD benchmark: Melek's /ussd against a bare Flask endpoint under the same gunicorn settings.

    python -m bench.ussd_bench                      # SQLite file, Redis db 1, 14,000 then 500,000 handsets
    python -m bench.ussd_bench --database-url postgresql+psycopg://postgres@127.0.0.1/melek_bench_ussd

The database and the Redis database are emptied first: give the benchmark its own. Prints,
per registry size: flat out with N concurrent handsets (hops/s, p50/p99 per hop kind, the
ratio to the bare endpoint), a fixed rate of R hops/s (p50/p99), Redis memory per live
session, and the resident memory of the web workers.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import redis

from app import create_app
from bench.ussd_data import grow, reset
from bench.ussd_load import Tally, run_fixed_rate, run_flat_out

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def gunicorn(target: str, port: int, workers: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start gunicorn (sync workers) and wait until it accepts connections."""
    cmd = [str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-k", "sync", "-b", f"{HOST}:{port}"]
    cmd += ["--backlog", "2048", "--log-level", "warning", target]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=os.environ | env)
    for _ in range(100):
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError(f"gunicorn {target} did not start on port {port}")


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of `master`), in MB."""
    sizes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master):
            sizes.append(int(fields["VmRSS"].split()[0]) / 1024)
    return sorted(sizes)


def pct(values: list[float], q: float) -> float:
    """The q-quantile in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def load(mode: str, port: int, args: argparse.Namespace, size: int, tag: str) -> tuple[Tally, float]:
    """Run the load in `args.clients` processes; returns the merged tally and the wall time."""
    jobs: list[tuple] = []  # type: ignore[type-arg]
    for c in range(args.clients):
        if mode == "flat":
            jobs.append((HOST, port, size, args.concurrency // args.clients, args.seconds, f"{tag}{c}"))
        else:
            rate = args.rate / args.clients
            jobs.append((HOST, port, size, rate, args.seconds, args.think, f"{tag}{c}"))
    started = time.perf_counter()
    with ProcessPoolExecutor(args.clients) as pool:
        tallies = list(pool.map(run_flat_out if mode == "flat" else run_fixed_rate, jobs))
    wall = time.perf_counter() - started
    total = Tally()
    for t in tallies:
        total.merge(t)
    return total, wall


def line(name: str, tally: Tally, wall: float) -> str:
    lat = tally.latencies
    every = lat["dial"] + lat["pin"] + lat["menu"]
    parts = [
        f"  {name:6} {tally.hops / wall:8.0f} hops/s  all p50 {pct(every, 0.5):6.2f} p99 {pct(every, 0.99):6.2f} ms"
    ]
    parts += [f"{k} {pct(lat[k], 0.5):5.2f}/{pct(lat[k], 0.99):6.2f}" for k in ("dial", "pin", "menu")]
    parts += [f"errors {tally.errors} busy {tally.busy} wrong {tally.wrong}"]
    return " | ".join(parts)


def session_memory(client: redis.Redis) -> tuple[float, int]:
    """Average MEMORY USAGE of live session keys (bytes), and how many are live."""
    keys = list(client.scan_iter("melek:ussd:s:*", count=1000))
    sample = keys[:500]
    used = [client.memory_usage(k) or 0 for k in sample]
    return (sum(used) / len(used) if used else 0.0), len(keys)


def best_of(args: argparse.Namespace, size: int, mode: str, bare_port: int) -> tuple[tuple[Tally, float], ...]:
    """Alternate bare and melek runs `args.rounds` times; keep each one's best (neighbours add noise).

    Best is the highest throughput flat out, the lowest p99 at a fixed rate.
    """
    runs: dict[int, list[tuple[Tally, float]]] = {bare_port: [], bare_port + 1: []}
    for r in range(args.rounds):
        for port in runs:
            runs[port].append(load(mode, port, args, size, f"{mode}{size}p{port}r{r}"))

    def score(run: tuple[Tally, float]) -> float:
        tally, wall = run
        if mode == "flat":
            return -tally.hops / wall
        lat = tally.latencies
        return pct(lat["dial"] + lat["pin"] + lat["menu"], 0.99)

    return tuple(min(r, key=score) for r in runs.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="Default: a temporary SQLite file.")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--sizes", default="14000,500000", help="Registry sizes, comma-separated.")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (both servers).")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=300.0, help="Hops/s for the fixed-rate run.")
    parser.add_argument("--think", type=float, default=0.5, help="Seconds between an official's hops (fixed rate).")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=2, help="Load generator processes.")
    parser.add_argument("--port", type=int, default=8811)
    parser.add_argument("--rounds", type=int, default=3, help="Alternating runs per server; the best counts.")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="melek-ussd-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    config = {
        "DATABASE_URL": url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": "bench-secret-key-0123456789",
        "PIN_PEPPER": "bench-pepper-0123456789",
        "LOG_LEVEL": "WARNING",
    }
    app = create_app(config)
    client = redis.Redis.from_url(args.redis_url)
    reset(app)
    env = {k: str(v) for k, v in config.items()} | {"MELEK_ENV": "development"}
    print(f"{os.cpu_count()} CPUs; gunicorn -k sync -w {args.workers} for both servers; load generator:")
    print(f"{args.clients} processes on the same CPUs; database {url.split(':')[0]}; {args.seconds:.0f} s per run")
    bare = gunicorn("bench.ussd_bare:app", args.port, args.workers, {})
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            took = grow(app, size)
            client.flushdb()
            melek = gunicorn("wsgi:app", args.port + 1, args.workers, env)
            try:
                print(f"\nregistry: {size:,} handsets (added in {took:.1f} s)")
                warm = argparse.Namespace(**{**vars(args), "seconds": 3.0})  # imports, pools, mappers
                load("flat", args.port, warm, size, "warm")
                load("flat", args.port + 1, warm, size, "warm")
                print(f"flat out, {args.concurrency} concurrent handsets, best of {args.rounds} (ms p50/p99 per hop):")
                b, m = best_of(args, size, "flat", bare_port=args.port)
                print(line("bare", *b))
                print(line("melek", *m))
                print(f"  throughput ratio melek/bare: {(m[0].hops / m[1]) / (b[0].hops / b[1]):.0%}")
                print(f"fixed rate, {args.rate:.0f} hops/s, {args.think} s between hops, best of {args.rounds}:")
                b, m = best_of(args, size, "rate", bare_port=args.port)
                print(line("bare", b[0], args.seconds))
                print(line("melek", m[0], args.seconds))
                per_session, live = session_memory(client)
                print(f"redis: {per_session:.0f} bytes per live session ({live} live sessions)")
                print(f"web workers' RSS (MB): melek {worker_rss_mb(melek.pid)} bare {worker_rss_mb(bare.pid)}")
            finally:
                melek.terminate()
                melek.wait()
    finally:
        bare.terminate()
        bare.wait()


if __name__ == "__main__":
    main()
