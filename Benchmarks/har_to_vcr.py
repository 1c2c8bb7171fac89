#!/usr/bin/env python3
"""Converts a HAR cassette to a vcrpy cassette (YAML), entry for entry, in the same order.

    har_to_vcr.py IN.har OUT.yaml

Runs in the bench's virtual environment (it needs PyYAML, which vcrpy brings).
"""
import json
import sys

import yaml


def headers(pairs):
    merged = {}
    for pair in pairs:
        merged.setdefault(pair["name"], []).append(pair["value"])
    return merged


def interaction(entry):
    request, response = entry["request"], entry["response"]
    body = request.get("postData", {}).get("text")
    return {
        "request": {
            "body": body,
            "headers": headers(request["headers"]),
            "method": request["method"],
            "uri": request["url"],
        },
        "response": {
            "status": {"code": response["status"], "message": response["statusText"]},
            "headers": headers(response["headers"]),
            "body": {"string": response["content"].get("text", "")},
        },
    }


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as file:
        entries = json.load(file)["log"]["entries"]
    cassette = {"version": 1, "interactions": [interaction(entry) for entry in entries]}
    with open(target, "w", encoding="utf-8") as file:
        yaml.dump(cassette, file, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True)


if __name__ == "__main__":
    main()
