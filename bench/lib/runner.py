#!/usr/bin/env python3
"""bench/lib/runner.py: the measurements of bench/run (which checks the prerequisites first).

Run it through bench/run; its options are bench/run's:
  --sizes 10,30,100      service counts to measure (default 10,30,100)
  --tool PATH            the sprocketctl binary (required unless --docker-only)
  --docker-only          only docker stack deploy (no sprocketctl runs, no plan)
  --plan-services N,M    sizes of the specs given to `sprocketctl plan --offline` (default 2000,10000)
  --timeout SECONDS      limit for one deploy or one wait (default 900)
  --out DIR              where the JSON goes (default bench-results)
  --sprocketctl-direct   do not put the API-counting proxy in front of sprocketctl

Standard library only.
"""

import argparse
import datetime
import json
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(ROOT, "bench")
DOCKER_STACK = "bench-dk"          # docker stack deploy's stack: objects bench-dk_<name>
SP_STACK, SP_ENV = "bench", "sp"   # sprocketctl's stack and environment: objects bench-sp_<name>
SP_PREFIX = f"{SP_STACK}-{SP_ENV}_"
DK_PREFIX = f"{DOCKER_STACK}_"


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class BenchError(Exception):
    pass


def run(cmd, env=None, timeout=None, check=True, capture=True):
    """Run a command; returns (returncode, stdout, stderr, seconds)."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    t0 = time.monotonic()
    try:
        proc = subprocess.run(
            cmd, env=full_env, timeout=timeout, text=True,
            stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BenchError(f"timed out after {timeout}s: {' '.join(cmd)}") from exc
    seconds = time.monotonic() - t0
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stderr or "").strip().splitlines()[-15:])
        raise BenchError(f"exit {proc.returncode}: {' '.join(cmd)}\n{tail}")
    return proc.returncode, proc.stdout or "", proc.stderr or "", seconds


def docker_lines(*args):
    return [line for line in run(["docker", *args])[1].splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------
# The API-counting proxy

class Proxy:
    """bench/docker-api-proxy.py in the background; .env points a client at it."""

    def __init__(self, workdir, name):
        self.sock = os.path.join(workdir, f"{name}.sock")
        self.out = os.path.join(workdir, f"{name}.counts.json")
        self.proc = None
        self.counts = None

    def __enter__(self):
        for path in (self.sock, self.out):
            if os.path.exists(path):
                os.unlink(path)
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(BENCH, "docker-api-proxy.py"), self.sock, "--out", self.out],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 15
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"the API proxy did not start: {self.proc.stderr.read() if self.proc.stderr else ''}")
            time.sleep(0.05)
        return self

    @property
    def env(self):
        return {"DOCKER_HOST": f"unix://{self.sock}"}

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stderr:
            self.proc.stderr.close()
        try:
            with open(self.out, encoding="utf-8") as f:
                self.counts = json.load(f)
        except (OSError, ValueError):
            self.counts = None
        return False

    def calls(self):
        if not self.counts:
            return None
        return {"total": self.counts["total"], "mutating": self.counts["mutating"],
                "byEndpoint": self.counts["byEndpoint"]}


# ------------------------------------------------------------------------------------------
# Swarm helpers

def service_replicas(prefix):
    """{service name: (running, desired)} for the services whose name starts with prefix."""
    out = {}
    for line in docker_lines("service", "ls", "--format", "{{.Name}} {{.Replicas}}"):
        name, _, replicas = line.partition(" ")
        if not name.startswith(prefix):
            continue
        m = re.match(r"(\d+)/(\d+)", replicas.strip())
        out[name] = (int(m.group(1)), int(m.group(2))) if m else (0, -1)
    return out


def wait_ready(prefix, n, timeout):
    """Poll `docker service ls` until n services with the prefix run all their replicas."""
    t0 = time.monotonic()
    polls = 0
    while True:
        polls += 1
        reps = service_replicas(prefix)
        if len(reps) == n and all(desired > 0 and running == desired for running, desired in reps.values()):
            return time.monotonic() - t0, polls
        if time.monotonic() - t0 > timeout:
            ready = sum(1 for r, d in reps.values() if d > 0 and r == d)
            raise BenchError(f"{prefix}*: {ready}/{n} services ready after {timeout}s")
        time.sleep(0.25)


def update_marks(names):
    """{service name: UpdateStatus.StartedAt or ""} of the named services (missing ones left out)."""
    out = {}
    code, text, _, _ = run(["docker", "service", "inspect", "--format",
                            "{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}} "
                            "{{.UpdateStatus.StartedAt}}{{end}}", *names], check=False)
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if parts and parts[0]:
            out[parts[0]] = (parts[1] if len(parts) > 1 else "", parts[2] if len(parts) > 2 else "")
    return out


def wait_updated(prefix, n, names, before, timeout):
    """Poll until each named service finished a rolling update started after `before`
    (UpdateStatus.State "completed" with a new StartedAt) and all n services run all replicas."""
    t0 = time.monotonic()
    polls = 0
    while True:
        polls += 1
        marks = update_marks(names)
        pending = [name for name in names
                   if marks.get(name, ("", ""))[0] != "completed"
                   or marks.get(name, ("", ""))[1] == before.get(name, ("", ""))[1]]
        failed = [f"{name}: {marks[name][0]}" for name in names
                  if marks.get(name, ("", ""))[0] in ("paused", "rollback_started", "rollback_completed",
                                                       "rollback_paused")]
        if failed:
            raise BenchError(f"update failed: {', '.join(failed)}")
        if not pending:
            reps = service_replicas(prefix)
            if len(reps) == n and all(d > 0 and r == d for r, d in reps.values()):
                return time.monotonic() - t0, polls
        if time.monotonic() - t0 > timeout:
            raise BenchError(f"{', '.join(pending) or prefix + '*'} not updated after {timeout}s")
        time.sleep(0.25)


def generate(n, gen, changed_rev=1, secret_rev=1):
    """(Re)write the stack folders of size n: base (1, 1), one service changed, secret rotated."""
    run([sys.executable, os.path.join(BENCH, "gen-stack.py"), str(n), gen, "--stack", SP_STACK, "--env", SP_ENV,
         "--changed-rev", str(changed_rev), "--secret-rev", str(secret_rev)])
    return os.path.join(gen, "compose", "docker-compose.yml"), os.path.join(gen, "sprocket")


def changed_names(prefix, n):
    """Object names of the service the "changed" variant edits (the last one) and of the secret's consumers."""
    width = max(3, len(str(n)))
    last = [f"{prefix}svc-{n:0{width}d}"]
    consumers = [f"{prefix}svc-{i:0{width}d}" for i in range(1, min(3, n) + 1)]
    return last, consumers


def leftovers(prefix):
    services = [l for l in docker_lines("service", "ls", "--format", "{{.Name}}") if l.startswith(prefix)]
    containers = [
        l.split(" ", 1)[0]
        for l in docker_lines("ps", "-a", "--format", '{{.ID}} {{.Label "com.docker.swarm.service.name"}}')
        if l.partition(" ")[2].startswith(prefix)
    ]
    networks = [l for l in docker_lines("network", "ls", "--format", "{{.Name}}") if l.startswith(prefix)]
    secrets = [l for l in docker_lines("secret", "ls", "--format", "{{.Name}}") if l.startswith(prefix)]
    configs = [l for l in docker_lines("config", "ls", "--format", "{{.Name}}") if l.startswith(prefix)]
    return services, containers, networks, secrets, configs


def remove_all(prefix, timeout=300):
    """Remove every service, network, secret and config named prefix*, and wait for their tasks."""
    t0 = time.monotonic()
    while True:
        services, containers, networks, secrets, configs = leftovers(prefix)
        if not (services or containers or networks or secrets or configs):
            return time.monotonic() - t0
        if services:
            run(["docker", "service", "rm", *services], check=False)
        elif not containers:
            for kind, names in (("network", networks), ("secret", secrets), ("config", configs)):
                if names:
                    run(["docker", kind, "rm", *names], check=False)
        if time.monotonic() - t0 > timeout:
            raise BenchError(f"could not clean up {prefix}* within {timeout}s")
        time.sleep(0.5)


def wait_gone(prefix, timeout=300):
    t0 = time.monotonic()
    while any(leftovers(prefix)):
        if time.monotonic() - t0 > timeout:
            raise BenchError(f"{prefix}* still there after {timeout}s")
        time.sleep(0.5)
    return time.monotonic() - t0


# ------------------------------------------------------------------------------------------
# The scenarios

def docker_deploy(compose, extra, workdir, name, timeout):
    with Proxy(workdir, name) as proxy:
        _, _, _, seconds = run(
            ["docker", "stack", "deploy", "-c", compose, *extra, DOCKER_STACK],
            env=proxy.env, timeout=timeout)
    return seconds, proxy.calls()


def cli_has_detach():
    """docker CLI 26 and later have `stack deploy --detach`; 20.10's always returns at once."""
    return "--detach" in run(["docker", "stack", "deploy", "--help"], check=False)[1]


def bench_docker(n, gen, workdir, timeout):
    res = {}
    compose, _ = generate(n, gen)
    has_detach = cli_has_detach()
    detached = ["--detach=true"] if has_detach else []
    log(f"N={n}: docker stack deploy --detach=true, then polling docker service ls")
    remove_all(DK_PREFIX)
    seconds, calls = docker_deploy(compose, detached, workdir, f"dk-detached-{n}", timeout)
    ready, polls = wait_ready(DK_PREFIX, n, timeout)
    res["coldDetachedPoll"] = {"command": "docker stack deploy --detach=true + poll docker service ls",
                               "seconds": round(seconds, 3), "readySeconds": round(seconds + ready, 3),
                               "polls": polls, "calls": calls}

    # The default --resolve-image always asks a registry for each image's digest; none is reachable
    # here, and those failed lookups can take seconds: measure without them too.
    run(["docker", "stack", "rm", DOCKER_STACK], check=False)
    remove_all(DK_PREFIX)
    log(f"N={n}: docker stack deploy --detach=true --resolve-image never, then polling")
    seconds, calls = docker_deploy(compose, [*detached, "--resolve-image", "never"], workdir,
                                   f"dk-detached-noresolve-{n}", timeout)
    ready, polls = wait_ready(DK_PREFIX, n, timeout)
    res["coldDetachedPollNoResolve"] = {
        "command": "docker stack deploy --detach=true --resolve-image never + poll docker service ls",
        "seconds": round(seconds, 3), "readySeconds": round(seconds + ready, 3),
        "polls": polls, "calls": calls}

    log(f"N={n}: docker stack rm")
    _, _, _, seconds = run(["docker", "stack", "rm", DOCKER_STACK], check=False)
    res["remove"] = {"command": "docker stack rm", "seconds": round(seconds, 3),
                     "goneSeconds": round(seconds + remove_all(DK_PREFIX), 3)}

    if has_detach:
        log(f"N={n}: docker stack deploy --detach=false")
        seconds, calls = docker_deploy(compose, ["--detach=false"], workdir, f"dk-attached-{n}", timeout)
        ready, _ = wait_ready(DK_PREFIX, n, timeout)
        res["coldAttached"] = {"command": "docker stack deploy --detach=false",
                               "seconds": round(seconds, 3), "readySeconds": round(seconds + ready, 3),
                               "calls": calls}
    else:
        log(f"N={n}: this docker CLI has no `stack deploy --detach=false`: skipping that scenario")
        docker_deploy(compose, [], workdir, f"dk-attached-{n}", timeout)
        wait_ready(DK_PREFIX, n, timeout)

    log(f"N={n}: docker stack deploy --resolve-image never (no change)")
    seconds, calls = docker_deploy(compose, ["--resolve-image", "never", *detached], workdir,
                                   f"dk-noop-{n}", timeout)
    ready, _ = wait_ready(DK_PREFIX, n, timeout)
    res["noop"] = {"command": "docker stack deploy --resolve-image never --detach=true",
                   "seconds": round(seconds, 3), "readySeconds": round(seconds + ready, 3), "calls": calls}

    log(f"N={n}: docker stack deploy, default --resolve-image (no change)")
    seconds, calls = docker_deploy(compose, detached, workdir, f"dk-noop-resolve-{n}", timeout)
    ready, _ = wait_ready(DK_PREFIX, n, timeout)
    res["noopResolve"] = {"command": "docker stack deploy --detach=true",
                          "seconds": round(seconds, 3), "readySeconds": round(seconds + ready, 3), "calls": calls}

    last, consumers = changed_names(DK_PREFIX, n)
    for key, label, variant, names in (("changed", "one service's environment changed", (2, 1), last),
                                       ("rotated", "a secret of 3 services rotated (new secret name)", (2, 2),
                                        consumers)):
        compose, _ = generate(n, gen, *variant)
        log(f"N={n}: docker stack deploy --resolve-image never ({label}), then polling its update")
        before = update_marks(names)
        seconds, calls = docker_deploy(compose, ["--resolve-image", "never", *detached], workdir,
                                       f"dk-{key}-{n}", timeout)
        ready, polls = wait_updated(DK_PREFIX, n, names, before, timeout)
        res[key] = {"command": "docker stack deploy --resolve-image never --detach=true + poll docker service inspect",
                    "seconds": round(seconds, 3), "readySeconds": round(seconds + ready, 3), "polls": polls,
                    "calls": calls}

    run(["docker", "stack", "rm", DOCKER_STACK], check=False)
    remove_all(DK_PREFIX)
    return res


def sprocket_up(tool, stack_dir, workdir, name, timeout, direct):
    """Run `sprocketctl up --json`; returns a result dict (with "error" when it failed)."""
    cmd = [tool, "up", "-f", stack_dir, "--env", SP_ENV, "--yes", "--json"]
    if direct:
        code, out, err, seconds = run(cmd, timeout=timeout, check=False)
        proxy_calls = None
    else:
        with Proxy(workdir, name) as proxy:
            code, out, err, seconds = run(cmd, env=proxy.env, timeout=timeout, check=False)
        proxy_calls = proxy.calls()
    result = {"command": " ".join(["sprocketctl", *cmd[1:]]), "seconds": round(seconds, 3),
              "exitCode": code, "proxyCalls": proxy_calls}
    summary = None
    for line in reversed(out.splitlines()):
        line = line.strip()
        if not line:
            continue
        try:
            summary = json.loads(line)
        except ValueError:
            summary = None
        break
    if not isinstance(summary, dict) or summary.get("event") != "summary":
        result["error"] = "no summary line at the end of stdout"
    else:
        result["summary"] = summary
        calls = summary.get("dockerCalls") or {}
        result["calls"] = {"total": calls.get("total"), "mutating": calls.get("mutating")}
        result["changes"] = summary.get("changes")
        result["toolSeconds"] = summary.get("seconds")
        if summary.get("outcome") != "succeeded":
            result["error"] = f"outcome {summary.get('outcome')!r}"
    if code != 0:
        result["error"] = f"exit {code}" + (f" ({result['error']})" if "error" in result else "")
    if "error" in result:
        result["stderrTail"] = err.strip().splitlines()[-10:]
        log(f"  sprocketctl up failed: {result['error']}")
    return result


def bench_sprocketctl(n, tool, gen, workdir, timeout, direct):
    res = {}
    _, stack_dir = generate(n, gen)
    remove_all(SP_PREFIX)
    log(f"N={n}: sprocketctl up (cold)")
    cold = sprocket_up(tool, stack_dir, workdir, f"sp-cold-{n}", timeout, direct)
    if "error" not in cold:
        try:
            ready, _ = wait_ready(SP_PREFIX, n, timeout)
            cold["readySeconds"] = round(cold["seconds"] + ready, 3)
        except BenchError as exc:
            cold["error"] = str(exc)
    res["cold"] = cold

    if "error" not in cold:
        log(f"N={n}: sprocketctl up (no change)")
        noop = sprocket_up(tool, stack_dir, workdir, f"sp-noop-{n}", timeout, direct)
        if "error" not in noop:
            noop["readySeconds"] = noop["seconds"]
            if noop.get("changes") not in (0, None):
                noop["warning"] = f"a redeploy of the same spec made {noop['changes']} change(s)"
                log(f"  warning: {noop['warning']}")
        res["noop"] = noop

        last, consumers = changed_names(SP_PREFIX, n)
        for key, label, variant, names in (("changed", "one service's environment changed", (2, 1), last),
                                           ("rotated", "a secret of 3 services rotated", (2, 2), consumers)):
            _, stack_dir = generate(n, gen, *variant)
            log(f"N={n}: sprocketctl up ({label})")
            before = update_marks(names)
            r = sprocket_up(tool, stack_dir, workdir, f"sp-{key}-{n}", timeout, direct)
            if "error" not in r:
                try:
                    ready, _ = wait_updated(SP_PREFIX, n, names, before, timeout)
                    r["readySeconds"] = round(r["seconds"] + ready, 3)
                except BenchError as exc:
                    r["error"] = str(exc)
            res[key] = r
            if "error" in r:
                break

    log(f"N={n}: sprocketctl down")
    code, _, err, seconds = run([tool, "down", "-f", stack_dir, "--env", SP_ENV, "--yes"],
                                timeout=timeout, check=False)
    down = {"seconds": round(seconds, 3), "exitCode": code}
    if code != 0:
        down["error"] = f"exit {code}"
        down["stderrTail"] = err.strip().splitlines()[-10:]
    else:
        try:
            down["goneSeconds"] = round(seconds + wait_gone(SP_PREFIX, timeout=120), 3)
        except BenchError as exc:
            down["error"] = str(exc)
    res["down"] = down
    remove_all(SP_PREFIX)
    return res


def bench_plan(tool, n, workdir, timeout):
    gen = os.path.join(workdir, f"plan-{n}")
    run([sys.executable, os.path.join(BENCH, "gen-stack.py"), str(n), gen, "--stack", SP_STACK, "--env", SP_ENV])
    cmd = ["/usr/bin/time", "-v", tool, "plan", "-f", os.path.join(gen, "sprocket"), "--env", SP_ENV, "--offline"]
    log(f"sprocketctl plan --offline of {n} services")
    code, _, err, seconds = run(cmd, timeout=timeout, check=False, capture=False)
    res = {"services": n, "command": " ".join(["sprocketctl", *cmd[3:]]), "seconds": round(seconds, 3),
           "exitCode": code}
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    if m:
        res["maxRSSKiB"] = int(m.group(1))
    if code != 0:
        res["error"] = f"exit {code}"
        res["stderrTail"] = [l for l in err.strip().splitlines() if not l.startswith("\t")][-10:]
    return res


# ------------------------------------------------------------------------------------------
# Report

def fmt_num(v, digits=2):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return round(a / b, 3)


def calls_of(r, key):
    c = (r or {}).get("calls") or {}
    return c.get(key)


def table(rows, headers, aligns):
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    def line(cells):
        return "  ".join(c.rjust(w) if a == ">" else c.ljust(w) for c, w, a in zip(cells, widths, aligns)).rstrip()
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    return "\n".join(out)


def report(results):
    lines = []
    env = results["environment"]
    lines.append(f"sprocketctl vs docker stack deploy: {results['date']}")
    lines.append(f"engine {env['serverVersion']} (API {env['apiVersion']}), docker CLI {env['cliVersion']}, "
                 f"{env['cpus']} CPUs, kernel {env['kernel']}")
    if results.get("tool"):
        lines.append(f"sprocketctl: {results['tool']} ({results.get('toolVersion') or 'version unknown'})")
    headers = ["N", "scenario", "wall s", "ready s", "API calls", "mutating", "note"]
    aligns = [">", "<", ">", ">", ">", ">", "<"]
    rows = []
    for size in results["sizes"]:
        n = str(size["n"])
        d = size.get("docker", {})
        s = size.get("sprocketctl") or {}
        def add(name, r, note=""):
            if r is None:
                return
            if "error" in r:
                note = f"FAILED: {r['error']}"
            rows.append([n, name, fmt_num(r.get("seconds")), fmt_num(r.get("readySeconds")),
                         fmt_num(calls_of(r, "total")), fmt_num(calls_of(r, "mutating")), note])
        add("cold  docker --detach=false", d.get("coldAttached"))
        dp = d.get("coldDetachedPoll")
        add("cold  docker --detach=true + poll", dp, f"{dp['polls']} polls not counted" if dp else "")
        dn = d.get("coldDetachedPollNoResolve")
        add("cold  docker --detach=true, no resolve", dn, f"{dn['polls']} polls not counted" if dn else "")
        add("cold  sprocketctl up", s.get("cold"), _proxy_note(s.get("cold")))
        add("no-op docker --resolve-image never", d.get("noop"))
        add("no-op docker (default --resolve-image)", d.get("noopResolve"))
        add("no-op sprocketctl up", s.get("noop"), _noop_note(s.get("noop")))
        add("1 changed docker --resolve-image never", d.get("changed"))
        add("1 changed sprocketctl up", s.get("changed"), _noop_note(s.get("changed")))
        add("rotate docker (new secret name)", d.get("rotated"))
        add("rotate sprocketctl up", s.get("rotated"), _noop_note(s.get("rotated")))
        if d.get("remove"):
            r = d["remove"]
            rows.append([n, "down  docker stack rm", fmt_num(r.get("seconds")), fmt_num(r.get("goneSeconds")),
                         "-", "-", "ready = all objects gone"])
        if s.get("down"):
            r = s["down"]
            rows.append([n, "down  sprocketctl down", fmt_num(r.get("seconds")), fmt_num(r.get("goneSeconds")),
                         "-", "-", f"FAILED: {r['error']}" if "error" in r else "ready = all objects gone"])
    lines.append("")
    lines.append(table(rows, headers, aligns))

    ratio_rows = []
    for size in results["sizes"]:
        for name, key in (("cold vs --detach=false", "coldVsAttached"), ("cold vs --detach=true+poll", "coldVsDetached"),
                          ("cold vs --detach=true, no resolve", "coldVsDetachedNoResolve"),
                          ("no-op vs --resolve-image never", "noop"), ("no-op vs default", "noopVsResolve"),
                          ("1 changed", "changed"), ("secret rotated", "rotated")):
            r = (size.get("ratios") or {}).get(key)
            if r:
                ratio_rows.append([str(size["n"]), name, fmt_num(r.get("readySeconds"), 3),
                                   fmt_num(r.get("callsTotal"), 3), fmt_num(r.get("callsMutating"), 3)])
    if ratio_rows:
        lines.append("")
        lines.append("ratios sprocketctl / docker (below 1: sprocketctl is faster or makes fewer calls)")
        lines.append(table(ratio_rows, ["N", "scenario", "ready time", "API calls", "mutating"],
                           [">", "<", ">", ">", ">"]))
    if results.get("plan"):
        lines.append("")
    for plan in results.get("plan") or []:
        if "error" in plan:
            lines.append(f"plan --offline, {plan['services']} services: FAILED ({plan['error']})")
        else:
            rss = plan.get("maxRSSKiB")
            lines.append(f"plan --offline, {plan['services']} services: {plan['seconds']:.2f} s, "
                         f"peak memory {rss / 1024:.1f} MiB" if rss else
                         f"plan --offline, {plan['services']} services: {plan['seconds']:.2f} s")
    return "\n".join(lines)


def _proxy_note(r):
    if not r or "error" in r:
        return ""
    pc = r.get("proxyCalls")
    if pc is None:
        return ""
    if pc["total"] == 0:
        return "proxy saw 0 calls (DOCKER_HOST ignored?)"
    own = calls_of(r, "total")
    return f"proxy counted {pc['total']}/{pc['mutating']}" + ("" if own == pc["total"] else " (differs)")


def _noop_note(r):
    if not r or "error" in r:
        return ""
    note = f"{r.get('changes')} changes"
    extra = _proxy_note(r)
    return f"{note}; {extra}" if extra else note


def compute_ratios(size):
    d, s = size.get("docker") or {}, size.get("sprocketctl") or {}
    out = {}
    for key, sp, dk in (("coldVsAttached", s.get("cold"), d.get("coldAttached")),
                        ("coldVsDetached", s.get("cold"), d.get("coldDetachedPoll")),
                        ("coldVsDetachedNoResolve", s.get("cold"), d.get("coldDetachedPollNoResolve")),
                        ("noop", s.get("noop"), d.get("noop")),
                        ("noopVsResolve", s.get("noop"), d.get("noopResolve")),
                        ("changed", s.get("changed"), d.get("changed")),
                        ("rotated", s.get("rotated"), d.get("rotated"))):
        if not sp or not dk or "error" in sp:
            continue
        out[key] = {"readySeconds": ratio(sp.get("readySeconds"), dk.get("readySeconds")),
                    "callsTotal": ratio(calls_of(sp, "total"), calls_of(dk, "total")),
                    "callsMutating": ratio(calls_of(sp, "mutating"), calls_of(dk, "mutating"))}
    return out


def environment():
    def q(*cmd):
        try:
            return run(list(cmd), timeout=30)[1].strip()
        except BenchError:
            return None
    return {
        "serverVersion": q("docker", "version", "--format", "{{.Server.Version}}"),
        "apiVersion": q("docker", "version", "--format", "{{.Server.APIVersion}}"),
        "cliVersion": q("docker", "version", "--format", "{{.Client.Version}}"),
        "cpus": os.cpu_count(),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def main(argv):
    p = argparse.ArgumentParser(description="bench/run's measurements")
    p.add_argument("--sizes", default="10,30,100")
    p.add_argument("--tool")
    p.add_argument("--docker-only", action="store_true")
    p.add_argument("--plan-services", default="2000,10000")
    p.add_argument("--timeout", type=int, default=900)
    p.add_argument("--out", default=os.path.join(ROOT, "bench-results"))
    p.add_argument("--sprocketctl-direct", action="store_true")
    a = p.parse_args(argv)
    try:
        sizes = [int(x) for x in a.sizes.split(",") if x.strip()]
    except ValueError:
        p.error("--sizes takes a comma-separated list of integers")
    if not sizes or min(sizes) < 1:
        p.error("--sizes needs positive integers")
    try:
        plan_sizes = [int(x) for x in a.plan_services.split(",") if x.strip()]
    except ValueError:
        p.error("--plan-services takes a comma-separated list of integers")
    if not a.docker_only and not a.tool:
        p.error("--tool is required unless --docker-only")
    tool = os.path.abspath(a.tool) if a.tool else None

    now = datetime.datetime.now(datetime.timezone.utc)
    results = {"date": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "environment": environment(),
               "dockerOnly": a.docker_only, "tool": tool, "sizes": []}
    if tool:
        code, out, _, _ = run([tool, "--version"], check=False, timeout=30)
        results["toolVersion"] = out.strip() if code == 0 else None

    failed = False
    with tempfile.TemporaryDirectory(prefix="sprocket-bench.") as workdir:
        for n in sizes:
            gen = os.path.join(workdir, f"n{n}")
            size = {"n": n}
            try:
                size["docker"] = bench_docker(n, gen, workdir, a.timeout)
            except BenchError as exc:
                log(f"N={n}: docker side failed: {exc}")
                size["docker"] = {"error": str(exc)}
                failed = True
                remove_all(DK_PREFIX)
            if tool:
                try:
                    size["sprocketctl"] = bench_sprocketctl(n, tool, gen, workdir,
                                                            a.timeout, a.sprocketctl_direct)
                except BenchError as exc:
                    log(f"N={n}: sprocketctl side failed: {exc}")
                    size["sprocketctl"] = {"error": str(exc)}
                    remove_all(SP_PREFIX)
                if any("error" in (r or {}) for r in (size.get("sprocketctl") or {}).values() if isinstance(r, dict)) \
                        or "error" in (size.get("sprocketctl") or {}):
                    failed = True
            size["ratios"] = compute_ratios(size)
            results["sizes"].append(size)
        if tool:
            results["plan"] = []
            for services in plan_sizes:
                try:
                    plan = bench_plan(tool, services, workdir, a.timeout)
                except BenchError as exc:
                    plan = {"services": services, "error": str(exc)}
                results["plan"].append(plan)
                failed = failed or "error" in plan

    os.makedirs(a.out, exist_ok=True)
    path = os.path.join(a.out, now.strftime("%Y-%m-%dT%H%M%SZ") + ".json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    print(report(results))
    log(f"results: {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
