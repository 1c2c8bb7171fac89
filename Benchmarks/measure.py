"""Measuring commands: wall time through hyperfine, peak memory through wait4."""
import json
import os
import shlex
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


def time_commands(name, commands, out_dir, runs, warmup=1, env=None, prepare=None):
    """Times each of `commands` (label -> command line) with hyperfine, without a shell, and
    returns label -> {median, min, max, mean, runs} in seconds."""
    for command in commands.values():
        check(command, env)
    export = os.path.join(out_dir, f"{name}.json")
    arguments = ["hyperfine", "--shell=none", "--style=basic", "--runs", str(runs), "--warmup", str(warmup),
                 "--export-json", export]
    if prepare:
        arguments += ["--prepare", prepare]
    for label, command in commands.items():
        arguments += ["--command-name", label, command]
    print(f"  {name}: {', '.join(commands)} ({runs} runs each)", file=sys.stderr, flush=True)
    subprocess.run(arguments, env=env, check=True, stdout=subprocess.DEVNULL)
    with open(export, encoding="utf-8") as file:
        results = json.load(file)["results"]
    return {
        result["command"]: {
            "median": result["median"], "min": result["min"], "max": result["max"],
            "mean": result["mean"], "runs": len(result["times"]),
        }
        for result in results
    }


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
