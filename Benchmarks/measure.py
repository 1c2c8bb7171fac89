"""Measuring commands: wall time through hyperfine, peak memory through wait4."""
import json
import os
import shlex
import statistics
import subprocess
import sys


class CommandFailed(Exception):
    pass


def check(command, env=None):
    """Runs `command` once and fails loudly, with its output, unless it exits with 0: a
    benchmark of a command that fails measures nothing."""
    result = subprocess.run(shlex.split(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise CommandFailed(f"`{command}` exited with {result.returncode}:\n{result.stderr[-2000:]}")


def time_commands(name, commands, out_dir, runs, warmup=1, env=None, prepare=None, rounds=1):
    """Times each of `commands` (label -> command line) with hyperfine, without a shell, and
    returns label -> {median, min, max, mean, runs, cpu} in seconds, cpu being the mean user +
    system time of a run (hyperfine reports it as a mean only).

    With `rounds` > 1 the runs are split into rounds that take the commands in turn (A, B,
    A, B, ...), so that a slow spell of a shared machine weighs on all of them alike rather
    than on whichever hyperfine happened to be timing then."""
    for command in commands.values():
        check(command, env)
    print(f"  {name}: {', '.join(commands)} ({runs} runs each"
          + (f", in {rounds} alternating rounds)" if rounds > 1 else ")"), file=sys.stderr, flush=True)
    times = {label: [] for label in commands}
    cpu_totals = {label: 0.0 for label in commands}
    per_round = max(2, runs // rounds)
    for number in range(rounds):
        export = os.path.join(out_dir, f"{name}.json" if rounds == 1 else f"{name}-{number + 1}.json")
        arguments = ["hyperfine", "--shell=none", "--style=basic", "--runs", str(per_round),
                     "--warmup", str(warmup if number == 0 else 0), "--export-json", export]
        if prepare:
            arguments += ["--prepare", prepare]
        for label, command in commands.items():
            arguments += ["--command-name", label, command]
        subprocess.run(arguments, env=env, check=True, stdout=subprocess.DEVNULL)
        with open(export, encoding="utf-8") as file:
            for result in json.load(file)["results"]:
                times[result["command"]] += result["times"]
                cpu_totals[result["command"]] += (result["user"] + result["system"]) * len(result["times"])
    return {label: {"median": statistics.median(values), "min": min(values), "max": max(values),
                    "mean": statistics.fmean(values), "runs": len(values), "cpu": cpu_totals[label] / len(values)}
            for label, values in times.items()}


def peak_memory(command, runs=3, env=None):
    """The largest resident set, in bytes, of `command` over `runs` runs (its own process,
    as the kernel reports it on exit)."""
    peak = 0
    for _ in range(runs):
        process = subprocess.Popen(shlex.split(command), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise CommandFailed(f"`{command}` exited with {process.returncode}")
        peak = max(peak, usage.ru_maxrss * 1024)
    return peak
