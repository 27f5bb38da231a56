"""A local GitHub REST API for the issues endpoints inquest uses, as documented at
https://docs.github.com/en/rest/issues/issues and
https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api:

  POST /repos/{owner}/{repo}/issues   create (title required: 422 Validation Failed otherwise)
  GET  /repos/{owner}/{repo}/issues   list; state=open|closed|all (default open), labels=a,b,
                                      per_page (default 30, max 100), page; Link header with
                                      rel="next", "last", "first", "prev"; pull requests are
                                      listed too (they carry a "pull_request" key)

Every answer carries x-ratelimit-limit / -remaining / -used / -reset / -resource. A request
without "Authorization: Bearer <token>" (or "token <token>") is 401 Bad credentials; without a
User-Agent 403; an unknown repository 404. When the primary quota is spent the answer is 403
with x-ratelimit-remaining: 0 and the reset time; secondary limits are queued faults (429 or 403
with Retry-After).
"""

import argparse
import time

from mock_server import MockServer, parse_json

DOCS = "https://docs.github.com/rest"


class GitHubMock(MockServer):
    def __init__(self, token, repos=("acme/checkout",), quota=5000, quota_window_s=3600):
        super().__init__()
        self.token = token
        self.repos = {r: [] for r in repos}  # repo -> list of issue dicts, number = index + 1
        self.quota, self.quota_window_s = quota, quota_window_s
        self.used = 0
        self.reset_at = int(time.time()) + quota_window_s
        # Where Link headers point (scheme://host:port); None: this server as it is addressed.
        # A test sets another host or scheme to check that the token does not follow it.
        self.link_base = None

    # -- test control ------------------------------------------------------------------------
    def add_pull_request(self, repo, title, labels=("inquest",)):
        issue = self._new_issue(repo, {"title": title, "labels": list(labels)})
        issue["pull_request"] = {"url": f"{self.url}/repos/{repo}/pulls/{issue['number']}"}
        return issue

    def add_issue(self, repo, title, body="", labels=("inquest",)):
        return self._new_issue(repo, {"title": title, "body": body, "labels": list(labels)})

    def close(self, repo, number, reason="completed"):
        issue = self.repos[repo][number - 1]
        issue.update(state="closed", state_reason=reason, closed_at=self._now())

    def reopen(self, repo, number):
        self.repos[repo][number - 1].update(state="open", state_reason="reopened", closed_at=None)

    def issues(self, repo):
        return [i for i in self.repos[repo] if "pull_request" not in i]

    # -- the API -----------------------------------------------------------------------------
    @staticmethod
    def _now():
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def _new_issue(self, repo, fields):
        n = len(self.repos[repo]) + 1
        labels = fields.get("labels") or []
        issue = {
            "id": 1000 + n, "number": n, "node_id": f"I_{n}",
            "url": f"{self.url}/repos/{repo}/issues/{n}",
            "html_url": f"{self.url}/{repo}/issues/{n}",
            "title": fields["title"], "body": fields.get("body"),
            "labels": [{"name": l if isinstance(l, str) else l.get("name")} for l in labels],
            "state": "open", "state_reason": None, "locked": False,
            "created_at": self._now(), "updated_at": self._now(), "closed_at": None,
            "user": {"login": "inquest-bot"},
        }
        self.repos[repo].append(issue)
        return issue

    def _rate_headers(self):
        now = int(time.time())
        if now >= self.reset_at:
            self.used, self.reset_at = 0, now + self.quota_window_s
        return {"x-ratelimit-limit": self.quota,
                "x-ratelimit-remaining": max(0, self.quota - self.used),
                "x-ratelimit-used": self.used, "x-ratelimit-reset": self.reset_at,
                "x-ratelimit-resource": "core"}

    def handle(self, method, path, query, headers, body):
        auth = headers.get("authorization", "")
        if auth not in (f"Bearer {self.token}", f"token {self.token}"):
            return 401, {}, {"message": "Bad credentials", "documentation_url": DOCS,
                             "status": "401"}
        if not headers.get("user-agent"):
            return 403, {}, {"message": "Request forbidden by administrative rules. Please make "
                                        "sure your request has a User-Agent header",
                             "documentation_url": DOCS}
        rate = self._rate_headers()
        if self.used >= self.quota:
            return 403, rate, {"message": "API rate limit exceeded for user ID 1.",
                               "documentation_url": DOCS}
        self.used += 1
        rate = self._rate_headers()
        parts = path.strip("/").split("/")
        if len(parts) != 4 or parts[0] != "repos" or parts[3] != "issues":
            return 404, rate, {"message": "Not Found", "documentation_url": DOCS}
        repo = parts[1] + "/" + parts[2]
        if repo not in self.repos:
            return 404, rate, {"message": "Not Found", "documentation_url": DOCS}
        if method == "POST":
            return self._create(repo, body, rate)
        if method == "GET":
            return self._list(repo, query, rate)
        return 404, rate, {"message": "Not Found", "documentation_url": DOCS}

    def _create(self, repo, body, rate):
        data, err = parse_json(body)
        if data is None or not isinstance(data, dict):
            return 400, rate, {"message": "Problems parsing JSON", "documentation_url": DOCS}
        if not isinstance(data.get("title"), str) or not data["title"]:
            return 422, rate, {"message": "Validation Failed", "documentation_url": DOCS,
                               "errors": [{"resource": "Issue", "code": "missing_field",
                                           "field": "title"}]}
        if len(data["title"]) > 256:
            return 422, rate, {"message": "Validation Failed", "documentation_url": DOCS,
                               "errors": [{"resource": "Issue", "code": "custom",
                                           "field": "title",
                                           "message": "title is too long (maximum is 256 "
                                                      "characters)"}]}
        issue = self._new_issue(repo, data)
        return 201, dict(rate, Location=issue["url"]), issue

    def _list(self, repo, query, rate):
        def one(name, default):
            return (query.get(name) or [default])[0]

        state = one("state", "open")
        if state not in ("open", "closed", "all"):
            return 422, rate, {"message": "Validation Failed", "documentation_url": DOCS}
        try:
            per_page = min(100, max(1, int(one("per_page", "30"))))
            page = max(1, int(one("page", "1")))
        except ValueError:
            return 422, rate, {"message": "Validation Failed", "documentation_url": DOCS}
        wanted = [l for l in one("labels", "").split(",") if l]
        items = [i for i in self.repos[repo]
                 if (state == "all" or i["state"] == state)
                 and all(any(l["name"] == w for l in i["labels"]) for w in wanted)]
        # GitHub lists newest first by default (sort=created, direction=desc).
        items = sorted(items, key=lambda i: i["number"], reverse=True)
        last = max(1, -(-len(items) // per_page))
        out = items[(page - 1) * per_page: page * per_page]

        def link(p):
            q = {"state": state, "per_page": per_page, "page": p}
            if wanted:
                q["labels"] = ",".join(wanted)
            return f"<{self.link_base or self.url}/repos/{repo}/issues?" + \
                "&".join(f"{k}={v}" for k, v in q.items()) + ">"

        links = []
        if page < last:
            links += [link(page + 1) + '; rel="next"', link(last) + '; rel="last"']
        if page > 1:
            links += [link(1) + '; rel="first"', link(page - 1) + '; rel="prev"']
        headers = dict(rate)
        if links:
            headers["Link"] = ", ".join(links)
        return 200, headers, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--token", default="t0ken")
    ap.add_argument("--repo", default="acme/checkout")
    args = ap.parse_args()
    srv = GitHubMock(args.token, repos=(args.repo,)).start(args.port)
    print(f"GitHub mock for {args.repo} at {srv.url} (token {args.token})", flush=True)
    try:
        srv.thread.join()
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
