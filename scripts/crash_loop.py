#!/usr/bin/env python3
"""Kill the hub at a random moment while people write, and check nothing they were told was
saved is lost. Run through scripts/crash-loop (which starts a throw-away PostgreSQL for the
postgres backend); standard library only.

Each cycle starts `village serve`, lets several members write through the public API at once
(comments on a proposal, stances, people in their circle, ideas for a funding round, their
profile's story, suggestions of new offers, asks on the help board, messages in a match), remembers every write answered with a 2xx, kills
the server with SIGKILL at a random moment, checks the database (SQLite's integrity_check, or
pg_amcheck), starts the server again and checks that every acknowledged write is there and
the hub serves. It prints cycles, acknowledged writes and lost writes, and exits 1 if any was
lost or a check failed.
"""

import argparse
import glob
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

PASSWORD = "crash-loop-password-9"


class Hub:
    """One `village serve` process on a free port."""

    def __init__(self, binary, data_dir, database_url):
        self.binary, self.data_dir, self.database_url = binary, data_dir, database_url
        self.process, self.base = None, None

    def place(self):
        args = ["--data-dir", self.data_dir]
        if self.database_url:
            args += ["--database-url", self.database_url]
        return args

    def run(self, *args):
        subprocess.run([self.binary, *args, *self.place()], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self):
        out = open(os.path.join(self.data_dir, "serve.out"), "w")
        err = open(os.path.join(self.data_dir, "serve.err"), "a")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--listen", "127.0.0.1:0", *self.place()],
            stdout=out, stderr=err)
        for _ in range(600):
            text = open(os.path.join(self.data_dir, "serve.out")).read()
            found = re.search(r"http://127\.0\.0\.1:\d+", text)
            if found:
                self.base = found.group(0)
                return
            if self.process.poll() is not None:
                raise SystemExit("the hub stopped while starting: see " + err.name)
            time.sleep(0.05)
        raise SystemExit("the hub did not start within 30 seconds")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Member:
    """A signed-in member: a cookie jar and the CSRF token the API wants beside it."""

    def __init__(self, hub, email):
        self.hub, self.email = hub, email
        self.match = None  # the match they answered in (see `setup`)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def sign_in(self):
        page = self.opener.open(self.hub.base + "/sign-in", timeout=30).read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "email": self.email,
                                       "password": PASSWORD}).encode()
        self.opener.open(self.hub.base + "/sign-in", data=form, timeout=30)

    def csrf(self):
        return next(c.value for c in self.jar if c.name == "village_csrf")

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.hub.base + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        if method != "GET":
            request.add_header("x-csrf-token", self.csrf())
        try:
            with self.opener.open(request, timeout=timeout) as r:
                text = r.read().decode()
                return r.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()


def setup(hub, clients):
    """Members, a space with a proposal, a funding round, and for each member a match they
    answered on the next member's offer of help (to send messages in)."""
    password = os.path.join(hub.data_dir, "password")
    with open(password, "w") as f:
        f.write(PASSWORD + "\n")
    emails = [f"writer{n}@crash.example" for n in range(clients)]
    for email in emails:
        hub.run("user", "create", "--email", email, "--password-file", password)
    hub.start()
    members = [Member(hub, e) for e in emails]
    for m in members:
        m.sign_in()
    first = members[0]
    s, space = first.call("POST", "/api/v1/spaces", {"name": "Crash board", "min_lived_share": 0,
                                                     "min_lived_count": 0, "open": True})
    assert s == 201, (s, space)
    s, proposal = first.call("POST", f"/api/v1/spaces/{space['id']}/proposals",
                             {"title": "Keep everything", "body": "Nothing acknowledged is lost."})
    assert s == 201, (s, proposal)
    s, round_ = first.call("POST", "/api/v1/rounds", {"name": "Crash fund", "pot_pence": 100000,
                                                      "max_bid_pence": 50000, "method": "approval"})
    assert s == 201, (s, round_)
    for m in members[1:]:
        s, _ = m.call("POST", f"/api/v1/spaces/{space['id']}/join", {})
        assert s == 204, s
    offers = []
    for m in members:
        s, post = m.call("POST", "/api/v1/help/posts",
                         {"kind": "offer", "category": "company", "title": "A chat on the phone"})
        assert s == 201, (s, post)
        offers.append(post["id"])
    for i, m in enumerate(members):
        s, match = m.call("POST", f"/api/v1/help/posts/{offers[(i + 1) % len(members)]}/responses",
                          {"message": "I would like that"})
        assert s == 201, (s, match)
        m.match = match["id"]
    return members, proposal["id"], round_["id"]


class Ledger:
    """Every write the hub acknowledged, and each member's latest story (acknowledged or sent)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.comments, self.ideas, self.offers = set(), set(), set()
        self.asks = {}  # post id -> title, acknowledged this cycle
        self.messages = {}  # email -> messages acknowledged in their match
        self.circle = {}  # email -> names
        # email -> what the value may be now: the last acknowledged (None before the first),
        # and every value sent since that was never answered (the server may have kept it
        # before it was killed).
        self.story = {}
        self.stance = {}
        self.acknowledged = 0
        self.refused = []


def write_continuously(member, ledger, proposal, round_, cycle, stop, rng):
    n = 0
    while not stop.is_set():
        n += 1
        words = f"{member.email} cycle {cycle} write {n}"
        # Words on the help board and in matches must not look like contact details.
        plain = f"{member.email.split('@')[0]} cycle {cycle} write {n}"
        kind = rng.randrange(8)
        try:
            if kind == 0:
                s, _ = member.call("POST", f"/api/v1/proposals/{proposal}/comments",
                                   {"kind": "question", "body": words})
                acknowledged = s == 201
                if acknowledged:
                    with ledger.lock:
                        ledger.comments.add(words)
            elif kind == 1:
                with ledger.lock:
                    ledger.stance.setdefault(member.email, {None}).add(words)
                s, _ = member.call("PUT", f"/api/v1/proposals/{proposal}/stance",
                                   {"stance": "agree", "reason": words})
                acknowledged = s == 200
                if acknowledged:
                    with ledger.lock:
                        ledger.stance[member.email] = {words}
            elif kind == 2:
                s, _ = member.call("POST", "/api/v1/me/circle",
                                   {"ring": "community", "name": words[-40:]})
                acknowledged = s == 201
                if acknowledged:
                    with ledger.lock:
                        ledger.circle.setdefault(member.email, set()).add(words[-40:])
            elif kind == 3:
                s, _ = member.call("POST", f"/api/v1/rounds/{round_}/ideas", {"title": words})
                acknowledged = s == 201
                if acknowledged:
                    with ledger.lock:
                        ledger.ideas.add(words)
            elif kind == 4:
                with ledger.lock:
                    ledger.story.setdefault(member.email, {None}).add(words)
                s, _ = member.call("PUT", "/api/v1/me/profile",
                                   {"story": {"text": words, "visibility": "circle"}})
                acknowledged = s == 200
                if acknowledged:
                    with ledger.lock:
                        ledger.story[member.email] = {words}
            elif kind == 5:
                s, post = member.call("POST", "/api/v1/help/posts",
                                      {"kind": "ask", "category": "shopping", "title": plain})
                acknowledged = s == 201
                if acknowledged:
                    with ledger.lock:
                        ledger.asks[post["id"]] = plain
            elif kind == 6:
                s, _ = member.call("POST", f"/api/v1/help/matches/{member.match}/messages",
                                   {"message": plain})
                acknowledged = s == 201
                if acknowledged:
                    with ledger.lock:
                        ledger.messages.setdefault(member.email, set()).add(plain)
            else:
                record = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                          "name": "Crash-loop offer", "description": "Made by a crash loop",
                          "status": "active"}
                s, _ = member.call("POST", "/api/v1/directory/suggestions",
                                   {"record": record, "why": words})
                acknowledged = s == 201
                if acknowledged:
                    with ledger.lock:
                        ledger.offers.add(words)
            if acknowledged:
                with ledger.lock:
                    ledger.acknowledged += 1
            else:
                # A refusal while the hub runs is a failure too (a 5xx most of all).
                with ledger.lock:
                    ledger.refused.append(f"{s} for write kind {kind} by {member.email}")
        except (urllib.error.URLError, ConnectionError, OSError):
            # The server went away mid-request: this write was never acknowledged.
            return


def check_database(hub, pg_bin):
    if hub.database_url:
        amcheck = os.path.join(pg_bin, "pg_amcheck")
        r = subprocess.run([amcheck, "--install-missing", hub.database_url],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return "pg_amcheck: " + (r.stdout + r.stderr).strip()
        return None
    files = [f for f in glob.glob(os.path.join(hub.data_dir, "*.db")) +
             glob.glob(os.path.join(hub.data_dir, "*.sqlite"))]
    if not files:
        return "no SQLite database found in " + hub.data_dir
    db = sqlite3.connect(files[0])
    result = db.execute("PRAGMA integrity_check").fetchall()
    db.close()
    return None if result == [("ok",)] else f"integrity_check: {result}"


def check_kept(members, ledger, proposal, round_):
    """The acknowledged writes missing after the restart."""
    lost = []
    first = members[0]
    s, p = first.call("GET", f"/api/v1/proposals/{proposal}")
    assert s == 200, (s, p)
    kept = {c["body"] for c in p["comments"]}
    lost += [("comment", c) for c in ledger.comments - kept]
    s, r = first.call("GET", f"/api/v1/rounds/{round_}")
    assert s == 200, (s, r)
    kept = {i["title"] for i in r["ideas"]}
    lost += [("idea", i) for i in ledger.ideas - kept]
    for m in members:
        s, p = m.call("GET", f"/api/v1/proposals/{proposal}")
        mine = [x.get("reason") for x in p["stances"] if x.get("mine")]
        may_be = ledger.stance.get(m.email)
        if may_be and (mine[0] if mine else None) not in may_be:
            lost.append(("stance", max(w for w in may_be if w)))
        s, circle = m.call("GET", "/api/v1/me/circle")
        kept = {e["name"] for e in circle["entries"]}
        lost += [("circle", c) for c in ledger.circle.get(m.email, set()) - kept]
        s, me = m.call("GET", "/api/v1/me/profile")
        # A member with no story is shown an empty one: that is "no story yet".
        story = (me.get("story") or {}).get("text") or None
        may_be = ledger.story.get(m.email)
        if may_be and story not in may_be:
            lost.append(("story", max(w for w in may_be if w)))
        # The list shows a member's newest suggestions only, so each is checked after the
        # cycle it was made in (a kept row is never taken away later).
        s, mine = m.call("GET", "/api/v1/directory/suggestions")
        assert s == 200, (s, mine)
        kept = {x["why"] for x in mine}
        lost += [("suggestion", o) for o in ledger.offers
                 if o.startswith(m.email + " ") and o not in kept]
        s, match = m.call("GET", f"/api/v1/help/matches/{m.match}")
        assert s == 200, (s, match)
        kept = {x["body"] for x in match["messages"]}
        lost += [("message", x) for x in ledger.messages.get(m.email, set()) - kept]
    for post, title in ledger.asks.items():
        s, p = first.call("GET", f"/api/v1/help/posts/{post}")
        if s != 200 or p.get("title") != title:
            lost.append(("ask", title))
    return lost


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--cycles", type=int, default=100)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--database-url", help="PostgreSQL; SQLite in a temporary folder if absent")
    parser.add_argument("--pg-bin", default="")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--most-seconds", type=float, default=2.0,
                        help="kill the server at a random moment up to this long after it starts")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    backend = "PostgreSQL" if args.database_url else "SQLite"
    data_dir = tempfile.mkdtemp(prefix="village-crash-")
    hub = Hub(os.path.abspath(args.bin), data_dir, args.database_url)
    members, proposal, round_ = setup(hub, args.clients)
    ledger = Ledger()
    problems = []
    lost_total = {}  # (kind, words) -> the cycle after which it was found missing
    for cycle in range(1, args.cycles + 1):
        stop = threading.Event()
        threads = [threading.Thread(target=write_continuously, args=(
            m, ledger, proposal, round_, cycle, stop, random.Random(rng.random())))
            for m in members]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.05, args.most_seconds))
        hub.kill()
        stop.set()
        for t in threads:
            t.join()
        problems += [f"cycle {cycle}: refused: {r}" for r in ledger.refused]
        ledger.refused.clear()
        problem = check_database(hub, args.pg_bin)
        if problem:
            problems.append(f"cycle {cycle}: {problem}")
        hub.start()
        try:
            with urllib.request.urlopen(hub.base + "/healthz", timeout=30) as r:
                if r.status != 200:
                    problems.append(f"cycle {cycle}: /healthz answered {r.status}")
        except urllib.error.URLError as e:
            problems.append(f"cycle {cycle}: the hub does not serve after a restart: {e}")
        lost = check_kept(members, ledger, proposal, round_)
        ledger.offers.clear()
        ledger.asks.clear()
        for x in lost:
            lost_total.setdefault(x, cycle)
    hub.kill()
    print(f"{backend}: {args.cycles} cycles, {ledger.acknowledged} acknowledged writes, "
          f"{len(lost_total)} lost (seed {seed})")
    if problems or lost_total:
        print("  the data is kept in " + data_dir)
    for p in problems:
        print("  " + p)
    for (kind, words), cycle in list(lost_total.items())[:20]:
        print(f"  lost after cycle {cycle}: {kind} {words!r}")
    if problems or lost_total:
        return 1
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
