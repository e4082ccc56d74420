"""Reading `earshot eval --json` output, for the scripts that compare runs (standard library)."""

import json


def read_scores(path):
    """Per-file scores of one `earshot eval --json` run, by file name."""
    with open(path) as file:
        files = json.load(file)["files"]
    return {entry["file"]: entry["scores"] for entry in files}
