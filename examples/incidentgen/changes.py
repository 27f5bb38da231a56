"""Change exports: the trigger, the mitigation and unrelated decoy changes, written as JSON
lines with any key names, CSV with a header row in shuffled column order and quoted commas,
`git log` output, or a feature-flag history with staged rollout steps. write_changes() returns
where each change landed (file and 1-based line) so the truth can name the trigger's record.

A change is a dict: time, kind (deploy, config, flag, infra, data, code), service, what, ref,
rollout ("" when the record says nothing), author, role (trigger, mitigation, step, decoy,
shipped, decoy_pr, range, prev_deploy), and optionally: extra (more fields, by their written name), sha
(a commit's own hash in a `git log`), export ("git": always written to the git log), ships (the
changes a deploy names explicitly) and ships_range (for a deploy naming a commit of the git log:
the previous deploy's commit and its own; every commit listed between them is shipped too).

Deploys ship PRs and commits (plan_shipped): the PR record and the deploy may name each other by
a merge commit hash (short or full, in a field or in text), a PR number ("#N", GitLab's "!N", a
pull URL) or through a `git log` whose merge commit the deploy names, or not at all.
"""
import csv
import io
import json
import random

from . import clock

AUTHORS = ["a.nowak", "jlee", "m.garcia", "priya.s", "tkowalski", "deploy-bot", "ci-runner",
           "r.osei", "h.tanaka"]


def _sha(rng):
    return f"{rng.getrandbits(160):040x}"


def plan_changes(plan, rng):
    """The change records of the incident: trigger (and the earlier steps of a staged rollout),
    mitigation, decoys. Sets plan['trigger_one_step']."""
    F, B, kind = plan["front"], plan["back"], plan["scenario"]
    target = F if plan["on_service"] == "front" else B
    trig_kind = plan["trigger_kind"]
    t0 = plan["trigger_time"]
    out = []
    ver = f"v{rng.randrange(1, 5)}.{rng.randrange(100, 400)}.{rng.randrange(0, 9)}"
    prev = ver.rsplit(".", 1)[0] + "." + str(max(0, int(ver.rsplit(".", 1)[1]) - 1))
    one_step = False
    if trig_kind == "flag":
        flag = rng.choice(["new-pricing-path", "async-ledger-writes", "batch-lookups",
                           "v2-session-store", "eager-prefetch"])
        one_step = rng.random() < 0.25
        if not one_step:
            out.append(dict(time=t0 - rng.uniform(15, 50) * 60, kind="flag", service=target,
                            what=f"flag {flag} rollout 0% -> 10%", ref=flag, rollout="10%",
                            role="step"))
            out.append(dict(time=t0, kind="flag", service=target,
                            what=f"flag {flag} rollout 10% -> 50%", ref=flag, rollout="50%",
                            role="trigger"))
        else:
            out.append(dict(time=t0, kind="flag", service=target,
                            what=f"flag {flag} enabled for everyone", ref=flag, rollout="100%",
                            role="trigger"))
        out.append(dict(time=plan["recovery"] - rng.uniform(5, 40), kind="flag", service=target,
                        what=f"flag {flag} turned off", ref=flag, rollout="0%",
                        role="mitigation"))
    elif trig_kind == "deploy":
        one_step = rng.random() < 0.5
        if not one_step:
            out.append(dict(time=t0 - rng.uniform(10, 40) * 60, kind="deploy", service=target,
                            what=f"{target} {ver} canary", ref=ver, rollout="canary 5%",
                            role="step"))
        out.append(dict(time=t0, kind="deploy", service=target,
                        what=f"{target} {ver} deployed", ref=ver,
                        rollout=rng.choice(["100%", "all-at-once"]) if one_step else "100%",
                        role="trigger"))
        out.append(dict(time=plan["recovery"] - rng.uniform(5, 40), kind="deploy",
                        service=target, what=f"rollback {target} to {prev}", ref=prev,
                        rollout="100%", role="mitigation"))
    elif trig_kind == "config":
        what = {
            "bad_config": f"{target}: set upstream.{B}.url to https://{B}-v2.internal:8443",
            "cache_stampede": f"{target}: raise cache ttl from 30s to 300s, shared expiry",
        }.get(kind, f"{target}: config change")
        out.append(dict(time=t0, kind="config", service=target, what=what,
                        ref=f"PR #{rng.randrange(1000, 9999)}", rollout="", role="trigger"))
        out.append(dict(time=plan["recovery"] - rng.uniform(5, 40), kind="config",
                        service=target, what=f"revert: {what}",
                        ref=f"PR #{rng.randrange(1000, 9999)}", rollout="", role="mitigation"))
    else:
        what = {
            "expired_cert": f"restore secret tls-{target} from backup of the previous cluster",
            "dns_failure": f"coredns: forward zone svc.cluster.local to 10.{rng.randrange(9)}.0.53",
        }[kind]
        out.append(dict(time=t0, kind="infra", service=target, what=what,
                        ref=f"CHG{rng.randrange(10000, 99999)}", rollout="", role="trigger"))
        out.append(dict(time=plan["recovery"] - rng.uniform(5, 40), kind="infra",
                        service=target, what=f"revert {what}",
                        ref=f"CHG{rng.randrange(10000, 99999)}", rollout="", role="mitigation"))
    plan["trigger_one_step"] = one_step
    out += _decoys(plan, rng)
    for c in out:
        c["author"] = rng.choice(AUTHORS)
        c["time"] = float(int(c["time"]))  # every export writes whole seconds
    out += plan_shipped(plan, out)
    return sorted(out, key=lambda c: c["time"])


# How a deploy names what it shipped (plan_shipped), one per deploy that ships a PR.
LINK_MODES = ["none", "short_hash", "long_hash", "pr_number", "gitlab", "pr_url", "git"]
PR_SUBJECTS = ["bump dependencies to their latest patch releases", "rework summary rendering",
               "rename internal helpers", "upgrade the json library", "simplify the serializer",
               "move shared types into their own module"]
# Field names a deploy or PR record may carry a commit or a PR link under.
COMMIT_FIELDS = ["commit", "sha", "git_sha", "commit_sha", "merge_commit"]
LINK_FIELDS = ["pr", "pull_request", "pr_url", "link"]


def _hex(rng):
    return f"{rng.getrandbits(160):040x}"


def plan_shipped(plan, changes):
    """PR and commit records that deploys shipped, and how each deploy names them. Drawn from a
    random stream of its own (seeded by the seed), so the rest of the bundle is what it was.
    The trigger, when it is a deploy, ships one PR named in one of LINK_MODES (or not named:
    "none"); a decoy deploy may ship its own PR, named by hash or number. Sets
    plan['link_mode']."""
    lrng = random.Random(plan["seed"] * 104729 + 11)
    added = []
    mode = None
    used = set()
    trigger = next(c for c in changes if c["role"] == "trigger")
    if trigger["kind"] == "deploy":
        mode = lrng.choice(LINK_MODES)
        steps = [c for c in changes if c["kind"] == "deploy" and c["role"] in ("trigger", "step")]
        added += _ship(lrng, plan, steps, mode, "shipped", used)
    decoys = [c for c in changes if c["role"] == "decoy" and c["kind"] == "deploy" and
              c["rollout"] == "100%"]
    if decoys and lrng.random() < 0.4:
        d = lrng.choice(decoys)
        steps = [c for c in changes if c["role"] == "decoy" and c["kind"] == "deploy" and
                 c["service"] == d["service"] and c["ref"] == d["ref"]]
        added += _ship(lrng, plan, steps, lrng.choice(["short_hash", "pr_number"]), "decoy_pr", used)
    for c in added:
        c["author"] = lrng.choice(AUTHORS)
        c["time"] = float(int(c["time"]))
    plan["link_mode"] = mode
    return added


def _ship(lrng, plan, deploys, mode, role, used):
    """A PR merged before `deploys` (a release's steps), named by them as `mode` says; with
    "git", the merge commit in a git log with the commit of the service's previous deploy and
    commits between the two. PR numbers n-9..n are taken from `used`."""
    svc = deploys[0]["service"]
    first = min(d["time"] for d in deploys)
    # Apart from the decoys' PR numbers (1000-9999) and from each other: no chance link.
    n = lrng.randrange(10010, 99999)
    while any(n - k in used for k in range(-9, 10)):
        n = lrng.randrange(10010, 99999)
    used.update(n - k for k in range(10))
    sha = _hex(lrng)
    subject = lrng.choice(PR_SUBJECTS)
    pr = dict(time=first - lrng.uniform(3, 40) * 60, kind="code", service=svc,
              what=f"PR #{n} merged: {subject}", ref=f"PR #{n}", rollout="", role=role,
              extra={})
    out = [pr]
    named = True
    for d in deploys:
        d.setdefault("extra", {})
    if mode == "short_hash":
        pr["extra"][lrng.choice(COMMIT_FIELDS)] = sha
        key, digits = lrng.choice(COMMIT_FIELDS), lrng.randrange(7, 13)
        for d in deploys:
            d["extra"][key] = sha[:digits]
    elif mode == "long_hash":
        pr["what"] += f" (merge commit {sha[:10]})"
        key = lrng.choice(COMMIT_FIELDS)
        for d in deploys:
            d["extra"][key] = sha
    elif mode == "pr_number":
        for d in deploys:
            d["what"] += f", ships #{n}"
    elif mode == "gitlab":
        pr["what"], pr["ref"] = f"!{n} merged: {subject}", f"!{n}"
        for d in deploys:
            d["what"] += f" (MR !{n})"
    elif mode == "pr_url":
        key = lrng.choice(LINK_FIELDS)
        for d in deploys:
            d["extra"][key] = f"https://github.com/acme/{svc}/pull/{n}"
    elif mode == "git":
        branch = lrng.choice(["fix/handler", "feat/summary", "chore/deps", "refactor/types"])
        pr.update(what=f"Merge pull request #{n} from acme/{branch}", sha=sha, export="git")
        key = lrng.choice(COMMIT_FIELDS)
        for d in deploys:
            d["extra"][key] = sha[:7]
        # The previous release: its deploy hours before, naming its own commit, and the commits
        # merged since; the git log lists them all.
        prev_t = first - lrng.uniform(2, 4) * 3600
        base_sha = _hex(lrng)
        base = dict(time=prev_t - lrng.uniform(5, 30) * 60, kind="code", service=svc,
                    what=f"{svc}: {lrng.choice(PR_SUBJECTS)}", ref=f"PR #{n - 7}",
                    rollout="", role="range", sha=base_sha, export="git", extra={})
        ver = deploys[0]["ref"]
        prev_deploy = dict(time=prev_t, kind="deploy", service=svc,
                           what=f"{svc} {ver}-prev deployed", ref=f"{ver}-prev", rollout="",
                           role="prev_deploy", extra={key: base_sha[:7]}, ships=[base])
        between = [dict(time=lrng.uniform(prev_t + 60, pr["time"] - 60), kind="code",
                        service=svc, what=f"{svc}: {lrng.choice(PR_SUBJECTS)}",
                        ref=f"PR #{n - k}", rollout="", role="range", sha=_hex(lrng),
                        export="git", extra={})
                   for k in range(1, lrng.randint(2, 3))]
        out += [base, prev_deploy] + between
        for d in deploys:
            d["ships_range"] = (base, pr)
    else:
        named = False
    for d in deploys:
        d["ships"] = d.get("ships", []) + ([pr] if named else [])
    return out


def _decoys(plan, rng):
    """Unrelated changes: other services' deploys (staged, so no one-step rollout is planted by
    them), config and infra work, a migration; one may land between the trigger and the onset."""
    others = ["search", "mailer", "thumbs", "geo", "audit", "billing-batch", "web-static",
              "warehouse-sync"]
    out = []
    n = rng.randint(4, 8)
    for i in range(n):
        svc = rng.choice(others)
        if i == 0 and rng.random() < 0.6:
            t = rng.uniform(plan["trigger_time"], plan["onset"] - 5)
        else:
            t = rng.uniform(plan["start"] - 3 * 3600, plan["end"])
        k = rng.choice(["deploy", "deploy", "config", "infra", "data"])
        ver = f"v{rng.randrange(1, 30)}.{rng.randrange(0, 60)}"
        if k == "deploy":
            out.append(dict(time=t - rng.uniform(600, 1800), kind="deploy", service=svc,
                            what=f"{svc} {ver} canary", ref=ver, rollout="canary 10%",
                            role="decoy"))
            out.append(dict(time=t, kind="deploy", service=svc, what=f"{svc} {ver} deployed",
                            ref=ver, rollout="100%", role="decoy"))
        elif k == "config":
            out.append(dict(time=t, kind="config", service=svc,
                            what=f"{svc}: log level debug, sampling 0.1",
                            ref=f"PR #{rng.randrange(1000, 9999)}",
                            rollout="", role="decoy"))
        elif k == "infra":
            out.append(dict(time=t, kind="infra", service=svc,
                            what=f"scale node group {svc}-ng from 6 to 8 nodes",
                            ref=f"CHG{rng.randrange(10000, 99999)}", rollout="", role="decoy"))
        else:
            out.append(dict(time=t, kind="data", service=svc,
                            what=f"migration 0{rng.randrange(100, 999)} add index on {svc}.events",
                            ref=f"m{rng.randrange(100, 999)}", rollout="", role="decoy"))
    return out


# Column names of CSV and JSON-lines exports: one is picked per file for each field.
FIELD_NAMES = {
    "time": ["timestamp", "time", "created_at", "deployed_at", "when", "date"],
    "service": ["service", "app", "component", "application"],
    "kind": ["type", "kind", "change_type", "category"],
    "what": ["description", "summary", "message", "details"],
    "ref": ["version", "ref", "revision", "change_id"],
    "rollout": ["rollout", "strategy", "percentage", "rollout_pct"],
    "author": ["author", "user", "actor", "changed_by"],
}


def _time_text(t, form, zone):
    if form == "iso_z":
        return clock.iso_z(t, 0)
    if form == "iso_offset":
        return clock.iso_offset(t, zone, 0)
    if form == "space_utc":
        return clock.utc(t).strftime("%Y-%m-%d %H:%M:%S") + " UTC"
    return int(round(t))


def render_jsonl(changes, rng):
    names = {k: rng.choice(v) for k, v in FIELD_NAMES.items()}
    form = rng.choice(["iso_z", "iso_offset", "epoch"])
    zone = rng.choice([60, 120, -240, -420, 330, 540])
    lines = []
    for c in changes:
        o = {names["time"]: _time_text(c["time"], form, zone), names["service"]: c["service"],
             names["kind"]: c["kind"], names["what"]: c["what"], names["ref"]: c["ref"],
             names["author"]: c["author"]}
        if c["rollout"]:
            o[names["rollout"]] = c["rollout"]
        o.update(c.get("extra", {}))
        lines.append(json.dumps(o))
    return lines, list(range(1, len(changes) + 1))


def render_csv(changes, rng):
    names = {k: rng.choice(v) for k, v in FIELD_NAMES.items()}
    cols = list(names)
    rng.shuffle(cols)
    form = rng.choice(["iso_z", "iso_offset", "space_utc"])
    zone = rng.choice([60, 120, -240, -420, 330, 540])
    # Some exports keep a multi-line description (a quoted field with a line break), so a
    # record's line is where it starts, not its row number.
    multiline = rng.random() < 0.4
    # Extra fields (a commit, a PR link) are columns of their own, empty in the other rows.
    extras = sorted({k for c in changes for k in c.get("extra", {})} - set(names.values()))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([names[c] for c in cols] + extras)
    where = []
    for c in changes:
        what = c["what"] + f", approved by {c['author']}, ticket {c['ref']}"
        if multiline and c["role"] == "decoy":
            what += "\nrollback plan: redeploy the previous version"
        where.append(buf.getvalue().count("\n") + 1)
        w.writerow([dict(c, time=_time_text(c["time"], form, zone), what=what)[k] for k in cols] +
                   [c.get("extra", {}).get(k, "") for k in extras])
    return buf.getvalue().rstrip("\n").split("\n"), where


def render_git(changes, rng):
    """`git log` (default or --pretty=fuller), newest first; a change's line is its
    `commit` line."""
    fuller = rng.random() < 0.5
    zone = rng.choice([0, 60, 120, -300, -420, 330])
    lines, where = [], {}
    for i, c in sorted(enumerate(changes), key=lambda x: -x[1]["time"]):
        where[i] = len(lines) + 1
        d = clock.local(c["time"], zone)
        date = f"{clock.DAYS[d.weekday()]} {clock.MONTHS[d.month - 1]} {d.day} " \
               f"{d.strftime('%H:%M:%S')} {d.year} {clock.offset_text(zone, 'compact')}"
        lines.append(f"commit {c['sha'] if 'sha' in c else _sha(rng)}")
        who = f"{c['author']} <{c['author']}@example.com>"
        if fuller:
            lines += [f"Author:     {who}", f"AuthorDate: {date}", f"Commit:     {who}",
                      f"CommitDate: {date}"]
        else:
            lines += [f"Author: {who}", f"Date:   {date}"]
        lines += ["", f"    {c['what']} ({c['ref']})", "",
                  f"    service: {c['service']}", ""]
    return lines, [where[i] for i in range(len(changes))]


def render_flags(changes, rng):
    """A feature-flag audit history: one JSON object per line, epoch milliseconds."""
    lines = []
    prev = {}
    for c in changes:
        o = {"date": int(round(c["time"] * 1000)), "kind": "flag", "flagKey": c["ref"],
             "action": "updateFallthrough", "environment": "production",
             "previous": prev.get(c["ref"], "0%"), "rollout": c["rollout"] or "100%",
             "member": {"email": f"{c['author']}@example.com"}, "description": c["what"],
             "project": c["service"]}
        prev[c["ref"]] = o["rollout"]
        lines.append(json.dumps(o))
    return lines, list(range(1, len(changes) + 1))


RENDERERS = {"jsonl": render_jsonl, "csv": render_csv, "git": render_git,
             "flags": render_flags}


def assign_files(changes, rng):
    """Which export each change goes to: flags to a flag history, repository changes (config,
    infra) possibly to git log, the rest to one or two JSON-lines or CSV exports."""
    main = rng.choice(["jsonl", "csv"])
    second = rng.choice(["jsonl", "csv", "git", None])
    files = {}
    decoy_file = {}  # the records of one decoy (its canary and full steps) stay together
    for c in changes:
        if c.get("export") == "git":
            fmt = "git"
        elif c["kind"] == "flag":
            fmt = "flags"
        elif c["kind"] in ("config", "infra") and second == "git":
            fmt = "git"
        elif second in ("jsonl", "csv") and c["role"] == "decoy":
            key = (c["service"], c["ref"])
            if key not in decoy_file:
                decoy_file[key] = second + "2" if rng.random() < 0.5 else main
            fmt = decoy_file[key]
        else:
            fmt = main
        files.setdefault(fmt, []).append(c)
    return files
