#!/usr/bin/env python3
"""Writes a HAR cassette of N Nexudus-shaped exchanges and the nexsh script that replays it.

    generate.py N OUT_DIR [--seed S]  ->  OUT_DIR/replay-N.har, OUT_DIR/replay-N.nexsh

The same N and seed always give the same bytes. The exchanges vary their paths (ids), queries
(_shape, paging, flags) and bodies; about one request in ten repeats an earlier one exactly,
with its own recorded answer, so replay must hand out identical requests' answers in order.
The cassette writes each query in another order than the script sends it, and each JSON body
with its members reordered, so matching has to compare by meaning, as it does for real
recordings. Entries average about 1.7 KB in the pretty-printed file (10,000 make 17 MB).
"""
import argparse
import json
import os
import random

ORIGIN = "http://127.0.0.1:47301"
FIRST_NAMES = ["Jane", "Sam", "Alex", "Maria", "Tomas", "Priya", "Chen", "Olu", "Lena", "Iker"]
LAST_NAMES = ["Doe", "Roe", "Kim", "Garcia", "Novak", "Shah", "Wei", "Adeyemi", "Berg", "Ruiz"]
COMPANIES = ["Acme Design Co.", "Roe Ventures Ltd", "Blue Fern Studio", "Northwind Labs", "Kite & Key"]
PROFILE_FIELDS = ["Id", "FullName", "CompanyName", "Active", "IsDefaultProfile", "CoworkerType", "HasVirtualOffice"]


def person(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def profile(rng, profile_id, default):
    company = rng.random() < 0.4
    name = rng.choice(COMPANIES) if company else person(rng)
    return {
        "Id": profile_id,
        "FullName": name,
        "CompanyName": name if company else "",
        "Active": rng.random() < 0.9,
        "IsDefaultProfile": default,
        "CoworkerType": 2 if company else 1,
        "HasVirtualOffice": company,
        "VirtualOfficePaused": False if company else None,
        "VirtualOfficeContractId": rng.randint(50, 900) if company else None,
    }


def profiles_exchange(rng):
    user_id = rng.randint(40, 4000)
    query = []
    if rng.random() < 0.5:
        query.append(("_shape", ",".join(f"Profiles.{field}" for field in rng.sample(PROFILE_FIELDS, rng.randint(1, 4)))))
    count = rng.randint(1, 2)
    body = {
        "User": {"Id": user_id, "FullName": person(rng), "Email": f"user{user_id}@example.com",
                 "Active": True, "IsAdmin": False, "AccessToken": "<redacted:access_token>"},
        "DefaultBusiness": {"Id": 7, "Name": "Nexudus HQ", "WebAddress": "nexudushq"},
        "Profiles": [profile(rng, user_id * 10 + n, n == 0) for n in range(count)],
    }
    return "GET", "/api/public/coworkers/profiles", query, None, body


def team_exchange(rng):
    team_id = rng.randint(1, 5000)
    members = [{"Id": rng.randint(100, 99999), "FullName": person(rng)} for _ in range(rng.randint(1, 3))]
    body = {"Id": team_id, "Name": f"{rng.choice(COMPANIES)} team {team_id}", "BusinessId": 7,
            "Members": members, "CanAddNewMembers": rng.random() < 0.5, "CanRemoveMembers": rng.random() < 0.5}
    return "GET", f"/api/public/teams/{team_id}/profile", [], None, body


def contract_exchange(rng):
    contract_id = rng.randint(1, 90000)
    body = {"Id": contract_id, "CoworkerId": rng.randint(100, 99999), "CoworkerFullName": person(rng),
            "TariffName": rng.choice(["Virtual Office", "Hot Desk", "Dedicated Desk", "Private Office"]),
            "Price": rng.choice([49.0, 120.0, 250.0, 990.0]), "CurrencyCode": rng.choice(["GBP", "EUR", "USD"]),
            "StartDate": f"2025-{rng.randint(1, 12):02d}-01T00:00:00Z", "NextInvoice": "2026-02-01T00:00:00Z",
            "Cancelled": False, "Notes": "Generated for the nexsh benchmark. " * rng.randint(0, 1)}
    return "GET", f"/api/public/billing/coworkerContracts/{contract_id}", [], None, body


def my_teams_exchange(rng):
    page, size = rng.randint(1, 20), rng.choice([5, 10, 25])
    query = [("isTeamAdmin", rng.choice(["true", "false"])), ("_page", str(page)), ("_pageSize", str(size))]
    records = [{"Id": rng.randint(1, 5000), "Name": f"{rng.choice(COMPANIES)} team", "MemberCount": rng.randint(1, 40)}
               for _ in range(rng.randint(1, 3))]
    body = {"Records": records, "CurrentPage": page, "PageSize": size, "TotalItems": 5 * page + len(records),
            "HasNextPage": rng.random() < 0.5}
    return "GET", "/api/public/teams/my", query, None, body


def team_profiles_exchange(rng):
    query = [("bookForTeam", "true")] if rng.random() < 0.5 else []
    body = [{"Team": {"Id": rng.randint(1, 5000), "Name": f"{rng.choice(COMPANIES)} team"},
             "CanAddNewMembers": rng.random() < 0.5, "ProfileCount": rng.randint(1, 30)}
            for _ in range(rng.randint(1, 3))]
    return "GET", "/en/team/profiles", query, None, body


def switch_exchange(rng):
    query = [("coworkerId", str(rng.randint(100, 99999)))]
    body = {"WasSuccessful": True, "Value": None, "Status": 200, "Message": None, "Errors": None}
    return "PUT", "/api/public/coworkers/profiles/current", query, None, body


def booking_exchange(rng):
    resource = rng.randint(1, 300)
    day = rng.randint(1, 28)
    request = {"ResourceId": resource, "FromTime": f"2026-03-{day:02d}T09:00:00Z",
               "ToTime": f"2026-03-{day:02d}T{rng.randint(10, 18)}:00:00Z", "Notes": f"standup {rng.randint(1, 999)}",
               "Repeat": False}
    body = {"WasSuccessful": True, "Value": {"BookingId": rng.randint(1, 10 ** 6), "ResourceId": resource},
            "Status": 200, "Message": "The booking was created.", "Errors": None}
    return "POST", "/api/public/bookings", [], request, body


KINDS = [(profiles_exchange, 3), (team_exchange, 2), (contract_exchange, 2), (my_teams_exchange, 2),
         (team_profiles_exchange, 1), (switch_exchange, 1), (booking_exchange, 2)]


def script_line(method, path, query, body):
    words = [method.lower(), path] + [f"{name}={value}" for name, value in query]
    if body is not None:
        words += ["--body", "'" + json.dumps(body, separators=(",", ":")) + "'"]
    return " ".join(words)


def entry(index, rng, method, path, query, request_body, response_body):
    recorded_query = query[:]
    rng.shuffle(recorded_query)  # matching ignores the order of query parameters
    url = ORIGIN + path + ("?" + "&".join(f"{n}={v.replace(',', '%2C')}" for n, v in recorded_query) if query else "")
    request = {
        "method": method, "url": url, "httpVersion": "HTTP/1.1", "cookies": [],
        "headers": [{"name": "Accept", "value": "application/json"}],
        "queryString": [{"name": n, "value": v} for n, v in recorded_query],
        "headersSize": -1, "bodySize": 0,
    }
    if request_body is not None:
        members = list(request_body.items())
        rng.shuffle(members)  # matching compares JSON bodies by value, not text
        text = json.dumps(dict(members), separators=(", ", ": "))
        request["headers"].append({"name": "Content-Type", "value": "application/json"})
        request["postData"] = {"mimeType": "application/json", "text": text}
        request["bodySize"] = len(text.encode())
    text = json.dumps(response_body, separators=(",", ":"), ensure_ascii=False)
    size = len(text.encode())
    seconds = index // 10
    return {
        "startedDateTime": f"2026-01-01T{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{index % 10}00Z",
        "time": 1.25,
        "request": request,
        "response": {
            "status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "cookies": [],
            "headers": [{"name": "Content-Type", "value": "application/json; charset=utf-8"},
                        {"name": "Content-Length", "value": str(size)}],
            "content": {"size": size, "mimeType": "application/json; charset=utf-8", "text": text},
            "redirectURL": "", "headersSize": -1, "bodySize": size,
        },
        "cache": {},
        "timings": {"send": 0, "wait": 1.0, "receive": 0.25},
    }


def generate(count, seed):
    rng = random.Random(seed)
    functions = [function for function, weight in KINDS for _ in range(weight)]
    entries, lines, requests = [], ["# Generated by Benchmarks/generate.py: replays the cassette of the same name."], []
    for index in range(count):
        if requests and rng.random() < 0.1:
            function, method, path, query, request_body = rng.choice(requests)
            response_body = function(rng)[4]  # the same request, another answer
        else:
            function = rng.choice(functions)
            method, path, query, request_body, response_body = function(rng)
            requests.append((function, method, path, query, request_body))
        entries.append(entry(index, rng, method, path, query, request_body, response_body))
        lines.append(script_line(method, path, query, request_body))
        if index % 100 == 99:
            lines.append("expect status 200")
    har = {"log": {"version": "1.2", "creator": {"name": "nexsh-bench", "version": "1"}, "entries": entries}}
    return har, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=8)
    arguments = parser.parse_args()
    har, lines = generate(arguments.count, arguments.seed)
    os.makedirs(arguments.out_dir, exist_ok=True)
    base = os.path.join(arguments.out_dir, f"replay-{arguments.count}")
    with open(base + ".har", "w", encoding="utf-8") as file:
        json.dump(har, file, indent=2, ensure_ascii=False)
        file.write("\n")
    with open(base + ".nexsh", "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
