#!/usr/bin/env python3
"""Fuzz a running hub's APIs against their own contracts with Schemathesis.

Starts `village serve --demo` on a free port (SQLite in a throw-away folder, or the PostgreSQL
database given with --database-url), makes an API token for a member (Grace) and for the hub
admin through the account pages, as a person would, then runs Schemathesis:

1. against /api/v1/openapi.json as the member,
2. against /api/v1/openapi.json as the hub admin,
3. against /oruk/ with contract/oruk-openapi.json (the ORUK document, its defects patched by
   contract/patch_oruk.py), signed out.

Each `{id}` is given, half the time, a real id from the demo (its people, spaces, proposals,
rounds, offers and groups), so operations reach past "not found".

Checks: no server error (5xx), every status is one the document lists, every response fits
its schema and its declared content type, and data made to fit the document is not refused
for its shape (contract/hooks.py). Exits 1 on any failure, naming the run.

Run through scripts/contract (which makes the virtual environment from
contract/requirements.txt); standard library only here.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
DEMO_PASSWORD = "meadowfield-demo-2026"
MEMBER = "grace@meadowfield.example"
ADMIN = "admin@meadowfield.example"
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
    "limits_in_the_document",
])


class Hub:
    """One `village serve --demo` process on a free port."""

    def __init__(self, binary, data_dir, database_url):
        self.binary, self.data_dir, self.database_url = binary, data_dir, database_url
        self.process, self.base = None, None

    def start(self):
        args = [self.binary, "serve", "--demo", "--listen", "127.0.0.1:0",
                "--data-dir", self.data_dir]
        if self.database_url:
            args += ["--database-url", self.database_url]
        out_path = os.path.join(self.data_dir, "serve.out")
        self.err_path = os.path.join(self.data_dir, "serve.err")
        with open(out_path, "w") as out, open(self.err_path, "w") as err:
            self.process = subprocess.Popen(args, stdout=out, stderr=err)
        for _ in range(1200):
            with open(out_path) as f:
                found = re.search(r"http://127\.0\.0\.1:\d+", f.read())
            if found:
                self.base = found.group(0)
                return
            if self.process.poll() is not None:
                sys.exit("contract: the hub stopped while starting:\n" + open(self.err_path).read())
            time.sleep(0.05)
        sys.exit("contract: the hub did not start within 60 seconds")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def mint_token(base, email):
    """Sign in with the demo password and make a personal API token on /account/tokens."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def form_token(page):
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    page = opener.open(base + "/sign-in", timeout=30).read().decode()
    opener.open(base + "/sign-in", timeout=30, data=urllib.parse.urlencode({
        "csrf_token": form_token(page), "email": email, "password": DEMO_PASSWORD}).encode())
    page = opener.open(base + "/account/tokens", timeout=30).read().decode()
    page = opener.open(base + "/account/tokens", timeout=30, data=urllib.parse.urlencode({
        "csrf_token": form_token(page), "name": "contract test"}).encode()).read().decode()
    shown = re.findall(r"<code[^>]*>([A-Za-z0-9_-]{30,})</code>", page)
    if not shown:
        sys.exit(f"contract: no new API token was shown to {email} on /account/tokens")
    return shown[0]


def get_json(url, token=None):
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as r:
        return json.load(r)


def oruk_ids(base):
    """Real ids from the directory, so `{id}` operations reach whole records."""
    first = lambda path: [r["id"] for r in get_json(base + path + "?per_page=5")["contents"]]
    return {
        "services": first("/oruk/services"),
        "service_at_locations": first("/oruk/service_at_locations"),
        "taxonomies": first("/oruk/taxonomies"),
        "taxonomy_terms": first("/oruk/taxonomy_terms"),
    }


def api_ids(base, admin, member):
    """Real ids of the demo's people, spaces, proposals, rounds, bids, circle and offers, so
    operations on one reach past "not found"."""
    spaces = get_json(base + "/api/v1/spaces", admin)
    rounds = get_json(base + "/api/v1/rounds", admin)
    proposals = [p["id"] for s in spaces
                 for p in get_json(base + f"/api/v1/spaces/{s['id']}", admin)["proposals"]]
    services = get_json(base + "/oruk/services?per_page=8")["contents"]
    return {
        "people": [p["id"] for p in
                   get_json(base + "/api/v1/admin/users?per_page=100", admin)["people"]],
        "spaces": [s["id"] for s in spaces],
        "proposals": proposals,
        "rounds": [r["id"] for r in rounds],
        "bids": [b["id"] for r in rounds for b in r["bids"]] or [1],
        "circle": [e["id"] for e in get_json(base + "/api/v1/me/circle", member)["entries"]],
        "offers": [s["id"] for s in services],
        "groups": [s["organization"]["id"] for s in services if "organization" in s],
    }


# Which real ids each `{parameter}` of the JSON API takes, by path.
API_PARAMETERS = [
    (r"^/api/v1/(people|admin/users)/\{id\}", {"path.id": "people"}),
    (r"^/api/v1/spaces/\{id\}", {"path.id": "spaces"}),
    (r"^/api/v1/proposals/\{id\}", {"path.id": "proposals"}),
    (r"^/api/v1/rounds/\{id\}/bids/\{bid_id\}", {"path.id": "rounds", "path.bid_id": "bids"}),
    (r"^/api/v1/rounds/\{id\}($|/[a-z0-9.-]+$|/paper-ballots)", {"path.id": "rounds"}),
    (r"^/api/v1/me/circle/\{id\}", {"path.id": "circle"}),
    (r"^/api/v1/directory/offers/\{id\}", {"path.id": "offers"}),
    (r"^/api/v1/me/suggestion-marks/\{offer_id\}", {"path.offer_id": "offers"}),
    (r"^/api/v1/groups/\{id\}", {"path.id": "groups"}),
]


def toml_value(v):
    return json.dumps(v)


# The same for the ORUK API.
ORUK_PARAMETERS = [(f"^/{name}/\\{{id\\}}$", {"path.id": name})
                   for name in ("services", "service_at_locations", "taxonomies", "taxonomy_terms")]


def write_config(path, ids, operations):
    """Schemathesis settings: real ids offered for `{id}`s half the time."""
    lines = []
    for name, values in ids.items():
        lines += [f"[dictionaries.{name}]", f"values = {toml_value(values)}", ""]
    for regex, parameters in operations:
        bound = ", ".join(f'"{key}" = {{ dictionary = {toml_value(name)}, probability = 0.5 }}'
                          for key, name in parameters.items())
        lines += ["[[operations]]", f"include-path-regex = {toml_value(regex)}",
                  f"parameters = {{ {bound} }}", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def schemathesis(st, config, name, location, extra, args, report_dir):
    command = [st, "--config-file", config, "run", location, "--checks", CHECKS,
               "--max-examples", str(args.examples), "--seed", str(args.seed),
               "--workers", "1", "--output-truncate", "false", "--no-color",
               "--report", "junit", "--report-dir", os.path.join(report_dir, name), *extra]
    print(f"\n== Schemathesis: {name}", flush=True)
    started = time.monotonic()
    env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks",
               PYTHONPATH=HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))
    code = subprocess.run(command, cwd=report_dir, env=env).returncode
    print(f"== {name}: {'passed' if code == 0 else 'FAILED'} in {time.monotonic() - started:.0f} s",
          flush=True)
    return code == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, help="the village binary")
    parser.add_argument("--st", required=True, help="the Schemathesis command (st)")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default SQLite)")
    parser.add_argument("--seed", type=int, default=int(os.environ.get("CONTRACT_SEED", "1")))
    parser.add_argument("--examples", type=int,
                        default=int(os.environ.get("CONTRACT_EXAMPLES", "25")))
    parser.add_argument("--keep", action="store_true", help="keep the hub's folder")
    args = parser.parse_args()

    subprocess.run([sys.executable, os.path.join(HERE, "patch_oruk.py"), "--check"], check=True)
    data_dir = tempfile.mkdtemp(prefix="village-contract.")
    hub = Hub(args.bin, data_dir, args.database_url)
    ok = True
    try:
        hub.start()
        backend = "PostgreSQL" if args.database_url else "SQLite"
        print(f"contract: a demo hub at {hub.base} ({backend}), seed {args.seed}, "
              f"{args.examples} examples per operation", flush=True)
        member, admin = mint_token(hub.base, MEMBER), mint_token(hub.base, ADMIN)
        api_config = os.path.join(data_dir, "api.toml")
        write_config(api_config, api_ids(hub.base, admin, member), API_PARAMETERS)
        oruk_config = os.path.join(data_dir, "oruk.toml")
        write_config(oruk_config, oruk_ids(hub.base), ORUK_PARAMETERS)
        api = hub.base + "/api/v1/openapi.json"
        runs = [
            ("the API as a member", api_config, api,
             ["-H", f"Authorization: Bearer {member}"]),
            ("the API as the hub admin", api_config, api,
             ["-H", f"Authorization: Bearer {admin}"]),
            ("the ORUK API", oruk_config, os.path.join(HERE, "oruk-openapi.json"),
             ["--url", hub.base + "/oruk"]),
        ]
        failed = [name for name, config, location, extra in runs
                  if not schemathesis(args.st, config, name, location, extra, args, data_dir)]
        if hub.process.poll() is not None:
            failed.append("the hub stopped during the run")
        if failed:
            ok = False
            print("\ncontract: FAILED: " + "; ".join(failed) + f" (the hub's log: {hub.err_path})")
        else:
            print("\ncontract: every run passed")
    finally:
        hub.stop()
        if ok and not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
