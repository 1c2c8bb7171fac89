#!/usr/bin/env python3
"""Replays a generated nexsh script's requests with requests + vcrpy, as nexsh replays them.

    vcr_replay.py SCRIPT.nexsh CASSETTE.yaml ORIGIN

Reads the `get`/`put`/`post` lines of the script (the same requests, in the same order, with
the query in the script's order and the body as the script writes it) and sends each through
requests inside vcr.use_cassette with record_mode "none": vcrpy must answer every one from the
cassette. Matching is on method, URL parts, query and body, the same as nexsh's; identical
requests get their recorded answers in order (allow_playback_repeats off). Exits 1 unless
every answer is a 200.
"""
import shlex
import sys

import requests
import vcr


def script_requests(path):
    with open(path, encoding="utf-8") as file:
        for line in file:
            words = shlex.split(line, comments=True)
            if not words or words[0] not in ("get", "put", "post", "delete"):
                continue
            method, target, rest = words[0].upper(), words[1], words[2:]
            body = None
            if "--body" in rest:
                at = rest.index("--body")
                body = rest[at + 1]
                del rest[at:at + 2]
            params = [tuple(word.split("=", 1)) for word in rest]
            yield method, target, params, body


def main():
    script, cassette, origin = sys.argv[1], sys.argv[2], sys.argv[3]
    plan = list(script_requests(script))
    recorder = vcr.VCR(record_mode="none", match_on=["method", "scheme", "host", "port", "path", "query", "body"])
    answered = 0
    with recorder.use_cassette(cassette, allow_playback_repeats=False), requests.Session() as session:
        for method, target, params, body in plan:
            headers = {"Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            response = session.request(method, origin + target, params=params, data=body, headers=headers)
            if response.status_code != 200:
                print(f"{method} {target}: {response.status_code}", file=sys.stderr)
                sys.exit(1)
            answered += 1
    print(f"{answered} requests answered from {cassette}")


if __name__ == "__main__":
    main()
