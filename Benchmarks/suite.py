#!/usr/bin/env python3
"""Splits a generated replay (HAR + script) into a suite: one script and one cassette per run of
consecutive requests, named alike so that `nexsh run SCRIPTS --cassette CASSETTES` pairs them.

    suite.py HAR SCRIPT PER_SCRIPT OUT_DIR  ->  OUT_DIR/scripts/sNNNN.nexsh, OUT_DIR/cassettes/sNNNN.har

Script line i (not counting comments and `expect` lines) is the request of cassette entry i, as
generate.py writes them, so each piece keeps its requests with their recorded answers, repeats in
order. The suite thus replays exactly the requests of the whole script: the difference in time
is what running many scripts costs beyond replaying their requests.
"""
import json
import os
import shutil
import sys


def split(har_path, script_path, per_script, out_dir):
    with open(har_path, encoding="utf-8") as file:
        har = json.load(file)
    entries = har["log"]["entries"]
    pieces = [[]]
    requests = 0
    with open(script_path, encoding="utf-8") as file:
        for line in file:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if line.startswith("expect "):
                pieces[-1].append(line)  # checks the request before it, so it stays in that piece
                continue
            if requests and requests % per_script == 0:
                pieces.append([])
            pieces[-1].append(line)
            requests += 1
    if requests != len(entries):
        raise SystemExit(f"{script_path} has {requests} requests but {har_path} {len(entries)} entries")
    scripts, cassettes = os.path.join(out_dir, "scripts"), os.path.join(out_dir, "cassettes")
    for folder in (scripts, cassettes):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
    width = len(str(len(pieces)))
    for number, lines in enumerate(pieces):
        name = f"s{number + 1:0{width}d}"
        with open(os.path.join(scripts, name + ".nexsh"), "w", encoding="utf-8") as file:
            file.write("\n".join(lines) + "\n")
        piece = {"log": dict(har["log"], entries=entries[number * per_script:(number + 1) * per_script])}
        with open(os.path.join(cassettes, name + ".har"), "w", encoding="utf-8") as file:
            json.dump(piece, file, indent=2, ensure_ascii=False)
            file.write("\n")
    return scripts, cassettes


if __name__ == "__main__":
    har, script, per_script, out_dir = sys.argv[1:]
    split(har, script, int(per_script), out_dir)
