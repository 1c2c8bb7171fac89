#!/usr/bin/env python3
"""`make bench`: measures nexsh beside its floor and its peers in one run and prints one table.

    run.py --nexsh PATH/TO/release/nexsh [--quick]

Inputs are generated under .build/bench/inputs (deterministic; regenerated when the generator
changes), hyperfine's raw results go to .build/bench/hyperfine, and the table's figures to
.build/bench/results.json. Every case checks first that its commands succeed (a replay that
misses fails the bench rather than timing an error). Nothing is asserted: goals are reported.
"""
import argparse
import os
import platform
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # keep Benchmarks/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402
import report  # noqa: E402
from inputs import INPUTS, first_command, generated, suite, write_script  # noqa: E402
from sandbox import access_token, running_sandbox  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(".build", "bench")
HYPERFINE = os.path.join(BENCH, "hyperfine")
VENV_BIN = os.path.join(BENCH, "venv", "bin")
ORIGIN = "http://127.0.0.1:47301"  # where generate.py says its exchanges were recorded


def row(case, what, timing=None, **extra):
    values = {"case": case, "what": what}
    if timing:
        values.update(median=timing["median"], min=timing["min"], max=timing["max"], runs=timing["runs"])
    values.update(extra)
    return values


def case_start(nexsh, runs):
    har, script = generated(1)
    t = measure.time_commands("start", {
        "/bin/true": "/bin/true",
        "nexsh --version": f"{nexsh} --version",
        "nexsh run (1 command, replay)": f"{nexsh} run {script} --cassette {har}",
    }, HYPERFINE, runs=runs, warmup=3)
    floor = t["/bin/true"]["median"]
    rows = [row("start", "/bin/true (the floor)", t["/bin/true"])]
    for label in ("nexsh --version", "nexsh run (1 command, replay)"):
        median = t[label]["median"]
        rows.append(row("start", label, t[label], ratio=f"{median / floor:.1f}x /bin/true"))
    return rows


# CPython's C decoder reading the whole file, and nothing else: the floor issue 20 sets for a
# replay. The assert makes sure the C scanner is there, not the pure-Python fallback.
JSON_LOAD = ("import json, json.scanner, sys; assert json.scanner.c_make_scanner; "
             "json.load(open(sys.argv[1], 'rb'))")
# The same json.load timed within one process, without the interpreter's start.
JSON_LOAD_TIMED = """import json, json.scanner, statistics, sys, time
assert json.scanner.c_make_scanner
times = []
for _ in range(int(sys.argv[2])):
    with open(sys.argv[1], "rb") as file:
        start = time.perf_counter()
        json.load(file)
        times.append(time.perf_counter() - start)
print(statistics.median(times))
"""


def json_load_alone(har, repeats):
    return float(subprocess.run([sys.executable, "-c", JSON_LOAD_TIMED, har, str(repeats)], check=True,
                                capture_output=True, text=True).stdout)


def case_replay_10k(nexsh, runs):
    har, script = generated(10_000)
    one = first_command(script, "replay-10000-first.nexsh")
    json_load = f"{sys.executable} -c \"{JSON_LOAD}\" {har}"
    t = measure.time_commands("replay-10k", {
        "load only": f"{nexsh} run {one} --cassette {har}",
        "replay": f"{nexsh} run {script} --cassette {har}",
        "json.load": json_load,
    }, HYPERFINE, runs=runs, rounds=max(1, runs // 3))
    floor, median, python = t["load only"]["median"], t["replay"]["median"], t["json.load"]["median"]
    megabytes = os.path.getsize(har) / 1e6
    in_process = json_load_alone(har, repeats=runs)
    return [
        row("replay-10k", f"load {megabytes:.1f} MB HAR + 1 request", t["load only"], ratio="the floor: start + parse"),
        row("replay-10k", f"CPython {platform.python_version()} json.load of the same HAR, whole process", t["json.load"],
            ratio=f"json.load alone {report.duration(in_process)} (in-process)", json_load_in_process=in_process),
        row("replay-10k", "10,000-command script, whole process", t["replay"],
            ratio=f"{median / python:.2f}x json.load; {median / floor:.1f}x load + 1",
            goal="faster than json.load", met=median < python),
    ], t


def case_vs_vcrpy(nexsh, runs, vcr_runs):
    har, script = generated(1_000)
    yaml_cassette = os.path.join(INPUTS, "replay-1000.yaml")
    python = os.path.join(VENV_BIN, "python")
    subprocess.run([python, os.path.join(HERE, "har_to_vcr.py"), har, yaml_cassette], check=True)
    t_nexsh = measure.time_commands("vs-vcrpy-nexsh", {"nexsh": f"{nexsh} run {script} --cassette {har}"},
                                    HYPERFINE, runs=runs)["nexsh"]
    replayer = os.path.join(HERE, "vcr_replay.py")
    t_vcr = measure.time_commands("vs-vcrpy-vcrpy", {"vcrpy": f"{python} {replayer} {script} {yaml_cassette} {ORIGIN}"},
                                  HYPERFINE, runs=vcr_runs, warmup=0)["vcrpy"]
    speedup = t_vcr["median"] / t_nexsh["median"]
    return [
        row("vs-vcrpy", "nexsh run, 1,000 commands", t_nexsh, ratio=f"{speedup:.0f}x faster than vcrpy",
            goal=">= 300x faster", met=speedup >= 300),
        row("vs-vcrpy", "vcrpy 9.4.2 + requests, same 1,000", t_vcr),
    ], t_nexsh


def peak_row(case, command, file_size, runs):
    """The goal issue 20 sets wherever a cassette is read: peak RSS under 1.2x the file."""
    peak = measure.peak_memory(command, runs=runs)
    return row(case, f"peak RSS (largest of {runs} runs)", figure=report.size(peak),
               ratio=f"{peak / file_size:.2f}x the file", goal="< 1.2x the file", met=peak < 1.2 * file_size,
               peak_rss_bytes=peak, file_bytes=file_size)


def case_load_50mb(nexsh, runs):
    har, script = generated(30_000)
    one = first_command(script, "replay-30000-first.nexsh")
    command = f"{nexsh} run {one} --cassette {har}"
    t = measure.time_commands("load-50mb", {"load": command}, HYPERFINE, runs=runs)["load"]
    file_size = os.path.getsize(har)
    return [row("load-50mb", f"load + index {report.size(file_size)} HAR (30,000 entries), 1 request", t,
                goal="< 150 ms", met=t["median"] < 0.150),
            peak_row("load-50mb", command, file_size, runs=3)]


def case_inspect_200mb(nexsh, quick):
    """`cassette inspect` decodes and lists every entry. --quick takes the 100,000-entry file the
    scale case generates anyway (170 MB) rather than generating 118,000 entries more."""
    count = 100_000 if quick else 118_000
    har, _ = generated(count)
    file_size = os.path.getsize(har)
    command = f"{nexsh} cassette inspect {har}"
    runs = 1 if quick else 3
    t = measure.time_commands("inspect-200mb", {"inspect": command}, HYPERFINE, runs=runs, warmup=0)["inspect"]
    what = f"cassette inspect, {report.size(file_size)} HAR ({count:,} entries)"
    return [row("inspect-200mb", what + (" (--quick: not 200 MB)" if quick else ""), t, goal="time printed"),
            peak_row("inspect-200mb", command, file_size, runs=runs)]


def case_record_1k(nexsh, runs, env):
    # 1,000 requests: the sign-in (token + profiles), then 998 one-request commands.
    commands = ["profiles", "teams", "teams --book", "benefits", "get /api/public/teams/my isTeamAdmin=true",
                "team 55", "contract 5001", "get /api/public/coworkers/profiles _shape=Profiles.Id,Profiles.FullName"]
    script = write_script("record-1000.nexsh", ["login jane.doe@example.com --password-env NEXSH_PASSWORD"]
                          + [commands[n % len(commands)] for n in range(998)])
    cassette = os.path.join(INPUTS, "record-1000.har")
    t = measure.time_commands("record-1k", {
        "passthrough": f"{nexsh} run {script} --sandbox --mode passthrough",
        "record": f"{nexsh} run {script} --sandbox --cassette {cassette} --mode record",
    }, HYPERFINE, runs=runs, env=env, rounds=max(1, runs // 2))
    added = t["record"]["median"] / t["passthrough"]["median"] - 1
    return [
        row("record-1k", "1,000 requests to the in-process sandbox, passthrough", t["passthrough"]),
        row("record-1k", "the same, recording", t["record"], ratio=f"{added * 100:+.1f}% over passthrough"),
    ]


def case_one_shot(nexsh, runs, env):
    rows = []
    with running_sandbox(nexsh) as base_url:
        token = access_token(base_url, "jane.doe@example.com", "correct-horse")
        # NEXSH_SERVER rather than `run --server`: the root command's own --server option takes
        # that flag first, and the script would go to a built-in sandbox instead.
        env = dict(env, NEXSH_BENCH_TOKEN=token, NEXSH_SERVER=base_url)
        url = base_url + "/api/public/coworkers/profiles"
        script = write_script("one-shot.nexsh", ['get /api/public/coworkers/profiles --header "Authorization: Bearer ${env.NEXSH_BENCH_TOKEN}"',
                                                 "expect status 200"])
        t = measure.time_commands("one-shot", {
            "curl": f'curl -sf -H "Authorization: Bearer {token}" {url}',
            "HTTPie": f'{os.path.join(VENV_BIN, "http")} --ignore-stdin --check-status GET {url} "Authorization:Bearer {token}"',
            "nexsh": f"{nexsh} run {script}",
        }, HYPERFINE, runs=runs, warmup=3, env=env, rounds=max(1, runs // 5))
    curl = t["curl"]["median"]
    rows.append(row("one-shot", "curl GET profiles", t["curl"]))
    rows.append(row("one-shot", "HTTPie 3.2.4 (http) GET profiles", t["HTTPie"], ratio=f"{t['HTTPie']['median'] / curl:.1f}x curl"))
    ratio = t["nexsh"]["median"] / curl
    rows.append(row("one-shot", "nexsh run: get with a bearer header", t["nexsh"], ratio=f"{ratio:.2f}x curl",
                    goal="<= 1.5x curl", met=ratio <= 1.5))
    return rows


def case_suite_1k(nexsh, runs, replay_10k):
    """The 10,000 requests of replay-10k as 1,000 scripts of 10, each with its own cassette. Their
    requests' own replay cost is replay-10k's whole process, so what the suite costs beyond it,
    over 1,000, is what one more script costs: its plan, session, cassette open and report.
    The cost is CPU time (user + system), because with --jobs 2 the suite's wall time is spread
    over two cores while replay-10k runs on one; the wall-time difference is printed beside it."""
    scripts, cassettes = suite(10_000, per_script=10)
    t = measure.time_commands("suite-1k", {"suite": f"{nexsh} run {scripts} --cassette {cassettes} --jobs 2"},
                              HYPERFINE, runs=runs)["suite"]
    per_script = (t["cpu"] - replay_10k["replay"]["cpu"]) / 1_000
    per_script_wall = (t["median"] - replay_10k["replay"]["median"]) / 1_000
    return [row("suite-1k", "1,000 scripts of 10 requests, own cassettes, --jobs 2, whole process", t,
                ratio=f"{per_script * 1000:+.3f} ms CPU/script beyond replay-10k (wall {per_script_wall * 1000:+.2f} ms)",
                goal="<= 1 ms CPU per script", met=per_script <= 0.001,
                per_script_cpu_seconds=per_script, per_script_wall_seconds=per_script_wall)]


def case_scale(nexsh, runs, large_runs, replay_10k):
    """Per request: (replay of N commands - loading the same cassette for one) / N, so that
    process start and parsing, which grow with the file but not with matching, are left out."""
    timings = {10_000: replay_10k}
    for count, count_runs in ((1_000, runs), (100_000, large_runs)):
        har, script = generated(count)
        one = first_command(script, f"replay-{count}-first.nexsh")
        timings[count] = measure.time_commands(f"scale-{count}", {
            "load only": f"{nexsh} run {one} --cassette {har}",
            "replay": f"{nexsh} run {script} --cassette {har}",
        }, HYPERFINE, runs=count_runs)
    rows = []
    per_request = {count: (t["replay"]["median"] - t["load only"]["median"]) / count for count, t in timings.items()}
    for count in sorted(timings):
        flat = per_request[count] / per_request[1_000]
        rows.append(row("scale", f"replay {count:,} entries, whole process", timings[count]["replay"],
                        ratio=f"{per_request[count] * 1e6:.1f} us/request beyond loading ({flat:.2f}x the 1k cost)",
                        per_request_seconds=per_request[count], load_only_median=timings[count]["load only"]["median"],
                        goal="flat: <= 1.2x the 1k cost" if count != 1_000 else "",
                        met=(flat <= 1.2) if count != 1_000 else None))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nexsh", required=True, help="the release build of nexsh")
    parser.add_argument("--quick", action="store_true", help="fewer runs (for trying the bench out)")
    arguments = parser.parse_args()
    nexsh = os.path.abspath(arguments.nexsh)
    os.makedirs(INPUTS, exist_ok=True)
    os.makedirs(HYPERFINE, exist_ok=True)
    # SIGTERM unwinds like Ctrl-C, so the sandbox of the one-shot case is stopped either way.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower() and key != "NEXSH_SERVER"}
    env["NEXSH_PASSWORD"] = "correct-horse"
    env["NO_COLOR"] = "1"
    os.environ.clear()
    os.environ.update(env)

    quick = arguments.quick
    runs, few = (5, 3) if quick else (20, 10)
    started = time.time()
    rows = []
    rows += case_start(nexsh, runs=10 if quick else 40)
    replay_rows, timing_10k = case_replay_10k(nexsh, runs=few)
    rows += replay_rows
    vcr_rows, _ = case_vs_vcrpy(nexsh, runs=few, vcr_runs=1 if quick else 3)
    rows += vcr_rows
    rows += case_suite_1k(nexsh, runs=few, replay_10k=timing_10k)
    rows += case_load_50mb(nexsh, runs=3 if quick else 5)
    rows += case_record_1k(nexsh, runs=4 if quick else 20, env=env)
    rows += case_one_shot(nexsh, runs=runs, env=env)
    rows += case_scale(nexsh, runs=few, large_runs=1 if quick else 3, replay_10k=timing_10k)
    rows += case_inspect_200mb(nexsh, quick)

    context = {
        "nexsh": subprocess.run([nexsh, "--version"], capture_output=True, text=True).stdout.strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "hyperfine": subprocess.run(["hyperfine", "--version"], capture_output=True, text=True).stdout.strip(),
        "curl": subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split("\n")[0],
        "quick": quick,
        "seconds": round(time.time() - started, 1),
    }
    results = os.path.join(BENCH, "results.json")
    report.write_json(results, rows, context)
    print()
    print(f"nexsh {context['nexsh']} bench on {context['machine']}; {context['hyperfine']}")
    print(report.table(rows))
    missed = [f"{r['case']} ({r['what']})" for r in rows if r.get("met") is False]
    print(f"\n{len([r for r in rows if r.get('met') is not None]) - len(missed)} goals met, {len(missed)} not met"
          + (": " + "; ".join(missed) if missed else "") + f". Figures in {results}.")


if __name__ == "__main__":
    try:
        main()
    except measure.CommandFailed as failure:
        print(f"make bench: {failure}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
