changes tests/golden/changes-git.log --onset 2026-05-29T14:11:00Z --format md
