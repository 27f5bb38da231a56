"""A local Jira REST API v2 for the endpoints inquest uses, as documented at
https://developer.atlassian.com/cloud/jira/platform/rest/v2/ (issues, issue search) and
https://developer.atlassian.com/cloud/jira/platform/rate-limiting/:

  POST /rest/api/2/issue    create: {"fields": {"project": {"key"}, "summary", "description",
                            "issuetype": {"name"}, "labels"}} -> 201 {"id", "key", "self"};
                            400 {"errorMessages", "errors"} for a missing summary, an unknown
                            project or issue type
  GET  /rest/api/2/search   jql, startAt (default 0), maxResults (default 50, capped at
                            max_results), fields -> {"startAt", "maxResults", "total", "issues"}

Authentication: HTTP Basic "email:api-token" (Jira Cloud) or "Bearer <token>" (Data Center
personal access tokens); anything else is 401. Rate limits are queued faults: 429 with
Retry-After and X-RateLimit-Limit / -Remaining / -Reset (an ISO 8601 time).

The JQL understood is what inquest sends: `project = "KEY" AND labels = "name" ORDER BY key ASC`
(quotes optional); anything else is 400, as Jira answers JQL it cannot parse.
"""

import argparse
import base64
import re

from mock_server import MockServer, parse_json

# Jira's status categories (https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-workflow-status-categories/)
CATEGORIES = {"new": (2, "To Do"), "indeterminate": (4, "In Progress"), "done": (3, "Done")}
JQL = re.compile(r'^\s*project\s*=\s*"?([A-Z][A-Z0-9_]*)"?\s+AND\s+labels\s*=\s*"?([^"\s]+)"?'
                 r'(\s+ORDER\s+BY\s+key\s+(ASC|DESC))?\s*$', re.I)


class JiraMock(MockServer):
    def __init__(self, token, email=None, projects=("OPS",), issue_types=("Task", "Bug"),
                 max_results=50):
        super().__init__()
        self.token, self.email = token, email
        self.projects = set(projects)
        self.issue_types = set(issue_types)
        self.max_results = max_results  # the server's cap on one page
        self.issues = []  # in creation order

    # -- test control ------------------------------------------------------------------------
    def transition(self, key, status, category, resolution=None):
        issue = self.find(key)
        cid, cname = CATEGORIES[category]
        issue["fields"]["status"] = {"name": status, "statusCategory": {
            "id": cid, "key": category, "name": cname}}
        issue["fields"]["resolution"] = {"name": resolution} if resolution else None

    def find(self, key):
        return next(i for i in self.issues if i["key"] == key)

    # -- the API -----------------------------------------------------------------------------
    def _authorised(self, auth):
        if auth == f"Bearer {self.token}":
            return True
        if auth.startswith("Basic ") and self.email:
            try:
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                return False
            return user == self.email and password == self.token
        return False

    def handle(self, method, path, query, headers, body):
        if not self._authorised(headers.get("authorization", "")):
            return 401, {"WWW-Authenticate": 'Basic realm="protected-area"'}, {
                "errorMessages": ["You are not authenticated. Authentication required to "
                                  "perform this operation."], "errors": {}}
        if method == "POST" and path == "/rest/api/2/issue":
            return self._create(body)
        if method == "GET" and path == "/rest/api/2/search":
            return self._search(query)
        return 404, {}, {"errorMessages": ["Not found"], "errors": {}}

    def _create(self, body):
        data, err = parse_json(body)
        if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
            return 400, {}, {"errorMessages": ["Unexpected character or missing fields"],
                             "errors": {}}
        f = data["fields"]
        errors = {}
        project = (f.get("project") or {}).get("key")
        if project not in self.projects:
            errors["project"] = "valid project is required"
        if not f.get("summary"):
            errors["summary"] = "You must specify a summary of the issue."
        elif len(f["summary"]) > 255:
            errors["summary"] = "Summary must be less than 255 characters."
        if (f.get("issuetype") or {}).get("name") not in self.issue_types:
            errors["issuetype"] = "Specify a valid issue type"
        if errors:
            return 400, {}, {"errorMessages": [], "errors": errors}
        n = sum(1 for i in self.issues if i["key"].startswith(project + "-")) + 1
        iid = str(10000 + len(self.issues))
        key = f"{project}-{n}"
        issue = {"id": iid, "key": key, "self": f"{self.url}/rest/api/2/issue/{iid}",
                 "fields": {"summary": f["summary"], "description": f.get("description"),
                            "labels": list(f.get("labels") or []),
                            "issuetype": {"name": f["issuetype"]["name"]},
                            "project": {"key": project}}}
        self.issues.append(issue)
        self.transition(key, "To Do", "new")
        return 201, {}, {"id": iid, "key": key, "self": issue["self"]}

    def _search(self, query):
        def one(name, default):
            return (query.get(name) or [default])[0]

        m = JQL.match(one("jql", ""))
        if not m:
            return 400, {}, {"errorMessages": [f"Error in the JQL Query: cannot parse "
                                               f"'{one('jql', '')}'"], "errors": {}}
        project, label = m.group(1), m.group(2)
        if project not in self.projects:
            return 400, {}, {"errorMessages": [f"The value '{project}' does not exist for the "
                                               f"field 'project'."], "errors": {}}
        try:
            start = max(0, int(one("startAt", "0")))
            wanted = max(0, int(one("maxResults", "50")))
        except ValueError:
            return 400, {}, {"errorMessages": ["startAt and maxResults must be numbers"],
                             "errors": {}}
        size = min(wanted, self.max_results)
        hits = [i for i in self.issues
                if i["fields"]["project"]["key"] == project and label in i["fields"]["labels"]]
        if m.group(4) and m.group(4).upper() == "DESC":
            hits.reverse()
        fields = [x for x in one("fields", "").split(",") if x]
        page = []
        for i in hits[start:start + size]:
            out = {k: v for k, v in i.items() if k != "fields"}
            out["fields"] = {k: v for k, v in i["fields"].items() if not fields or k in fields}
            page.append(out)
        return 200, {}, {"expand": "schema,names", "startAt": start, "maxResults": size,
                         "total": len(hits), "issues": page}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8081)
    ap.add_argument("--token", default="t0ken")
    ap.add_argument("--email", default=None)
    ap.add_argument("--project", default="OPS")
    args = ap.parse_args()
    srv = JiraMock(args.token, email=args.email, projects=(args.project,)).start(args.port)
    print(f"Jira mock for {args.project} at {srv.url}", flush=True)
    try:
        srv.thread.join()
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
