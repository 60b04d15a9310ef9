"""`make bench`: the app's main pages, the gap analysis and a load test at county scale,
on PostgreSQL, printed as Markdown tables (the README's "Scaling" section quotes them).

    .venv/bin/python scripts/bench.py [--database-url URL] [--regenerate] [--requests 30]
        [--users 20] [--seconds 60] [--workers 2] [--no-load]

The database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bigsociety_bench)
is created if missing and filled by `manage.py generate_scale_data` with its defaults
plus enough consultation responses for 50,000 answers; a later run reuses the data when
the counts match (`--regenerate` makes it again, and times it). The settings are the
production ones (DEBUG off), with the cache given by CACHE_URL (by default the database
cache table, as in production without Redis). Every request goes to 127.0.0.1, and the
load test is bounded in users and seconds.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bigsociety_bench"
# generate_scale_data's defaults, plus responses: each answers 20 services.
SCALE = {"wards": 100, "organisations": 10_000, "services": 400, "offers": 100_000}
RESPONSES = 2_500
ANSWERS_PER_RESPONSE = 20
SEED = 1
BENCH_EMAIL = "bench-officer@bench.invalid"

# Targets (issue 10), in milliseconds unless said otherwise.
PAGE_P95 = 300
MATRIX_P95 = 500
RAW_RATIO = 2
DIRECTORY_RPS = 100
WORKER_MB = 300
GENERATE_SECONDS = 300


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL,
        help="PostgreSQL database for the benchmark (created if missing; its data is replaced)",
    )
    parser.add_argument("--regenerate", action="store_true", help="make the data again")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--users", type=int, default=20, help="concurrent users in the load test")
    parser.add_argument("--seconds", type=int, default=60, help="length of each load test")
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("WEB_CONCURRENCY") or 2),
        help="gunicorn workers for the load test (WEB_CONCURRENCY, as `make serve`)",
    )
    parser.add_argument("--no-load", action="store_true", help="skip the load test")
    return parser.parse_args()


# Setting up ------------------------------------------------------------------------------


def ensure_database(url):
    """Create the database if it does not exist (through the server's "postgres" db)."""
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("The benchmark runs on PostgreSQL: give a postgres:// URL.")
    params = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
            connection.execute(create)
            print(f"Created the database {config['NAME']}.")


def production_like_environment(url):
    env = {
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "HTTPS": "0",
        "STATIC_ROOT": str(BENCH_DIR / "static"),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bigsociety.settings")


def expected_counts():
    return {
        "wards": SCALE["wards"],
        "organisations": SCALE["organisations"],
        "services": SCALE["services"],
        "offers": SCALE["offers"],
        "answers": RESPONSES * ANSWERS_PER_RESPONSE,
    }


def current_counts():
    from mapping.models import CapacityOffer, ConsultationAnswer, Organisation, Ward
    from services.models import Service

    return {
        "wards": Ward.objects.count(),
        "organisations": Organisation.objects.count(),
        "services": Service.objects.count(),
        "offers": CapacityOffer.objects.count(),
        "answers": ConsultationAnswer.objects.count(),
    }


def ensure_data(regenerate):
    """Generate the data unless the database already holds it. Returns what to report."""
    from django.db import connection

    # When and how fast it was made, kept beside the other outputs for later runs.
    record = BENCH_DIR / f"generated-{connection.settings_dict['NAME']}.json"
    if not regenerate and current_counts() == expected_counts():
        earlier = json.loads(record.read_text()) if record.exists() else None
        return {"reused": True, "earlier": earlier}
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "generate_scale_data",
        "--flush",
        "--no-input",
        f"--seed={SEED}",
        f"--responses={RESPONSES}",
        *[f"--{name}={value}" for name, value in SCALE.items()],
    ]
    print("Generating the data:", " ".join(command[2:]), flush=True)
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT)
    seconds = time.monotonic() - started
    # The largest resident set of any child so far: generate_scale_data ran first.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "reused": False,
        "seconds": round(seconds, 1),
        "peak_mb": round(peak_mb),
        "when": datetime.datetime.now().isoformat(timespec="minutes"),
    }
    record.write_text(json.dumps(result))
    return result


def analyse_tables():
    """Fresh planner statistics, as autovacuum would give a database in service."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench_officer():
    from django.contrib.auth.models import Group

    from accounts.models import OFFICERS_GROUP, User

    user, created = User.objects.get_or_create(
        email=BENCH_EMAIL, defaults={"full_name": "Benchmark officer"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    user.groups.add(Group.objects.get_or_create(name=OFFICERS_GROUP)[0])
    return user


# Measuring pages -------------------------------------------------------------------------


def pages():
    """(label, path, uses the gap analysis) for each main page, at its heaviest."""
    from django.db.models import Count
    from django.urls import Resolver404, resolve, reverse

    from mapping.models import Ward
    from services.models import Service, ServiceCategory

    busiest_ward = Ward.objects.annotate(n=Count("offers")).order_by("-n", "pk").first()
    busiest_service = Service.objects.annotate(n=Count("offers")).order_by("-n", "pk").first()
    category = ServiceCategory.objects.order_by("pk").first()
    found = [
        ("Gap matrix", reverse("mapping:gap_matrix"), True),
        ("Ward map", reverse("mapping:gap_map"), True),
        ("Ward drill-down", reverse("mapping:ward_detail", args=[busiest_ward.code]), True),
        ("Service detail", reverse("services:service_detail", args=[busiest_service.pk]), True),
        ("Organisation directory", reverse("mapping:organisation_directory"), False),
        (
            "Organisation directory, filtered",
            reverse("mapping:organisation_directory")
            + f"?ward={busiest_ward.pk}&verification_status=verified"
            + f"&category={category.pk}&willingness=ready_now&sort=-offers",
            False,
        ),
        ("Service catalogue", reverse("services:service_list"), True),
        ("Officer home", reverse("home"), True),
        ("Public directory", reverse("mapping:public_directory"), False),
        (
            "Public directory, filtered",
            reverse("mapping:public_directory")
            + f"?ward={busiest_ward.pk}&category={category.pk}",
            False,
        ),
        ("Public service catalogue", reverse("services:public_catalogue"), False),
    ]
    try:
        resolve("/api/oruk/services")
    except Resolver404:
        print("Note: /api/oruk/services does not exist in this build (issue 8); not measured.")
    else:
        found.append(("ORUK services API", "/api/oruk/services", False))
    return found


def percentile_95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def time_request(client, path):
    started = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code}")
    return elapsed


def counting(statements):
    """An execute wrapper that notes each statement sent to the database."""

    def wrapper(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def measure_pages(client, count):
    from django.db import connection

    from mapping import gapcache

    results = []
    for label, path, uses_analysis in pages():
        for _ in range(2):  # warm up: connection, caches, templates
            time_request(client, path)
        times = [time_request(client, path) for _ in range(count)]
        queries = []
        with connection.execute_wrapper(counting(queries)):
            time_request(client, path)
        after_change = None
        if uses_analysis:
            gapcache.new_generation()  # as after any write: the next view recomputes
            after_change = time_request(client, path)
        results.append(
            {
                "label": label,
                "path": path,
                "median": statistics.median(times),
                "p95": percentile_95(times),
                "queries": len(queries),
                "after_change": after_change,
            }
        )
        print(f"  {label}: median {statistics.median(times):.0f} ms", flush=True)
    return results


# The gap computation and the same in raw SQL ------------------------------------------------


def raw_gap_sql():
    """Every cell's capacity, willing groups, hours needed, ratio, class and deprived flag
    in one PostgreSQL statement: the database's best at what mapping.gaps computes."""
    from mapping.gaps import SUPPORTING_ROLES, current_rules
    from mapping.models import VerificationStatus
    from services.models import RiskTier

    rules = current_rules()
    counting = rules.counting_willingness
    weights = " ".join("WHEN %s THEN %s" for _ in counting)
    sql = f"""
    WITH offer_share AS (
        SELECT o.id, o.service_id,
            CASE o.willingness {weights} END * o.volunteer_hours_per_month / COUNT(*) AS hours
        FROM mapping_capacityoffer o
        JOIN mapping_capacityoffer_wards named ON named.capacityoffer_id = o.id
        JOIN mapping_organisation g ON g.id = o.organisation_id
        JOIN services_service s ON s.id = o.service_id
        WHERE o.withdrawn_at IS NULL
            AND o.willingness = ANY(%s)
            AND g.verification_status = %s
            AND (s.risk_tier <> %s OR o.role = ANY(%s))
        GROUP BY o.id
    ), supply AS (
        SELECT x.service_id, w.ward_id, SUM(x.hours) AS capacity, COUNT(*) AS groups
        FROM offer_share x JOIN mapping_capacityoffer_wards w ON w.capacityoffer_id = x.id
        GROUP BY x.service_id, w.ward_id
    ), cell AS (
        SELECT sw.service_id, sw.ward_id,
            COALESCE(supply.capacity, 0) AS capacity,
            COALESCE(supply.groups, 0) AS groups,
            s.volunteer_hours_needed::float8 / COUNT(*) OVER (PARTITION BY sw.service_id)
                AS needed
        FROM services_service_wards sw
        JOIN services_service s ON s.id = sw.service_id
        LEFT JOIN supply ON supply.service_id = sw.service_id AND supply.ward_id = sw.ward_id
    ), middle AS (
        SELECT service_id, percentile_cont(0.5) WITHIN GROUP (ORDER BY capacity) AS median
        FROM cell GROUP BY service_id
    )
    SELECT cell.service_id, cell.ward_id, cell.capacity, cell.groups, cell.needed,
        CASE WHEN cell.needed > 0 THEN cell.capacity / cell.needed END AS ratio,
        CASE
            WHEN cell.groups = 0 THEN 'no_capacity'
            WHEN cell.groups < %s THEN 'fragile'
            WHEN cell.needed = 0 THEN 'covered'
            WHEN cell.capacity / cell.needed < %s THEN 'fragile'
            WHEN cell.capacity / cell.needed < %s THEN 'partial'
            ELSE 'covered'
        END AS gap_class,
        COALESCE(ward.imd_decile <= %s AND cell.capacity < middle.median, false) AS deprived
    FROM cell
    JOIN middle ON middle.service_id = cell.service_id
    JOIN mapping_ward ward ON ward.id = cell.ward_id
    """
    params = [
        *[x for value in counting for x in (value, float(rules.weight(value)))],
        list(counting),
        str(VerificationStatus.VERIFIED),
        str(RiskTier.HIGH),
        [str(role) for role in SUPPORTING_ROLES],
        rules.min_organisations,
        float(rules.fragile_below),
        float(rules.covered_from),
        rules.deprived_decile_at_most,
    ]
    return sql, params


def measure_gap_computation(count):
    from django.db import connection

    from mapping import gaps

    app_times, raw_times = [], []
    for _ in range(count):
        started = time.perf_counter()
        analysis = gaps._compute(include_pending=False)
        app_times.append((time.perf_counter() - started) * 1000)
    sql, params = raw_gap_sql()
    with connection.cursor() as cursor:
        for _ in range(count):
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            raw_times.append((time.perf_counter() - started) * 1000)
    # The two must agree, or the comparison means nothing.
    app_classes = {
        (service.id, ward.id): cell.gap_class
        for service in analysis.services
        for ward, cell in analysis.service_cells(service.id)
    }
    raw_classes = {(row[0], row[1]): row[6] for row in rows}
    agree = sum(app_classes.get(key) == value for key, value in raw_classes.items())

    gaps.analyse(with_demand=False)  # fill the cache
    cached_times = []
    for _ in range(count):
        started = time.perf_counter()
        gaps.analyse(with_demand=False)
        cached_times.append((time.perf_counter() - started) * 1000)
    return {
        "cells": len(app_classes),
        "agree": agree,
        "raw_cells": len(raw_classes),
        "app": app_times,
        "raw": raw_times,
        "cached": cached_times,
    }


# The load test -------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"gunicorn did not answer {url} within {seconds} seconds")


def worker_peak_mb(master_pid):
    """Each gunicorn worker's peak resident memory (VmHWM), in MB."""
    peaks = []
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


def read_locust_summary(prefix):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        import csv

        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated":
                return {
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p95": float(row["95%"]),
                    "median": float(row["50%"]),
                }
    raise RuntimeError(f"No summary in {prefix}_stats.csv")


def run_locust(host, path, cookie, *, users, seconds, prefix):
    """One bounded run of locust against one page; its output goes to ``prefix``.log."""
    with open(f"{prefix}.log", "w") as log:
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "--locustfile",
                str(ROOT / "scripts" / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "5",
                "--host",
                host,
                "--csv",
                prefix,
                "--only-summary",
                "--exit-code-on-error",
                "0",
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "BENCH_PATH": path, "BENCH_COOKIE": cookie},
            timeout=seconds + 60,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return read_locust_summary(prefix)


def run_wrk(host, path, cookie, *, users, seconds, prefix):
    """One bounded run of wrk (written in C, so the load costs the 2 cores far less than
    locust's Python) against one page; its output goes to ``prefix``.log."""
    with open(f"{prefix}.log", "w") as log:
        finished = subprocess.run(
            [
                "wrk",
                f"--threads={min(users, 2)}",
                f"--connections={users}",
                f"--duration={seconds}s",
                "--timeout=10s",
                f"--header=Cookie: {cookie}",
                f"--script={ROOT / 'scripts' / 'wrk_report.lua'}",
                host + path,
            ],
            check=True,
            cwd=ROOT,
            timeout=seconds + 60,
            capture_output=True,
            text=True,
        )
        log.write(finished.stdout + finished.stderr)
    for line in finished.stdout.splitlines():
        if line.startswith("BENCH "):
            requests, errors, duration_us, median, p95 = line.split()[1:]
            return {
                "requests": int(requests),
                "errors": int(errors),
                "rps": int(requests) / (int(duration_us) / 1_000_000),
                "p95": float(p95),
                "median": float(median),
            }
    raise RuntimeError(f"No summary from wrk in {prefix}.log")


def load_tool():
    """wrk when it is installed (Debian's package "wrk"), otherwise locust."""
    return ("wrk", run_wrk) if shutil.which("wrk") else ("locust", run_locust)


def load_test(cookie, targets, *, users, seconds, workers):
    """gunicorn on a free port of 127.0.0.1, then wrk or locust against each page in turn."""
    tool, run = load_tool()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bigsociety.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    results = []
    try:
        wait_until_up(f"{host}/healthz")
        for label, path in targets:
            prefix = str(BENCH_DIR / f"load-{path.strip('/').replace('/', '-') or 'home'}")
            print(f"  {label}: {users} users for {seconds} s ({tool}'s log: {prefix}.log)")
            summary = run(host, path, cookie, users=users, seconds=seconds, prefix=prefix)
            results.append({"label": label, "path": path, **summary})
        peaks = worker_peak_mb(gunicorn.pid)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    return results, peaks


# Reporting -------------------------------------------------------------------------------


def machine():
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu})"


def verdict(ok):
    return "yes" if ok else "**no**"


def report(*, data, page_results, computation, memory_mb, load, worker_peaks, args, started):
    from django.conf import settings
    from django.db import connection

    load_before = started["load"]
    load_after = os.getloadavg()
    print()
    print(f"## Benchmark, {started['when']}")
    print()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    print(f"- Machine: {machine()}; PostgreSQL {version}")
    print(
        f"- Load average (1, 5, 15 min): {load_before[0]:.1f} {load_before[1]:.1f} "
        f"{load_before[2]:.1f} at the start, {load_after[0]:.1f} {load_after[1]:.1f} "
        f"{load_after[2]:.1f} at the end"
    )
    print(f"- Cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}")
    expected = expected_counts()
    print(
        f"- Data: {expected['wards']:,} wards, {expected['organisations']:,} organisations, "
        f"{expected['services']:,} services, {expected['offers']:,} offers, "
        f"{expected['answers']:,} consultation answers ({computation['cells']:,} cells)"
    )
    if data["reused"]:
        earlier = data.get("earlier")
        if earlier:
            print(
                f"- generate_scale_data: reused; it took {earlier['seconds']} s "
                f"(peak {earlier['peak_mb']} MB) on {earlier['when']}"
            )
        else:
            print("- generate_scale_data: reused (run with --regenerate to time it)")
    else:
        ok = data["seconds"] < GENERATE_SECONDS
        print(
            f"- generate_scale_data: {data['seconds']} s, peak {data['peak_mb']} MB "
            f"(target under {GENERATE_SECONDS // 60} minutes: {verdict(ok)})"
        )
    print()
    print(f"### Pages ({args.requests} requests each, in the app's process)")
    print()
    print("| page | median ms | p95 ms | queries | first view after a change, ms | target met |")
    print("|---|--:|--:|--:|--:|---|")
    for row in page_results:
        target = MATRIX_P95 if row["label"] == "Gap matrix" else PAGE_P95
        after = "" if row["after_change"] is None else f"{row['after_change']:.0f}"
        print(
            f"| {row['label']} | {row['median']:.0f} | {row['p95']:.0f} | {row['queries']} "
            f"| {after} | p95 < {target}: {verdict(row['p95'] < target)} |"
        )
    app = statistics.median(computation["app"])
    raw = statistics.median(computation["raw"])
    print()
    print("### The gap analysis")
    print()
    print("| what | median ms | p95 ms |")
    print("|---|--:|--:|")
    print(
        f"| The gap computation alone (4 queries and Python, not cached) | {app:.0f} "
        f"| {percentile_95(computation['app']):.0f} |"
    )
    print(
        f"| The same cells in one raw SQL query | {raw:.0f} "
        f"| {percentile_95(computation['raw']):.0f} |"
    )
    print(
        f"| The analysis read from the cache | {statistics.median(computation['cached']):.1f} "
        f"| {percentile_95(computation['cached']):.1f} |"
    )
    print()
    print(
        f"App / raw SQL: {app / raw:.2f} (target at most {RAW_RATIO}: "
        f"{verdict(app / raw <= RAW_RATIO)}). The raw query's class agrees with the app's "
        f"in {computation['agree']:,} of {computation['raw_cells']:,} cells."
    )
    print()
    print(f"Peak memory of this process: {memory_mb:.0f} MB.")
    if load is not None:
        print()
        print(
            f"### Load test: {args.users} users for {args.seconds} s each with "
            f"{load_tool()[0]}, gunicorn with {args.workers} workers on 127.0.0.1"
        )
        print()
        print("| page | requests | requests/s | median ms | p95 ms | errors | target met |")
        print("|---|--:|--:|--:|--:|--:|---|")
        for row in load:
            if row["label"].startswith("Organisation directory"):
                ok = row["rps"] >= DIRECTORY_RPS and row["errors"] == 0
                target = f">= {DIRECTORY_RPS}/s, 0 errors: {verdict(ok)}"
            else:
                target = f"0 errors: {verdict(row['errors'] == 0)}"
            print(
                f"| {row['label']} | {row['requests']:,} | {row['rps']:.1f} "
                f"| {row['median']:.0f} | {row['p95']:.0f} | {row['errors']} | {target} |"
            )
        print()
        peaks = ", ".join(f"{mb:.0f}" for mb in worker_peaks) or "unknown"
        ok = bool(worker_peaks) and max(worker_peaks) < WORKER_MB
        print(
            f"Peak memory of each worker: {peaks} MB (target under {WORKER_MB} MB: {verdict(ok)})."
        )


def main():
    args = parse_args()
    started = {
        "when": datetime.datetime.now().strftime("%-d %B %Y %H:%M"),
        "load": os.getloadavg(),
    }
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    ensure_database(args.database_url)
    production_like_environment(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    print("Migrating and collecting static files...", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    data = ensure_data(args.regenerate)
    analyse_tables()

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(bench_officer())
    print("Measuring pages...", flush=True)
    page_results = measure_pages(client, args.requests)
    print("Measuring the gap computation...", flush=True)
    computation = measure_gap_computation(args.requests)
    memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    load = worker_peaks = None
    if not args.no_load:
        from django.conf import settings
        from django.urls import reverse

        print("Load testing...", flush=True)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        load, worker_peaks = load_test(
            cookie,
            [
                ("Organisation directory", reverse("mapping:organisation_directory")),
                ("Gap matrix", reverse("mapping:gap_matrix")),
            ],
            users=args.users,
            seconds=args.seconds,
            workers=args.workers,
        )
    report(
        data=data,
        page_results=page_results,
        computation=computation,
        memory_mb=memory_mb,
        load=load,
        worker_peaks=worker_peaks,
        args=args,
        started=started,
    )


if __name__ == "__main__":
    main()
