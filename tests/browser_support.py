"""What the browser tests share: a list of failures and headless Chromium run once per page
with no network, no profile left behind and a bounded time."""
import shutil
import subprocess
import sys
import tempfile

CHROMIUM_TIMEOUT_S = 120


class Failures:
    def __init__(self):
        self.items = []

    def check(self, ok, msg):
        if not ok:
            self.items.append(msg)
        return ok

    def finish(self, summaries=()):
        """Prints the summaries and the failures; the exit code: 0 when nothing failed."""
        for line in summaries:
            if line:
                print(line)
        for msg in self.items:
            print("FAIL:", msg)
        if self.items:
            return 1
        print("PASS")
        return 0


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(binary, url, extra, workdir, timeout=CHROMIUM_TIMEOUT_S):
    """Chromium's stdout for `url` (with `extra` flags such as --dump-dom or --screenshot)."""
    profile = tempfile.mkdtemp(prefix="profile-", dir=workdir)
    cmd = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--user-data-dir=" + profile,
           "--host-resolver-rules=MAP * ~NOTFOUND"] + extra + [url]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    shutil.rmtree(profile, ignore_errors=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode(errors="replace")[-4000:])
        raise SystemExit(f"FAIL: chromium exited with {r.returncode}: {' '.join(cmd)}")
    return r.stdout.decode("utf-8", errors="replace")
